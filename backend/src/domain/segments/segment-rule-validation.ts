// A segment rule is JSONLogic from a user: checked before anything is stored or run. Only listed
// operators, only known fields, bounded size and depth, no reaching into prototypes; every
// problem comes back with the path where it is (rule.and[1].==[0].var).
import { AppError } from '../../platform/app-error';
import { checkFieldPath } from './segment-fields';

export const RULE_LIMITS = { maxBytes: 32 * 1024, maxNodes: 500, maxDepth: 10 } as const;

// Arity per operator: [min, max]. Left out on purpose: log (side effect), method, and the array
// iterators map/filter/reduce/all/some/none/merge (contact fields are scalars).
const OPERATORS: Record<string, [number, number]> = {
  var: [1, 1],
  missing: [1, 50],
  missing_some: [2, 2],
  '==': [2, 2],
  '===': [2, 2],
  '!=': [2, 2],
  '!==': [2, 2],
  '<': [2, 3],
  '<=': [2, 3],
  '>': [2, 2],
  '>=': [2, 2],
  '!': [1, 1],
  '!!': [1, 1],
  and: [1, 100],
  or: [1, 100],
  if: [1, 99],
  '?:': [1, 99],
  in: [2, 2],
  cat: [1, 50],
  substr: [2, 3],
  '+': [1, 50],
  '-': [1, 2],
  '*': [1, 50],
  '/': [2, 2],
  '%': [2, 2],
  min: [1, 50],
  max: [1, 50],
};
export const ALLOWED_OPERATORS = Object.freeze(Object.keys(OPERATORS));

export interface RuleProblem {
  path: string;
  message: string;
}

export const argsOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
export const isOperation = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function validateSegmentRule(rule: unknown): RuleProblem[] {
  if (rule === undefined) return [{ path: 'rule', message: 'A rule is required (a JSONLogic expression, or true for every contact).' }];
  const bytes = Buffer.byteLength(JSON.stringify(rule) ?? '', 'utf8');
  if (bytes > RULE_LIMITS.maxBytes) return [{ path: 'rule', message: `The rule is ${bytes} bytes; the limit is ${RULE_LIMITS.maxBytes}.` }];
  if (typeof rule !== 'boolean' && !isOperation(rule)) {
    return [{ path: 'rule', message: 'The rule must be a JSONLogic operation such as {"==": [{"var": "company"}, "Acme"]}, or true.' }];
  }
  const problems: RuleProblem[] = [];
  let nodes = 0;
  const walk = (node: unknown, path: string, depth: number): void => {
    if (problems.length >= 20) return;
    if (++nodes > RULE_LIMITS.maxNodes) {
      if (nodes === RULE_LIMITS.maxNodes + 1) problems.push({ path, message: `The rule has more than ${RULE_LIMITS.maxNodes} parts; split it or simplify it.` });
      return;
    }
    if (depth > RULE_LIMITS.maxDepth) {
      problems.push({ path, message: `The rule nests deeper than ${RULE_LIMITS.maxDepth} levels.` });
      return;
    }
    if (typeof node === 'string') {
      if (node.includes('\u0000')) problems.push({ path, message: 'Text in a rule may not contain the NUL character.' });
      return;
    }
    if (node === null || typeof node === 'boolean') return;
    if (typeof node === 'number') {
      if (!Number.isFinite(node)) problems.push({ path, message: 'Numbers in a rule must be finite.' });
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}[${i}]`, depth + 1));
      return;
    }
    if (!isOperation(node)) {
      problems.push({ path, message: 'Unsupported value in the rule.' });
      return;
    }
    const keys = Object.keys(node);
    if (keys.length !== 1) {
      problems.push({ path, message: `An operation has exactly one operator key; found ${keys.length === 0 ? 'none' : keys.map((k) => `"${k}"`).join(', ')}.` });
      return;
    }
    const op = keys[0]!;
    const at = `${path}.${op}`;
    if (!Object.hasOwn(OPERATORS, op)) {
      problems.push({ path: at, message: `Operator "${op}" is not allowed. Allowed: ${ALLOWED_OPERATORS.join(' ')}.` });
      return;
    }
    const args = argsOf(node[op]);
    const [min, max] = OPERATORS[op]!;
    if (args.length < min || args.length > max) {
      problems.push({ path: at, message: `"${op}" takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}; got ${args.length}.` });
      return;
    }
    if (op === 'var') return checkVar(args, at, problems);
    if (op === 'missing') return checkKeys(args.length === 1 && Array.isArray(args[0]) ? args[0] : args, at, problems);
    if (op === 'missing_some') {
      if (!Number.isInteger(args[0]) || (args[0] as number) < 0) problems.push({ path: `${at}[0]`, message: 'missing_some needs a whole number of fields first.' });
      if (!Array.isArray(args[1])) problems.push({ path: `${at}[1]`, message: 'missing_some needs a list of field names second.' });
      else checkKeys(args[1], `${at}[1]`, problems);
      return;
    }
    args.forEach((arg, i) => walk(arg, `${at}[${i}]`, depth + 1));
  };
  walk(rule, 'rule', 0);
  return problems;
}

function checkVar(args: unknown[], at: string, problems: RuleProblem[]): void {
  const name = args[0];
  if (typeof name !== 'string') {
    problems.push({ path: `${at}[0]`, message: 'var takes a field name as a literal string (computed names and defaults are not supported).' });
    return;
  }
  const why = checkFieldPath(name);
  if (why) problems.push({ path: `${at}[0]`, message: why });
}

function checkKeys(keys: unknown[], at: string, problems: RuleProblem[]): void {
  keys.forEach((k, i) => {
    if (typeof k !== 'string') problems.push({ path: `${at}[${i}]`, message: 'Field names in missing must be literal strings.' });
    else {
      const why = checkFieldPath(k);
      if (why) problems.push({ path: `${at}[${i}]`, message: why });
    }
  });
}

/** Throws 400 SEGMENT_RULE_INVALID naming the first problem; details list them all. */
export function assertValidSegmentRule(rule: unknown): void {
  const problems = validateSegmentRule(rule);
  if (problems.length === 0) return;
  const first = problems[0]!;
  throw new AppError('SEGMENT_RULE_INVALID', 400, `The segment rule is not valid at ${first.path}: ${first.message}`, { problems });
}
