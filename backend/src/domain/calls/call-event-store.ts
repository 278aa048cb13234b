import type { Db } from '../../platform/prisma';
import type { SqlRunner } from '../../platform/sql-runner';
import type { ProviderCallStatus } from '../../providers/voice/voice-provider';

// Every provider webhook is stored as received, once: ProviderEvent is unique on
// (provider, dedupeKey), so a repeat delivery inserts nothing and applies nothing (design.md §4.5).
// For the light events (status, transcript, hang, anything unknown) storing and applying is ONE
// statement, in the shape measured in research/perf.md §5.2: find the call, insert the event, and
// only if the insert happened move the call forward. The call is found by our attempt id first
// (a webhook can beat the dialer's write of the provider's id), then by the provider's call id.

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const asUuid = (v: unknown): string | null => (typeof v === 'string' && UUID_RE.test(v) ? v.toLowerCase() : null);

export interface StoredEventInput {
  provider: string;
  dedupeKey: string;
  type: string;
  providerCallId: string | null;
  attemptId: string | null;
  /** metadata.portalId, used only when no call matches (and only if that portal exists). */
  metadataPortalId: unknown;
  /** The message exactly as received (JSON text). */
  payloadJson: string;
  occurredAt: Date | null;
}

export interface StoreResult {
  /** False for a repeat delivery: nothing was written. */
  inserted: boolean;
  eventId: bigint | null;
  callId: string | null;
  portalId: string | null;
}

interface Row {
  eventId: bigint | string | null;
  callId: string | null;
  portalId: string | null;
}

// $1 provider, $2 provider call id, $3 attempt id, $4 metadata portal id, $5 dedupe key, $6 type,
// $7 payload, $8 processed. The call this event is about: found by our attempt id first, then by
// the provider's id; an attempt id and a provider id naming two different calls attribute the
// event to neither (the same rule as the tool-call lookup).
//
// asyncCommit: this one statement commits without waiting for the WAL flush (set_config(..., true)
// is SET LOCAL for its implicit transaction). Used for status updates and transcripts: a crash can
// lose the last fraction of a second of them, never corrupt anything, and neither decides a call's
// outcome (the report does, and the reconciler asks the provider when it is missing). Reports
// are stored with a normal, durable commit.
const matchAndInsert = (asyncCommit: boolean) => `
  ${asyncCommit ? "a AS (SELECT set_config('synchronous_commit', 'off', true) AS v)," : ''}
  c AS (
    SELECT "id", "portalId", "providerCallId", 0 AS pri FROM "Call" WHERE "id" = $3::uuid
    UNION ALL
    SELECT "id", "portalId", "providerCallId", 1 FROM "Call" WHERE "provider" = $1::text AND "providerCallId" = $2::text
    ORDER BY pri LIMIT 1
  ),
  m AS (SELECT * FROM c WHERE "providerCallId" IS NULL OR $2::text IS NULL OR "providerCallId" = $2::text),
  ins AS (
    INSERT INTO "ProviderEvent" ("portalId", "provider", "dedupeKey", "type", "providerCallId", "callId", "payload", "processedAt")
    SELECT COALESCE((SELECT "portalId" FROM m), (SELECT "id" FROM "Portal" WHERE "id" = $4::uuid)),
           $1::text, $5::text, $6::text, $2::text, (SELECT "id" FROM m), $7::jsonb,
           CASE WHEN $8::boolean THEN now() ELSE NULL END
    ${asyncCommit ? "FROM a WHERE a.v = 'off'" : ''}
    ON CONFLICT ("provider", "dedupeKey") DO NOTHING
    RETURNING "id", "callId", "portalId"
  )`;

/**
 * For a statement that has already found the call (a CTE `found` with "id" and "portalId", at most
 * one row): a CTE `ins` storing the event against that call, as processed. Its parameters are
 * `storedEventParams(input)`, numbered from `from`. The script step records a tool-calls message
 * this way in the same statement as the step itself (script-step.service.ts).
 */
export const insertEventForFoundCall = (from: number) => `
  ins AS (
    INSERT INTO "ProviderEvent" ("portalId", "provider", "dedupeKey", "type", "providerCallId", "callId", "payload", "processedAt")
    SELECT f."portalId", $${from}::text, $${from + 1}::text, $${from + 2}::text, $${from + 3}::text, f."id", $${from + 4}::jsonb, now() FROM found f
    ON CONFLICT ("provider", "dedupeKey") DO NOTHING
  )`;
export const storedEventParams = (input: StoredEventInput) => [input.provider, input.dedupeKey, input.type, input.providerCallId, input.payloadJson];

