// Translates a validated segment rule to a parameterised SQL predicate where the translation is
// exact, and says what is left for Node. Exact means: for every row, the SQL is true iff
// json-logic-js finds the rule truthy on the same projected values (segment-fields.ts: every
// value is a string or null). Where JavaScript's coercions would make SQL guess (a string
// compared with a number, arithmetic, cat/substr over fields) the node is left to Node.
// Values always travel as parameters; only fixed column expressions are raw SQL.
import jsonLogic from 'json-logic-js';
import { Prisma } from '../../platform/prisma';
import { fieldSql } from './segment-fields';
import { argsOf, isOperation } from './segment-rule-validation';

type Sql = Prisma.Sql;
type Term = { kind: 'field'; sql: Sql } | { kind: 'value'; value: unknown };

const TRUE = Prisma.sql`TRUE`;
const FALSE = Prisma.sql`FALSE`;
const bool = (b: boolean) => (b ? TRUE : FALSE);
const truthy = (v: unknown) => jsonLogic.truthy(v);

/** True when evaluating the node reads the contact (var, missing, missing_some anywhere inside). */
export function readsData(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(readsData);
  if (!isOperation(node)) return false;
  const op = Object.keys(node)[0]!;
  return op === 'var' || op === 'missing' || op === 'missing_some' || argsOf(node[op]).some(readsData);
}

const constant = (node: unknown): unknown => jsonLogic.apply(node as never, {});
const present = (field: Sql) => Prisma.sql`(${field} IS NOT NULL AND ${field} <> '')`;

function term(node: unknown): Term | null {
  if (!readsData(node)) {
    const value = constant(node);
    return value === null || ['string', 'number', 'boolean'].includes(typeof value) ? { kind: 'value', value } : null;
  }
  if (isOperation(node) && Object.keys(node)[0] === 'var') return { kind: 'field', sql: fieldSql(argsOf(node.var)[0] as string) };
  return null;
}

// ==, ===, !=, !== between terms. Fields are string|null, so loose and strict equality agree
// except against numbers/booleans, where == would coerce (left to Node) and === is never true.
function equality(op: string, a: Term, b: Term): Sql | null {
  const negate = op === '!=' || op === '!==';
  const strict = op === '===' || op === '!==';
  if (a.kind === 'value' && b.kind === 'value') return bool(Boolean(jsonLogic.apply({ [op]: [a.value, b.value] } as never)));
  if (a.kind === 'field' && b.kind === 'field') {
    return negate ? Prisma.sql`(${a.sql} IS DISTINCT FROM ${b.sql})` : Prisma.sql`(${a.sql} IS NOT DISTINCT FROM ${b.sql})`;
  }
  const field = (a.kind === 'field' ? a : b) as { sql: Sql };
  const value = (a.kind === 'value' ? a : b) as { value: unknown };
  if (value.value === null) return negate ? Prisma.sql`(${field.sql} IS NOT NULL)` : Prisma.sql`(${field.sql} IS NULL)`;
  if (typeof value.value === 'string') {
    return negate ? Prisma.sql`(${field.sql} IS DISTINCT FROM ${value.value}::text)` : Prisma.sql`COALESCE(${field.sql} = ${value.value}::text, FALSE)`;
  }
  return strict ? bool(negate) : null;
}

// <, <=, >, >= between a field and a string: JavaScript compares two strings by code unit; a
// null field is converted to 0 and the string to a number, a result known here in advance.
// COLLATE "C" compares by code point, which differs from code units only between astral
// characters and U+E000–U+FFFF at the same position.
function ordering(op: string, a: Term, b: Term): Sql | null {
  if (a.kind === 'value' && b.kind === 'value') return bool(Boolean(jsonLogic.apply({ [op]: [a.value, b.value] } as never)));
  if (a.kind === 'field' && b.kind === 'value' && typeof b.value === 'string') {
    const ifNull = Boolean(jsonLogic.apply({ [op]: [null, b.value] } as never));
    return Prisma.sql`(CASE WHEN ${a.sql} IS NULL THEN ${bool(ifNull)} ELSE (${a.sql} COLLATE "C" ${Prisma.raw(op)} ${b.value}::text COLLATE "C") END)`;
  }
  if (a.kind === 'value' && b.kind === 'field' && typeof a.value === 'string') {
    const ifNull = Boolean(jsonLogic.apply({ [op]: [a.value, null] } as never));
    return Prisma.sql`(CASE WHEN ${b.sql} IS NULL THEN ${bool(ifNull)} ELSE (${a.value}::text COLLATE "C" ${Prisma.raw(op)} ${b.sql} COLLATE "C") END)`;
  }
  return null;
}

