import type { z } from 'zod';
import { AppError } from '../platform/app-error';

/** Parses request input with a zod schema; failures become 400 VALIDATION_FAILED with the paths. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'params'): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
  const first = issues[0];
  throw new AppError(
    'VALIDATION_FAILED',
    400,
    first ? `Invalid ${where}: ${first.path} ${first.message.replace(/^Invalid input: /, '')}.` : `Invalid ${where}.`,
    { issues },
  );
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Route ids are UUIDs; anything else cannot name a row, so it is a plain 404 for that resource. */
export function parseId(value: unknown, what: string): string {
  if (typeof value === 'string' && UUID_RE.test(value)) return value.toLowerCase();
  throw new AppError(`${what.toUpperCase().replace(/\W+/g, '_')}_NOT_FOUND`, 404, `No ${what.toLowerCase()} with that id exists in this portal.`);
}
