// Splits a validated rule into what Postgres decides exactly and what Node decides over the rows
// Postgres lets through. A top-level "and" is split conjunct by conjunct, so the translatable
// parts still narrow the scan when one part is not.
import jsonLogic from 'json-logic-js';
import { Prisma } from '../../platform/prisma';
import { buildRuleData } from './segment-fields';
import { predicate } from './segment-rule-sql';
import { argsOf, isOperation } from './segment-rule-validation';

export type EvaluationMode = 'sql' | 'sql+node' | 'node';

export interface CompiledRule {
  mode: EvaluationMode;
  /** Exact when mode is "sql"; otherwise a condition every matching row meets. */
  where: Prisma.Sql;
  /** What Node still has to check on the rows `where` lets through (null: nothing). */
  residual: unknown;
  /** Field paths the residual reads, in projection order. */
  residualFields: string[];
}

/** Every field path a rule reads (var, missing, missing_some), deduplicated. */
export function collectFields(node: unknown, into = new Set<string>()): string[] {
  if (Array.isArray(node)) node.forEach((n) => collectFields(n, into));
  else if (isOperation(node)) {
    const op = Object.keys(node)[0]!;
    const args = argsOf(node[op]);
    if (op === 'var') into.add(args[0] as string);
    else if (op === 'missing') (args.length === 1 && Array.isArray(args[0]) ? args[0] : args).forEach((k) => into.add(k as string));
    else if (op === 'missing_some') (args[1] as string[]).forEach((k) => into.add(k));
    else args.forEach((a) => collectFields(a, into));
  }
  return [...into];
}

function safePredicate(node: unknown): Prisma.Sql | null {
  try {
    return predicate(node);
  } catch {
    return null; // constant folding hit something odd: let Node decide
  }
}

export function compileSegmentRule(rule: unknown, opts: { forceNode?: boolean } = {}): CompiledRule {
  const node = (residual: unknown, where: Prisma.Sql[]): CompiledRule => ({
    mode: where.length ? 'sql+node' : 'node',
    where: where.length ? Prisma.sql`(${Prisma.join(where, ' AND ')})` : Prisma.sql`TRUE`,
    residual,
    residualFields: collectFields(residual),
  });
  if (opts.forceNode) return node(rule, []);
  const whole = safePredicate(rule);
  if (whole) return { mode: 'sql', where: whole, residual: null, residualFields: [] };
  if (isOperation(rule) && Object.keys(rule)[0] === 'and') {
    const parts = argsOf(rule.and);
    const sql: Prisma.Sql[] = [];
    const rest: unknown[] = [];
    for (const p of parts) {
      const s = safePredicate(p);
      if (s) sql.push(s);
      else rest.push(p);
    }
    return node(rest.length === 1 ? rest[0] : { and: rest }, sql);
  }
  return node(rule, []);
}

/** json-logic-js on one row's projected values; an evaluation error means "no match". */
export function matchesInNode(residual: unknown, fields: readonly string[], values: readonly (string | null)[]): boolean {
  try {
    return jsonLogic.truthy(jsonLogic.apply(residual as never, buildRuleData(fields, values)));
  } catch {
    return false;
  }
}
