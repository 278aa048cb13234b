import type { TScriptGraph } from './script.schema';

// The draft a new script starts from when the rep sends no graph: small, valid, and showing
// each node type once, so the editor opens on something that already publishes.
export function starterGraph(companyName: string): TScriptGraph {
  return {
    schemaVersion: 1,
    compliance: { callerName: 'Alex', companyName },
    start: 'greet',
    fallbacks: { 'contact.firstName': 'there' },
    nodes: [
      { id: 'greet', type: 'say', text: 'Hi {{contact.firstName}}, thanks for taking a moment.', next: 'ask_interest' },
      { id: 'ask_interest', type: 'ask', text: 'Would you like to hear about our new plan?', answer: { name: 'interested', type: 'yes_no' }, next: 'route' },
      { id: 'route', type: 'branch', edges: [{ when: { '==': [{ var: 'answers.interested' }, true] }, to: 'interested' }], else: 'not_interested' },
      { id: 'interested', type: 'end', disposition: 'interested', text: 'Great, a colleague will follow up by email. Have a good day!' },
      { id: 'not_interested', type: 'end', disposition: 'not_interested', text: 'No problem at all. Have a good day!' },
    ],
    dispositionRules: [],
  };
}
