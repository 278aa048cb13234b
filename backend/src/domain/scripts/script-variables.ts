// Which variable paths a script may read, in conditions ({"var": "contact.firstName"}) and in
// text ({{contact.firstName}}). Paths are checked when a script is saved, so evaluation never
// walks into anything but the three plain data objects we build (contact, answers, call):
// prototype paths and anything outside those roots are refused by name.

export const CONTACT_FIELDS = ['firstName', 'lastName', 'fullName', 'email', 'company', 'timeZone'] as const;
export const CALL_FIELDS = ['attemptNumber', 'localHour'] as const;
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);
const KEY_RE = /^[A-Za-z][A-Za-z0-9_-]{0,99}$/;

/** `script`: graph conditions and spoken text. `disposition`: post-call rules, which also see the call's end. */
export type VarScope = 'script' | 'disposition';

const SCRIPT_ROOTS = new Set(['contact', 'answers', 'call']);
const DISPOSITION_ROOTS = new Set([...SCRIPT_ROOTS, 'structured', 'endedReason', 'outcomeClass', 'disposition', 'isOptOut']);
const SCALAR_ROOTS = new Set(['endedReason', 'outcomeClass', 'disposition', 'isOptOut']);

export interface VarRules {
  scope: VarScope;
  /** Answer variable names declared by the script's ask nodes. */
  answerNames: ReadonlySet<string>;
}

export interface VarProblem {
  code: 'VAR_FORBIDDEN' | 'VAR_OUT_OF_SCOPE' | 'UNKNOWN_VARIABLE';
  message: string;
}

/** null when the path is allowed; otherwise what is wrong with it. */
export function checkVariablePath(path: string, rules: VarRules): VarProblem | null {
  const segments = path.split('.');
  const bad = segments.find((s) => FORBIDDEN_SEGMENTS.has(s));
  if (bad !== undefined) return { code: 'VAR_FORBIDDEN', message: `The variable "${path}" uses "${bad}", which is never allowed in a path.` };
  const [root, ...rest] = segments;
  const roots = rules.scope === 'script' ? SCRIPT_ROOTS : DISPOSITION_ROOTS;
  if (!root || !roots.has(root)) {
    return { code: 'VAR_OUT_OF_SCOPE', message: `The variable "${path}" is outside ${[...roots].join(', ')}.` };
  }
  const unknown = (hint: string): VarProblem => ({ code: 'UNKNOWN_VARIABLE', message: `Unknown variable "${path}": ${hint}.` });
  if (SCALAR_ROOTS.has(root)) return rest.length === 0 ? null : unknown(`${root} has no fields`);
  const [field, ...more] = rest;
  switch (root) {
    case 'contact':
      if (field === 'properties' && more.length === 1 && KEY_RE.test(more[0]!)) return null;
      if (field && more.length === 0 && (CONTACT_FIELDS as readonly string[]).includes(field)) return null;
      return unknown(`contact has ${CONTACT_FIELDS.join(', ')} and properties.<name>`);
    case 'answers':
      if (field && more.length === 0 && rules.answerNames.has(field)) return null;
      return unknown(rules.answerNames.size ? `the answers are ${[...rules.answerNames].join(', ')}` : 'no ask node declares it');
    case 'call':
      if (field && more.length === 0 && (CALL_FIELDS as readonly string[]).includes(field)) return null;
      return unknown(`call has ${CALL_FIELDS.join(', ')}`);
    case 'structured':
      if (field && more.length === 0 && KEY_RE.test(field)) return null;
      return unknown('use structured.<output name>');
    default:
      return unknown('not a known variable');
  }
}
