// Keyset paging for lists ordered newest first: the cursor is the (createdAt, id) of the last row
// shown, opaque to clients (base64url JSON). Stable under inserts, unlike offsets.
import { AppError } from '../../platform/app-error';

export interface PageCursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(row: PageCursor): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

// Exactly what encodeCursor writes: anything else (another shape, a time Postgres cannot hold)
// is a cursor this API never issued.
const ISSUED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ROW_ID = /^[0-9a-f-]{36}$/i;

export function decodeCursor(cursor: string | undefined): PageCursor | null {
  if (!cursor) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const [at, id] = Array.isArray(value) && value.length === 2 ? value : [];
  const createdAt = typeof at === 'string' && ISSUED_AT.test(at) ? new Date(at) : null;
  if (!createdAt || Number.isNaN(createdAt.getTime()) || typeof id !== 'string' || !ROW_ID.test(id)) {
    throw new AppError('CURSOR_INVALID', 400, 'The cursor is not one this API returned; start again without it.');
  }
  return { createdAt, id };
}

/** Prisma where-clause for "after the cursor" in (createdAt desc, id desc) order. */
export function afterCursor(cursor: PageCursor | null) {
  if (!cursor) return {};
  return { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] };
}

/** Cuts the extra row fetched to learn whether there is a next page. */
export function pageOf<T extends PageCursor>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
