import querystring from 'node:querystring';
import fc from 'fast-check';
import type { z } from 'zod';
import { jsonSchemaOf } from '../../../backend/src/http/openapi';
import { deepNesting, hostileJson, hostileScalar, JsonRaw, obj, parsedJson, pollution, shortHostileString, wellFormed, type Json } from './hostile-json';

// Hostile input shaped by a route's own zod schema: its field names, each given a value that
// misses its bounds or type, plus junk around them. The schema is the oracle: a generated case
// is kept only when the schema refuses what the server will parse, so every case is one the
// route must refuse (a schema that cannot even walk the value counts as refusing it).

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; items?: JsonSchema; anyOf?: JsonSchema[]; oneOf?: JsonSchema[] };

export function schemaRefuses(schema: z.ZodType, value: unknown): boolean {
  try {
    return !schema.safeParse(value).success;
  } catch {
    return true;
  }
}

const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

/** Values just outside what one JSON Schema node allows, as JSON. */
function boundaryValues(s: JsonSchema): Json[] {
  const out: Json[] = [];
  const min = num(s.minimum) ?? num(s.exclusiveMinimum);
  const max = num(s.maximum) ?? num(s.exclusiveMaximum);
  if (min !== undefined) out.push(min - 1, min - 0.5);
  if (max !== undefined) out.push(max + 1, max + 0.5);
  if (s.type === 'integer') out.push(1.5, new JsonRaw('1e999'));
  if (num(s.maxLength) !== undefined) out.push('x'.repeat((s.maxLength as number) + 1));
  if (num(s.minLength)) out.push('');
  if (Array.isArray(s.enum)) out.push(`${String(s.enum[0])}-not`, String(s.enum[0]).toUpperCase() + ' ');
  if (s.const !== undefined) out.push(`${String(s.const)}x`);
  if (s.format === 'uuid' || s.pattern) out.push('00000000-0000-0000-0000-00000000000g', 'not-an-id', ' ');
  if (s.format === 'date-time' || s.format === 'date') out.push('2024-13-45T99:99:99Z', 'yesterday', '-271821-04-20T00:00:00Z', '');
  if (num(s.maxItems) !== undefined) out.push(Array.from({ length: (s.maxItems as number) + 1 }, () => 'x'));
  if (s.type === 'object' || s.properties) out.push([], 'an object was expected');
  if (s.type === 'array') out.push(obj([['0', 'x']]), 'a list was expected');
  return out;
}

/** A hostile value for one schema node: its boundaries, its children made hostile, or junk. */
export function hostileFor(s: JsonSchema, depth = 2): fc.Arbitrary<Json> {
  const options: Array<fc.Arbitrary<Json>> = [hostileScalar, pollution];
  const edges = boundaryValues(s);
  if (edges.length) options.push(fc.constantFrom(...edges), fc.constantFrom(...edges));
  for (const branch of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) options.push(hostileFor(branch, depth));
  if (depth > 0 && s.properties && Object.keys(s.properties).length) options.push(hostileObject(s, depth - 1), hostileObject(s, depth - 1));
  if (depth > 0 && s.items) options.push(fc.array(hostileFor(s.items, depth - 1), { minLength: 1, maxLength: 3 }));
  if (depth > 0) options.push(hostileJson, deepNesting);
  return fc.oneof(...options);
}

/** An object with some of the schema's own fields (each hostile), sometimes with junk keys added. */
function hostileObject(s: JsonSchema, depth: number): fc.Arbitrary<Json> {
  const names = Object.keys(s.properties ?? {});
  const field = fc.constantFrom(...names).chain((name) => hostileFor(s.properties![name]!, depth).map((v) => [name, v] as const));
  const junk = fc.tuple(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'extra'), fc.string({ maxLength: 10 })), hostileJson);
  return fc
    .tuple(fc.uniqueArray(field, { minLength: 1, maxLength: Math.min(4, names.length), selector: ([k]) => k }), fc.array(junk, { maxLength: 2 }))
    .map(([fields, extra]) => obj([...fields, ...extra]));
}

/** JSON bodies the schema refuses: its object with hostile fields, or no object at all. */
export function hostileBody(schema: z.ZodType): fc.Arbitrary<Json> {
  const json = jsonSchemaOf(schema) as JsonSchema;
  const shaped = json.properties && Object.keys(json.properties).length ? hostileObject(json, 2) : hostileFor(json, 2);
  return fc
    .oneof(
      { weight: 8, arbitrary: shaped },
      { weight: 1, arbitrary: fc.array(hostileJson, { maxLength: 3 }) },
      { weight: 1, arbitrary: pollution },
      { weight: 1, arbitrary: deepNesting },
    )
    .filter((body) => schemaRefuses(schema, parsedJson(body)));
}

/** Query values: numbers and strings just outside the bounds, junk, and repeated parameters. */
function hostileParam(s: JsonSchema): fc.Arbitrary<string | string[]> {
  const edges = boundaryValues(s).flatMap((v) => (typeof v === 'string' || typeof v === 'number' ? [String(v)] : v instanceof JsonRaw ? [v.text] : []));
  const one = fc.oneof(shortHostileString.map(wellFormed), fc.constantFrom('-1', '0', '1.5', 'abc', 'NaN', 'Infinity', '99999999999999999999', ...edges));
  return fc.oneof({ weight: 3, arbitrary: one }, { weight: 1, arbitrary: fc.array(one, { minLength: 2, maxLength: 3 }) });
}

export interface HostileQuery {
  query: string;
  /** Why the route must refuse it when the schema alone would not (a cursor it never issued). */
  because?: string;
}

/**
 * Query strings the schema refuses, or that carry a cursor the API never handed out. `cursors`
 * are such cursors, for routes that page.
 */
export function hostileQuery(schema: z.ZodType, cursors: fc.Arbitrary<string>): fc.Arbitrary<HostileQuery> {
  const props = (jsonSchemaOf(schema) as JsonSchema).properties ?? {};
  const names = Object.keys(props);
  const param = fc.constantFrom(...names).chain((name) =>
    (name === 'cursor' ? fc.oneof(cursors.map((c) => ({ c })), hostileParam(props[name]!)) : hostileParam(props[name]!)).map((v) => [name, v] as const),
  );
  return fc
    .tuple(fc.uniqueArray(param, { minLength: 1, maxLength: Math.min(3, names.length), selector: ([k]) => k }), fc.option(fc.tuple(fc.constantFrom('__proto__', 'constructor[prototype]', 'a[]'), shortHostileString.map(wellFormed))))
    .map(([params, extra]) => {
      const record: Record<string, string | string[]> = {};
      let because: string | undefined;
      for (const [name, v] of params) {
        if (typeof v === 'object' && !Array.isArray(v)) {
          record[name] = v.c;
          because = 'a cursor this API never issued';
        } else record[name] = v;
      }
      const query = querystring.stringify(record) + (extra ? `&${querystring.stringify({ [extra[0]]: extra[1] })}` : '');
      if (query.includes('%00')) because ??= 'a NUL character, which no stored text can hold';
      return { query, because };
    })
    .filter((q) => q.query.length < 8_000 && (q.because !== undefined || schemaRefuses(schema, querystring.parse(q.query))));
}
