import { apply, truthy } from 'json-logic-js';
import { SCRIPT_LIMITS, type ScriptIssue } from './script.schema';
import { checkVariablePath, type VarRules } from './script-variables';

// JSONLogic (json-logic-js) behind an allow-list. Left out on purpose:
// - map / filter / reduce / all / none / some rebind `var` to array elements, so the paths inside
//   them could not be checked against the contact/answers/call scope;
// - merge is never needed for a yes/no decision; log writes to the console; method (older
//   versions) calls arbitrary methods on data.
export const ALLOWED_OPERATORS: ReadonlySet<string> = new Set([
  'var', 'missing', 'missing_some',
  'if', '?:', 'and', 'or', '!', '!!',
  '==', '===', '!=', '!==', '>', '>=', '<', '<=',
  '+', '-', '*', '/', '%', 'min', 'max',
  'in', 'cat', 'substr',
]);

/** `.name` for plain keys, `["=="]` for the rest, so a path can be pasted into a JSONPath tool. */
export const propPath = (key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

const isPrimitive = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

export interface LogicCheckTarget {
  path: string;
  nodeId?: string;
  rules: VarRules;
}

/** Every problem in one condition: operators outside the allow-list, bad variables, too deep. */
export function checkLogic(expr: unknown, target: LogicCheckTarget): ScriptIssue[] {
  const issues: ScriptIssue[] = [];
  const push = (code: string, path: string, message: string) =>
    issues.push({ code, path, message, ...(target.nodeId ? { nodeId: target.nodeId } : {}) });

  const checkVar = (path: unknown, at: string) => {
    if (typeof path !== 'string') {
      push('VAR_NOT_LITERAL', at, 'A variable path must be a literal string such as "answers.interested".');
      return;
    }
    if (path === '') {
      push('VAR_OUT_OF_SCOPE', at, 'An empty variable path would read the whole data object; name a field.');
      return;
    }
    const problem = checkVariablePath(path, target.rules);
    if (problem) push(problem.code, at, problem.message);
  };

  const visit = (node: unknown, at: string, depth: number): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, `${at}[${i}]`, depth));
      return;
    }
    if (isPrimitive(node)) return;
    if (typeof node !== 'object') {
      push('LOGIC_INVALID', at, 'Conditions may only hold JSON values.');
      return;
    }
    if (depth >= SCRIPT_LIMITS.maxLogicDepth) {
      push('LOGIC_TOO_DEEP', at, `Conditions may nest at most ${SCRIPT_LIMITS.maxLogicDepth} operators deep.`);
      return;
    }
    const keys = Object.keys(node as object);
    if (keys.length !== 1) {
      push('LOGIC_INVALID', at, `An operation must be an object with exactly one operator key (found ${keys.length}).`);
      return;
    }
    const op = keys[0]!;
    const opAt = at + propPath(op);
    if (!ALLOWED_OPERATORS.has(op)) {
      push('LOGIC_OPERATOR_NOT_ALLOWED', opAt, `The operator "${op}" is not allowed; use one of: ${[...ALLOWED_OPERATORS].join(' ')}.`);
      return;
    }
    const args = (node as Record<string, unknown>)[op];
    if (op === 'var') {
      const [path, fallback, ...extra] = Array.isArray(args) ? args : [args];
      checkVar(path, Array.isArray(args) ? `${opAt}[0]` : opAt);
      if (fallback !== undefined && !isPrimitive(fallback)) push('LOGIC_INVALID', `${opAt}[1]`, 'A var default must be a plain value.');
      if (extra.length) push('LOGIC_INVALID', opAt, 'var takes a path and at most one default.');
      return;
    }
    if (op === 'missing' || op === 'missing_some') {
      const names = op === 'missing' ? args : Array.isArray(args) ? args[1] : undefined;
      const namesAt = op === 'missing' ? opAt : `${opAt}[1]`;
      if (op === 'missing_some' && !(Array.isArray(args) && typeof args[0] === 'number')) {
        push('LOGIC_INVALID', opAt, 'missing_some takes [count, [paths]].');
      }
      const list = Array.isArray(names) ? names : [names];
      list.forEach((name, i) => checkVar(name, Array.isArray(names) ? `${namesAt}[${i}]` : namesAt));
      return;
    }
    visit(args, opAt, depth + 1);
  };

  visit(expr, target.path, 0);
  return issues;
}

/** Evaluates a checked condition. A runtime error (bad types in arithmetic) counts as "no match". */
export function evaluateCondition(rule: unknown, data: object): boolean {
  try {
    return truthy(apply(rule as Parameters<typeof apply>[0], data));
  } catch {
    return false;
  }
}

/** Names every var path a condition reads (used to find branches that depend only on the contact). */
export function collectVarPaths(expr: unknown, out: string[] = []): string[] {
  if (Array.isArray(expr)) {
    for (const item of expr) collectVarPaths(item, out);
  } else if (expr && typeof expr === 'object') {
    for (const [op, args] of Object.entries(expr)) {
      if (op === 'var') {
        const path = Array.isArray(args) ? args[0] : args;
        if (typeof path === 'string') out.push(path);
      } else if (op === 'missing' || op === 'missing_some') {
        const names = op === 'missing' ? args : Array.isArray(args) ? args[1] : [];
        for (const n of Array.isArray(names) ? names : [names]) if (typeof n === 'string') out.push(n);
      } else {
        collectVarPaths(args, out);
      }
    }
  }
  return out;
}
