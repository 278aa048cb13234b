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

export function decodeCursor(cursor: string | undefined): PageCursor | null {
  if (!cursor) return null;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const createdAt = new Date(at);
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(createdAt.getTime())) throw new Error('bad cursor');
    return { createdAt, id };
  } catch {
    throw new AppError('CURSOR_INVALID', 400, 'The cursor is not one this API returned; start again without it.');
  }
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
