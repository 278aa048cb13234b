import { validateScriptGraph } from '../../backend/src/domain/scripts/script-validator';
import { decideDisposition } from '../../backend/src/domain/scripts/script-disposition';
import { classifyEndedReason } from '../../backend/src/domain/scripts/script-ended-reason';
import { reachedDisposition } from '../../backend/src/domain/scripts/script-path';
import { solarGraph } from '../fixtures/scripts/script-samples';

const version = (() => {
  const v = validateScriptGraph(solarGraph());
  if (!v.ok) throw new Error('sample invalid');
  return { graph: v.graph };
})();

describe('decideDisposition', () => {
  it('applies the first matching script rule, with HubSpot properties rendered', () => {
    const d = decideDisposition(version, {
      endedReason: 'assistant-forwarded-call',
      disposition: 'qualified',
      answers: { ownsHome: true, monthlyBill: 300, slot: 'afternoon' },
    });
    expect(d).toEqual({
      outcome: 'qualified',
      outcomeClass: 'completed',
      shouldRetry: false,
      countsAsAttempt: true,
      isOptOut: false,
      disposition: 'qualified',
      hubspotProperties: { hs_lead_status: 'IN_PROGRESS', solar_best_slot: 'afternoon' },
      decidedBy: 'rule:1',
    });
  });

  it('lets a rule read endedReason classes and call facts (voicemail on the third attempt is final)', () => {
    expect(decideDisposition(version, { endedReason: 'voicemail', call: { attemptNumber: 3 } })).toMatchObject({ outcome: 'voicemail_final', shouldRetry: false, decidedBy: 'rule:0' });
    expect(decideDisposition(version, { endedReason: 'voicemail', call: { attemptNumber: 1 } })).toMatchObject({ outcome: 'voicemail', shouldRetry: true, decidedBy: 'default:voicemail' });
  });

  it('falls back to the graph disposition for a connected call, and to the class otherwise', () => {
    expect(decideDisposition(version, { endedReason: 'customer-ended-call', disposition: 'not_owner' })).toMatchObject({ outcome: 'not_owner', shouldRetry: false });
    expect(decideDisposition(version, { endedReason: 'customer-ended-call' })).toMatchObject({ outcome: 'completed', shouldRetry: false });
    expect(decideDisposition(version, { endedReason: 'customer-did-not-answer' })).toMatchObject({ outcome: 'no_answer', shouldRetry: true, countsAsAttempt: true });
    expect(decideDisposition(version, { endedReason: 'call.start.error-subscription-insufficient-credits' })).toMatchObject({ outcome: 'account_blocked', countsAsAttempt: false });
    expect(decideDisposition(version, { endedReason: 'twilio-reported-customer-misdialed' })).toMatchObject({ outcome: 'failed_permanent', shouldRetry: false });
    expect(decideDisposition(version, { endedReason: 'something-new-2027' })).toMatchObject({ outcome: 'unknown', shouldRetry: false });
  });

  it('makes an opt-out final whatever else is true, from any source', () => {
    for (const facts of [{ isOptOut: true }, { disposition: 'opted_out' }, { structured: { optOut: true } }, { structured: { doNotCall: 'true' } }]) {
      expect(decideDisposition(version, { endedReason: 'customer-busy', ...facts })).toMatchObject({ outcome: 'opted_out', isOptOut: true, shouldRetry: false, decidedBy: 'builtin:opt_out' });
    }
  });

  it('never counts a provider capacity refusal against the contact, even if a rule would match', () => {
    const g = structuredClone(version.graph);
    g.dispositionRules.unshift({ when: true, outcome: 'catch_all', shouldRetry: false, hubspotProperties: {} });
    expect(decideDisposition({ graph: g }, { endedReason: 'call.start.error-subscription-concurrency-limit-reached' })).toMatchObject({
      outcome: 'capacity',
      shouldRetry: true,
      countsAsAttempt: false,
    });
    expect(decideDisposition({ graph: g }, { endedReason: 'customer-busy' })).toMatchObject({ outcome: 'catch_all', decidedBy: 'rule:0' });
  });

  it('uses the adapter classification when given', () => {
    expect(decideDisposition(version, { endedReason: 'hangup', outcomeClass: 'busy' })).toMatchObject({ outcome: 'busy', shouldRetry: true });
  });
});

describe('classifyEndedReason', () => {
  it.each([
    ['customer-ended-call', 'completed'],
    ['customer-ended-call-after-warm-transfer-attempt', 'completed'],
    ['customer-did-not-answer', 'no_answer'],
    ['customer-busy', 'busy'],
    ['voicemail', 'voicemail'],
    ['call.start.error-subscription-concurrency-limit-reached', 'capacity'],
    ['pipeline-error-openai-llm-failed', 'failed_transient'],
    ['call.in-progress.error-vapifault-transport-never-connected', 'failed_transient'],
    ['manually-canceled', 'cancelled'],
    [null, 'unknown'],
    ['__proto__', 'unknown'],
  ])('%s → %s', (reason, cls) => {
    expect(classifyEndedReason(reason)).toBe(cls);
  });
});

describe('reachedDisposition', () => {
  it('reads the disposition of the end or transfer node the call stopped at', () => {
    const step = (stop: string) => ({ at: '2026-01-01T00:00:00Z', node: 'x', visited: [stop], stop });
    expect(reachedDisposition(version.graph, [step('ask_bill'), step('handoff')])).toBe('qualified');
    expect(reachedDisposition(version.graph, [step('ask_bill')])).toBeNull();
    expect(reachedDisposition(version.graph, [])).toBeNull();
  });
});
