// The script graph as the builder edits it (the backend's format, script.schema.ts), and the
// small conversions the builder needs: simple edge conditions ↔ JSONLogic, new nodes, issues by node.

export type AnswerType = 'yes_no' | 'text' | 'number' | 'choice' | 'date';

export interface Edge {
  when: unknown;
  to: string;
  label?: string;
}

export type ScriptNode =
  | { id: string; type: 'say'; text: string; next: string; label?: string }
  | { id: string; type: 'ask'; text: string; next: string; answer: { name: string; type: AnswerType; options?: string[] }; label?: string }
  | { id: string; type: 'branch'; edges: Edge[]; else?: string; label?: string }
  | { id: string; type: 'transfer'; number: string; reason: string; text?: string; disposition?: string; label?: string }
  | { id: string; type: 'end'; disposition: string; text?: string; label?: string };

export interface ScriptGraph {
  schemaVersion?: number;
  compliance: { callerName: string; companyName: string; onBehalfOf?: string; callbackNumber?: string; preamble?: string };
  start: string;
  nodes: ScriptNode[];
  fallbacks?: Record<string, string>;
  dispositionRules?: unknown[];
}

export interface ScriptIssue {
  code: string;
  nodeId?: string;
  path: string;
  message: string;
}

export interface SimpleCondition {
  variable: string;
  op: '==' | '!=' | '>' | '<' | '>=' | '<=';
  value: string | number | boolean;
}

export const CONDITION_OPERATORS = [
  { label: 'is', value: '==' },
  { label: 'is not', value: '!=' },
  { label: 'is more than', value: '>' },
  { label: 'is less than', value: '<' },
  { label: 'is at least', value: '>=' },
  { label: 'is at most', value: '<=' },
];

/** A JSONLogic condition the builder can show as field / operator / value, or null for anything richer. */
export function toSimpleCondition(when: unknown): SimpleCondition | null {
  if (!when || typeof when !== 'object' || Array.isArray(when)) return null;
  const entries = Object.entries(when as Record<string, unknown>);
  if (entries.length !== 1) return null;
  const [op, args] = entries[0]!;
  if (!CONDITION_OPERATORS.some((o) => o.value === op) || !Array.isArray(args) || args.length !== 2) return null;
  const [left, right] = args as [unknown, unknown];
  const variable = left && typeof left === 'object' && !Array.isArray(left) ? (left as { var?: unknown }).var : undefined;
  if (typeof variable !== 'string' || !['string', 'number', 'boolean'].includes(typeof right)) return null;
  return { variable, op: op as SimpleCondition['op'], value: right as SimpleCondition['value'] };
}

export const fromSimpleCondition = (c: SimpleCondition): unknown => ({ [c.op]: [{ var: c.variable }, c.value] });

/** What a typed value means: yes/no → booleans, numerals → numbers, anything else stays text. */
export function parseValue(text: string): string | number | boolean {
  const t = text.trim();
  if (/^(yes|true)$/i.test(t)) return true;
  if (/^(no|false)$/i.test(t)) return false;
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return text;
}

/** Variables a branch can test: each earlier answer, contact fields and call facts. */
export function conditionVariables(graph: ScriptGraph): Array<{ label: string; value: string }> {
  const answers = graph.nodes.flatMap((n) => (n.type === 'ask' ? [{ label: `Answer: ${n.answer.name}`, value: `answers.${n.answer.name}` }] : []));
  return [
    ...answers,
    { label: 'Contact: first name', value: 'contact.firstName' },
    { label: 'Contact: company', value: 'contact.company' },
    { label: 'Call: attempt number', value: 'call.attemptNumber' },
    { label: 'Call: local hour', value: 'call.localHour' },
  ];
}

export function newNode(type: ScriptNode['type'], graph: ScriptGraph): ScriptNode {
  let i = graph.nodes.length + 1;
  while (graph.nodes.some((n) => n.id === `${type}_${i}`)) i += 1;
  const id = `${type}_${i}`;
  const fallback = graph.nodes[0]?.id ?? id;
  switch (type) {
    case 'say':
      return { id, type, text: 'New line to say.', next: fallback };
    case 'ask':
      return { id, type, text: 'New question?', next: fallback, answer: { name: `answer_${i}`, type: 'yes_no' } };
    case 'branch':
      return { id, type, edges: [{ when: { '==': [{ var: conditionVariables(graph)[0]?.value ?? 'contact.firstName' }, true] }, to: fallback }], else: fallback };
    case 'transfer':
      return { id, type, number: '+14155550100', reason: 'The contact asked for a person.', disposition: 'transferred' };
    case 'end':
      return { id, type, disposition: 'completed', text: 'Thank you, goodbye.' };
  }
}

export function issuesByNode(issues: ScriptIssue[]): Map<string, ScriptIssue[]> {
  const map = new Map<string, ScriptIssue[]>();
  for (const i of issues) {
    const key = i.nodeId ?? '';
    map.set(key, [...(map.get(key) ?? []), i]);
  }
  return map;
}