// $9 status, $10 occurredAt (ISO, UTC), $11 ended reason. Timestamps go in as UTC text: the
// columns are timestamp without time zone holding UTC, whatever the session's zone.
const STORE_AND_APPLY = `
  WITH ${matchAndInsert(true)},
  upd AS (
    UPDATE "Call" k SET
      "status" = CASE WHEN $9::text IS NOT NULL AND k."status" < $9::"CallStatus" THEN $9::"CallStatus" ELSE k."status" END,
      "providerCallId" = COALESCE(k."providerCallId", $2::text),
      "placedAt" = CASE WHEN $2::text IS NULL THEN k."placedAt" ELSE COALESCE(k."placedAt", $10::timestamptz AT TIME ZONE 'UTC') END,
      "startedAt" = CASE WHEN $9::text = 'in_progress' THEN COALESCE(k."startedAt", $10::timestamptz AT TIME ZONE 'UTC') ELSE k."startedAt" END,
      "endedAt" = CASE WHEN $9::text = 'ended' THEN COALESCE(k."endedAt", $10::timestamptz AT TIME ZONE 'UTC') ELSE k."endedAt" END,
      "endedReason" = CASE WHEN $9::text = 'ended' THEN COALESCE(k."endedReason", $11::text) ELSE k."endedReason" END,
      "lastEventAt" = GREATEST(k."lastEventAt", $10::timestamptz AT TIME ZONE 'UTC'),
      "updatedAt" = now() AT TIME ZONE 'UTC'
    FROM m WHERE k."id" = m."id" AND EXISTS (SELECT 1 FROM ins)
      -- Only a write that changes something: a status that moves forward, or the provider's id
      -- the dialer has not saved yet. Transcripts and late statuses leave the (wide, many-index)
      -- call row alone.
      AND (($9::text IS NOT NULL AND k."status" < $9::"CallStatus") OR (k."providerCallId" IS NULL AND $2::text IS NOT NULL))
    RETURNING k."id"
  )
  SELECT (SELECT "id" FROM ins) AS "eventId", (SELECT "id"::text FROM m) AS "callId", (SELECT "portalId"::text FROM m) AS "portalId",
         (SELECT count(*) FROM upd)::int AS "updated"`;

const storeOnly = (asyncCommit: boolean) => `
  WITH ${matchAndInsert(asyncCommit)}
  SELECT (SELECT "id" FROM ins) AS "eventId", (SELECT "id"::text FROM m) AS "callId", (SELECT "portalId"::text FROM m) AS "portalId"`;
const STORE_ONLY = storeOnly(false);
const STORE_ONLY_ASYNC = storeOnly(true);

const baseParams = (input: StoredEventInput, processed: boolean) => [
  input.provider,
  input.providerCallId,
  asUuid(input.attemptId),
  asUuid(input.metadataPortalId),
  input.dedupeKey,
  input.type,
  input.payloadJson,
  processed,
];

const resultOf = (row: Row | undefined): StoreResult => ({
  inserted: row?.eventId != null,
  eventId: row?.eventId != null ? BigInt(row.eventId) : null,
  callId: row?.callId ?? null,
  portalId: row?.portalId ?? null,
});

/**
 * Stores the event and, when it is new, applies a status (or just the proof that the call exists):
 * the status only ever moves forward (the CallStatus enum is declared in lifecycle order, so
 * Postgres compares it by rank), the provider's id and placedAt are filled in if the dialer has
 * not written them yet, and startedAt / endedAt / endedReason are set once. lastEventAt marks
 * the latest status applied (the reconciler's clock for "ended, report overdue").
 */
export async function storeAndApplyEvent(sql: SqlRunner, input: StoredEventInput, status: ProviderCallStatus | null, endedReason: string | null = null): Promise<StoreResult> {
  const at = (input.occurredAt ?? new Date()).toISOString();
  const rows = await sql.query<Row>(STORE_AND_APPLY, [...baseParams(input, true), status, at, endedReason], 'hac_event_store_apply');
  return resultOf(rows[0]);
}

/**
 * Stores an event without applying anything. `processed: false` leaves it for a later apply
 * (end-of-call reports: finalisation marks them, the reconciler retries any it could not finish).
 */
export async function storeEvent(sql: SqlRunner, input: StoredEventInput, processed: boolean, opts: { asyncCommit?: boolean } = {}): Promise<StoreResult> {
  const rows = opts.asyncCommit
    ? await sql.query<Row>(STORE_ONLY_ASYNC, baseParams(input, processed), 'hac_event_store_async')
    : await sql.query<Row>(STORE_ONLY, baseParams(input, processed), 'hac_event_store');
  return resultOf(rows[0]);
}

/** done: applied (or nothing to apply); not done: an error worth retrying, kept for the reconciler. */
export async function markEvent(db: Db, eventId: bigint, x: { done: boolean; error?: string }): Promise<void> {
  await db.providerEvent.update({ where: { id: eventId }, data: { ...(x.done ? { processedAt: new Date() } : {}), error: x.error ? x.error.slice(0, 1000) : null } });
}
