// Walks the contacts a rule selects, keyset-paged by id: Postgres narrows with the translated
// predicate, Node checks the residual on each page, and no more than one page is ever held.
import type { Db } from '../../platform/prisma';
import { Prisma } from '../../platform/prisma';
import { fieldSql } from './segment-fields';
import { matchesInNode, type CompiledRule } from './segment-rule-compile';

export interface SegmentScope {
  portalId: string;
  importId: string | null;
  compiled: CompiledRule;
}

export interface SegmentContact {
  id: string;
  phone: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  company: string | null;
  timeZone: string | null;
  consentType: string;
  hubspotContactId: string | null;
}

export const DEFAULT_BATCH_SIZE = 2000;
const MAX_BATCH_SIZE = 10_000;

/** Portal, optional import, and the rule's SQL part, over the alias c. */
export function scopeWhere(scope: SegmentScope): Prisma.Sql {
  const parts = [Prisma.sql`c."portalId" = ${scope.portalId}::uuid`];
  if (scope.importId) {
    parts.push(Prisma.sql`EXISTS (SELECT 1 FROM "ImportContact" ic
      WHERE ic."importId" = ${scope.importId}::uuid AND ic."contactId" = c.id AND ic."portalId" = ${scope.portalId}::uuid)`);
  }
  parts.push(scope.compiled.where);
  return Prisma.join(parts, ' AND ');
}

type Row = SegmentContact & Record<string, unknown>;

/** Batches of matching contacts in id order; each batch comes from one page of the scan. */
export async function* scanSegment(db: Db, scope: SegmentScope, opts: { batchSize?: number } = {}): AsyncGenerator<SegmentContact[]> {
  const limit = Math.min(Math.max(Math.trunc(opts.batchSize ?? DEFAULT_BATCH_SIZE), 1), MAX_BATCH_SIZE);
  const fields = scope.compiled.residual === null ? [] : scope.compiled.residualFields;
  const extra = fields.length ? Prisma.sql`, ${Prisma.join(fields.map((f, i) => Prisma.sql`${fieldSql(f)} AS ${Prisma.raw(`"v${i}"`)}`))}` : Prisma.empty;
  const where = scopeWhere(scope);
  let after: string | null = null;
  for (;;) {
    const keyset: Prisma.Sql = after ? Prisma.sql`AND c.id > ${after}::uuid` : Prisma.empty;
    const rows: Row[] = await db.$queryRaw<Row[]>`
      SELECT c.id::text AS id, c.phone, c."firstName", c."lastName", c.email, c.company, c."timeZone",
             c."consentType"::text AS "consentType", c."hubspotContactId" ${extra}
      FROM "Contact" c
      WHERE ${where} ${keyset}
      ORDER BY c.id
      LIMIT ${limit}::int`;
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.id;
    const matched = scope.compiled.residual === null
      ? rows
      : rows.filter((r) => matchesInNode(scope.compiled.residual, fields, fields.map((_, i) => (r[`v${i}`] as string | null) ?? null)));
    if (matched.length) {
      yield matched.map((r) => ({
        id: r.id,
        phone: r.phone,
        firstName: r.firstName,
        lastName: r.lastName,
        email: r.email,
        company: r.company,
        timeZone: r.timeZone,
        consentType: r.consentType,
        hubspotContactId: r.hubspotContactId,
      }));
    }
    if (rows.length < limit) return;
  }
}

export async function countSegment(db: Db, scope: SegmentScope): Promise<number> {
  if (scope.compiled.mode === 'sql') {
    const [row] = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Contact" c WHERE ${scopeWhere(scope)}`;
    return row?.n ?? 0;
  }
  let n = 0;
  for await (const batch of scanSegment(db, scope)) n += batch.length;
  return n;
}
