// What a segment rule can read about a contact, and how each field reads in SQL.
// Every value a rule sees is a string or null - also timestamps (ISO 8601 UTC text) and
// free properties (the JSON value as text) - and both evaluation paths, SQL and Node, read the
// same SQL projection, so they see exactly the same text.
import { Prisma } from '../../platform/prisma';

const iso = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

// Fixed column expressions (never built from input): field name → SQL over the alias c.
const COLUMN_SQL: Record<string, string> = {
  firstName: 'c."firstName"',
  lastName: 'c."lastName"',
  email: 'c."email"',
  company: 'c."company"',
  phone: 'c."phone"',
  timeZone: 'c."timeZone"',
  source: 'c."source"',
  hubspotContactId: 'c."hubspotContactId"',
  consentType: 'c."consentType"::text',
  consentAt: iso('c."consentAt"'),
  createdAt: iso('c."createdAt"'),
};

export const CONTACT_FIELDS = Object.freeze(Object.keys(COLUMN_SQL));
export const PROPERTY_PREFIX = 'properties.';
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const PROPERTY_KEY_RE = /^[^.]{1,100}$/;

/** null when the path is readable; else a sentence saying why not. */
export function checkFieldPath(path: string): string | null {
  if (path.split('.').some((part) => FORBIDDEN_KEYS.has(part))) {
    return `"${path}" reaches into object internals (__proto__, constructor, prototype), which rules may not read.`;
  }
  if (Object.hasOwn(COLUMN_SQL, path)) return null;
  if (path.startsWith(PROPERTY_PREFIX)) {
    const key = path.slice(PROPERTY_PREFIX.length);
    if (PROPERTY_KEY_RE.test(key) && !key.includes('\u0000')) return null;
    return `"${path}" is not a property path: use properties.<key> with a key of 1–100 characters and no dots.`;
  }
  return `Unknown field "${path}". Known fields: ${CONTACT_FIELDS.join(', ')}, or properties.<key>.`;
}

/** The SQL text value of a checked field path; property keys travel as parameters. */
export function fieldSql(path: string): Prisma.Sql {
  const col = COLUMN_SQL[path];
  if (col !== undefined && Object.hasOwn(COLUMN_SQL, path)) return Prisma.raw(col);
  return Prisma.sql`(c."properties" ->> ${path.slice(PROPERTY_PREFIX.length)}::text)`;
}

/** The data object json-logic sees for one row, built from the projected text values. */
export function buildRuleData(paths: readonly string[], values: readonly (string | null)[]): Record<string, unknown> {
  const data: Record<string, unknown> = Object.create(null);
  const properties: Record<string, unknown> = Object.create(null);
  data.properties = properties;
  paths.forEach((p, i) => {
    const v = values[i] ?? null;
    if (p.startsWith(PROPERTY_PREFIX)) properties[p.slice(PROPERTY_PREFIX.length)] = v;
    else data[p] = v;
  });
  return data;
}
