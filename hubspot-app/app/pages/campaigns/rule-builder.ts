// The segment rule as the create form edits it: simple conditions that become JSONLogic (the
// backend checks the rule again, with the path of any problem). Power users edit the JSON itself.

export interface Condition {
  field: string;
  op: 'equals' | 'not_equals' | 'contains' | 'is_empty' | 'is_not_empty';
  value: string;
}

export const RULE_FIELDS = [
  { label: 'First name', value: 'firstName' },
  { label: 'Last name', value: 'lastName' },
  { label: 'Email', value: 'email' },
  { label: 'Company', value: 'company' },
  { label: 'Time zone', value: 'timeZone' },
  { label: 'Consent (none / express / written)', value: 'consentType' },
  { label: 'Source', value: 'source' },
];

export const RULE_OPERATORS: Array<{ label: string; value: Condition['op'] }> = [
  { label: 'is', value: 'equals' },
  { label: 'is not', value: 'not_equals' },
  { label: 'contains', value: 'contains' },
  { label: 'is empty', value: 'is_empty' },
  { label: 'is not empty', value: 'is_not_empty' },
];

/** Every contact with a phone number: the rule when no condition is given. */
export const MATCH_ALL = { '!!': [{ var: 'phone' }] };

function one(c: Condition): unknown {
  const v = { var: c.field };
  switch (c.op) {
    case 'equals':
      return { '==': [v, c.value] };
    case 'not_equals':
      return { '!=': [v, c.value] };
    case 'contains':
      return { in: [c.value, v] };
    case 'is_empty':
      return { '!': [v] };
    case 'is_not_empty':
      return { '!!': [v] };
  }
}

export function ruleFromConditions(conditions: Condition[]): unknown {
  const usable = conditions.filter((c) => c.field && (c.op === 'is_empty' || c.op === 'is_not_empty' || c.value.trim() !== ''));
  if (usable.length === 0) return MATCH_ALL;
  if (usable.length === 1) return one(usable[0]!);
  return { and: usable.map(one) };
}

/** The JSON view's text → a rule, or the reason it is not JSON. */
export function parseRuleJson(text: string): { ok: true; rule: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, rule: JSON.parse(text) };
  } catch (err) {
    return { ok: false, message: `The rule is not valid JSON: ${(err as Error).message}` };
  }
}