function inOp(args: unknown[]): Sql | null {
  const [needle, hay] = args;
  // field in [literal, ...]: Array.prototype.indexOf, strict equality.
  if (Array.isArray(hay) && !readsData(hay)) {
    const t = term(needle);
    if (t?.kind !== 'field') return null;
    const list = constant(hay) as unknown[];
    const strings = list.filter((v): v is string => typeof v === 'string');
    const parts = [Prisma.sql`COALESCE(${t.sql} = ANY(${strings}::text[]), FALSE)`];
    if (list.includes(null)) parts.push(Prisma.sql`(${t.sql} IS NULL)`);
    return Prisma.sql`(${Prisma.join(parts, ' OR ')})`;
  }
  // "text" in field: String.prototype.indexOf (substring), false for a null or empty field.
  const n = term(needle);
  const h = term(hay);
  if (n?.kind === 'value' && typeof n.value === 'string' && h?.kind === 'field') {
    return Prisma.sql`(${present(h.sql)} AND strpos(${h.sql}, ${n.value}::text) > 0)`;
  }
  return null;
}

function missingKeys(args: unknown[]): string[] {
  return (args.length === 1 && Array.isArray(args[0]) ? args[0] : args) as string[];
}

/** A never-NULL SQL boolean equal to the node's JSONLogic truthiness, or null if not exact. */
export function predicate(node: unknown): Sql | null {
  if (!readsData(node)) return bool(truthy(constant(node)));
  if (Array.isArray(node)) return bool(node.length > 0); // an array's truthiness is its length
  if (!isOperation(node)) return null;
  const op = Object.keys(node)[0]!;
  const args = argsOf(node[op]);
  switch (op) {
    case 'var':
      return present(fieldSql(args[0] as string));
    case 'and':
    case 'or': {
      const parts = args.map(predicate);
      if (parts.some((p) => p === null)) return null;
      return Prisma.sql`(${Prisma.join(parts as Sql[], op === 'and' ? ' AND ' : ' OR ')})`;
    }
    case '!':
    case '!!': {
      const p = predicate(args[0]);
      if (!p) return null;
      return op === '!' ? Prisma.sql`(NOT ${p})` : p;
    }
    case 'if':
    case '?:': {
      const parts = args.map(predicate);
      if (parts.some((p) => p === null)) return null;
      const whens: Sql[] = [];
      let i = 0;
      for (; i + 1 < parts.length; i += 2) whens.push(Prisma.sql`WHEN ${parts[i]!} THEN ${parts[i + 1]!}`);
      const otherwise = i < parts.length ? parts[i]! : FALSE;
      return whens.length === 0 ? otherwise : Prisma.sql`(CASE ${Prisma.join(whens, ' ')} ELSE ${otherwise} END)`;
    }
    case '==':
    case '===':
    case '!=':
    case '!==': {
      const [a, b] = args.map(term);
      return a && b ? equality(op, a, b) : null;
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const terms = args.map(term);
      if (terms.some((t) => t === null)) return null;
      const pairs = terms.slice(1).map((t, i) => ordering(op, terms[i]!, t!));
      if (pairs.some((p) => p === null)) return null;
      return Prisma.sql`(${Prisma.join(pairs as Sql[], ' AND ')})`;
    }
    case 'in':
      return inOp(args);
    case 'missing': {
      const keys = missingKeys(args);
      if (keys.length === 0) return FALSE;
      return Prisma.sql`(${Prisma.join(keys.map((k) => Prisma.sql`NOT ${present(fieldSql(k))}`), ' OR ')})`;
    }
    case 'missing_some': {
      const need = args[0] as number;
      const keys = args[1] as string[];
      if (keys.length === 0) return FALSE;
      const count = Prisma.join(keys.map((k) => Prisma.sql`(CASE WHEN ${present(fieldSql(k))} THEN 1 ELSE 0 END)`), ' + ');
      return Prisma.sql`((${count}) < ${need}::int AND (${count}) < ${keys.length}::int)`;
    }
    default:
      return null; // cat, substr, arithmetic, min/max over fields: JavaScript coercion, Node decides
  }
}
