import type { Client } from 'pg';
import { inPgTransaction } from '../../platform/pg-transaction';

// Stage 3: one transaction moves the staged rows into Contact with INSERT … ON CONFLICT on
// (portal, phone), links them to the import, stores the rejected rows and marks the import
// completed. Either all of it commits or none of it does: that is the import's guarantee.

export type ImportMode = 'update' | 'keep';

export interface MergeInput {
  importId: string;
  portalId: string;
  mode: ImportMode;
  /** Contact.source for contacts this import creates, e.g. "csv_import". */
  contactSource: string;
  /** Rows that carried a consent column value (they get their own statement, see below). */
  consentRows: number;
  counts: { rowsRead: number; duplicate: number; rejected: number; bytesRead?: number };
}

export interface MergeResult {
  created: number;
  updated: number;
  /** keep mode: contacts that already existed and were left as they were */
  kept: number;
}

const SRC = `SELECT s.* FROM pg_temp.import_stage s
  WHERE s.phone IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_temp.import_losers l WHERE l.row_number = s.row_number)`;

// Contacts an import creates get the time-ordered ids staged with their rows (uuid-v7.ts).
const insertContact = (sourceParam: string) => `INSERT INTO "Contact" AS c (id, "portalId", phone, "firstName", "lastName", email, company, "timeZone", "timeZoneSource",
    "hubspotContactId", properties, source, "consentType", "consentSource", "consentAt", "updatedAt")
  SELECT contact_id, $1::uuid, phone, first_name, last_name, email, company, time_zone, tz_source, hubspot_id, COALESCE(properties, '{}'::jsonb), ${sourceParam},
    COALESCE(consent_type, 'none')::"ConsentType", consent_source, consent_at, now()
  FROM src`;

// Empty cells never erase what a contact already has; a zone the file states beats one guessed
// from the number or the portal, and a guess never replaces a zone someone chose.
const TZ_WINS = `(c."timeZone" IS NULL OR EXCLUDED."timeZoneSource" = 'file' OR c."timeZoneSource" IN ('phone', 'portal_default'))`;
const UPDATE_SET = `"firstName" = COALESCE(EXCLUDED."firstName", c."firstName"),
    "lastName" = COALESCE(EXCLUDED."lastName", c."lastName"),
    email = COALESCE(EXCLUDED.email, c.email),
    company = COALESCE(EXCLUDED.company, c.company),
    "timeZone" = CASE WHEN ${TZ_WINS} THEN EXCLUDED."timeZone" ELSE c."timeZone" END,
    "timeZoneSource" = CASE WHEN ${TZ_WINS} THEN EXCLUDED."timeZoneSource" ELSE c."timeZoneSource" END,
    "hubspotContactId" = COALESCE(EXCLUDED."hubspotContactId", c."hubspotContactId"),
    properties = c.properties || EXCLUDED.properties,
    "updatedAt" = now()`;
const CONSENT_SET = `, "consentType" = EXCLUDED."consentType", "consentSource" = EXCLUDED."consentSource", "consentAt" = EXCLUDED."consentAt"`;

// ON CONFLICT's update sees only the proposed row, which cannot say "the file gave no consent"
// (consentType is NOT NULL). So rows with and without consent values are merged by two
// statements, the second only when the file has consent values at all.
const upsertSql = (withConsent: boolean) => `WITH src AS (${SRC} AND (s.consent_type IS NOT NULL) = ${withConsent}),
  up AS (${insertContact('$3')}
    ON CONFLICT ("portalId", phone) DO UPDATE SET ${UPDATE_SET}${withConsent ? CONSENT_SET : ''}
    RETURNING c.id, (c.xmax = 0) AS inserted),
  link AS (INSERT INTO "ImportContact" ("importId", "contactId", "portalId") SELECT $2::uuid, id, $1::uuid FROM up)
  SELECT count(*) FILTER (WHERE inserted)::int AS created, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM up`;

const INSERT_ONLY_SQL = `WITH src AS (${SRC}), ins AS (${insertContact('$2')} ON CONFLICT ("portalId", phone) DO NOTHING RETURNING c.id)
  SELECT count(*)::int AS created FROM ins`;
const LINK_ALL_SQL = `INSERT INTO "ImportContact" ("importId", "contactId", "portalId")
  SELECT $2::uuid, c.id, $1::uuid FROM (${SRC}) s JOIN "Contact" c ON c."portalId" = $1::uuid AND c.phone = s.phone`;

const REJECTED_SQL = `INSERT INTO "ImportRejectedRow" ("importId", "portalId", "rowNumber", reason, raw)
  SELECT $1::uuid, $2::uuid, row_number, reject_reason, raw FROM pg_temp.import_stage WHERE phone IS NULL ORDER BY row_number`;

async function mergeContacts(client: Client, m: MergeInput): Promise<MergeResult> {
  const args = [m.portalId, m.importId, m.contactSource];
  if (m.mode === 'keep') {
    const { rows } = await client.query<{ created: number }>(INSERT_ONLY_SQL, [m.portalId, m.contactSource]);
    const linked = await client.query(LINK_ALL_SQL, [m.portalId, m.importId]);
    const created = rows[0]!.created;
    return { created, updated: 0, kept: (linked.rowCount ?? 0) - created };
  }
  const total: MergeResult = { created: 0, updated: 0, kept: 0 };
  for (const withConsent of m.consentRows > 0 ? [false, true] : [false]) {
    const { rows } = await client.query<{ created: number; updated: number }>(upsertSql(withConsent), args);
    total.created += rows[0]!.created;
    total.updated += rows[0]!.updated;
  }
  return total;
}

/** Returns null when the import is no longer running (another run already finished it). */
export async function mergeStaged(client: Client, m: MergeInput): Promise<MergeResult | null> {
  return inPgTransaction(client, async () => {
    await client.query(`SET LOCAL work_mem = '128MB'`);
    // One merge per portal at a time: two imports upserting overlapping numbers in different
    // orders would otherwise deadlock.
    await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('hac:contacts:' || $1::text, 0))`, [m.portalId]);
    const status = await client.query<{ status: string }>(`SELECT status FROM "Import" WHERE id = $1 AND "portalId" = $2 FOR UPDATE`, [m.importId, m.portalId]);
    // Nothing written yet: ending the transaction here only releases the locks.
    if (status.rows[0]?.status !== 'running') return null;
    const result = await mergeContacts(client, m);
    await client.query(REJECTED_SQL, [m.importId, m.portalId]);
    await client.query(
      `UPDATE "Import" SET status = 'completed', "rowsRead" = $2, created = $3, updated = $4, duplicate = $5, rejected = $6,
         "bytesRead" = COALESCE($7, "bytesRead"), error = NULL, "finishedAt" = now(), "updatedAt" = now() WHERE id = $1`,
      [m.importId, m.counts.rowsRead, result.created, result.updated, m.counts.duplicate, m.counts.rejected, m.counts.bytesRead ?? null],
    );
    return result;
  });
}
