import { Prisma, type Db } from '../../platform/prisma';
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
  eventId: bigint | null;
  callId: string | null;
  portalId: string | null;
}

// The call this event is about. An attempt id and a provider id that name two different calls
// attribute the event to neither (the same rule as the tool-call lookup).
const matchCall = (input: StoredEventInput, processed: boolean) => Prisma.sql`
  c AS (
    SELECT "id", "portalId", "providerCallId", 0 AS pri FROM "Call" WHERE "id" = ${asUuid(input.attemptId)}::uuid
    UNION ALL
    SELECT "id", "portalId", "providerCallId", 1 FROM "Call" WHERE "provider" = ${input.provider} AND "providerCallId" = ${input.providerCallId}
    ORDER BY pri LIMIT 1
  ),
  m AS (SELECT * FROM c WHERE "providerCallId" IS NULL OR ${input.providerCallId}::text IS NULL OR "providerCallId" = ${input.providerCallId}),
  ins AS (
    INSERT INTO "ProviderEvent" ("portalId", "provider", "dedupeKey", "type", "providerCallId", "callId", "payload", "processedAt")
    SELECT COALESCE((SELECT "portalId" FROM m), (SELECT "id" FROM "Portal" WHERE "id" = ${asUuid(input.metadataPortalId)}::uuid)),
           ${input.provider}, ${input.dedupeKey}, ${input.type}, ${input.providerCallId}, (SELECT "id" FROM m), ${input.payloadJson}::jsonb,
           CASE WHEN ${processed} THEN now() ELSE NULL END
    ON CONFLICT ("provider", "dedupeKey") DO NOTHING
    RETURNING "id", "callId", "portalId"
  )`;

/**
 * Stores the event and, when it is new, applies a status (or just the proof that the call exists):
 * the status only ever moves forward (the CallStatus enum is declared in lifecycle order, so
 * Postgres compares it by rank), the provider's id and placedAt are filled in if the dialer has
 * not written them yet, and startedAt / endedAt / endedReason are set once.
 */
export async function storeAndApplyEvent(db: Db, input: StoredEventInput, status: ProviderCallStatus | null, endedReason: string | null = null): Promise<StoreResult> {
  const at = input.occurredAt ?? new Date();
  const rows = await db.$queryRaw<Row[]>`
    WITH ${matchCall(input, true)},
    upd AS (
      UPDATE "Call" k SET
        "status" = CASE WHEN ${status}::text IS NOT NULL AND k."status" < ${status}::"CallStatus" THEN ${status}::"CallStatus" ELSE k."status" END,
        "providerCallId" = COALESCE(k."providerCallId", ${input.providerCallId}),
        "placedAt" = CASE WHEN ${input.providerCallId}::text IS NULL THEN k."placedAt" ELSE COALESCE(k."placedAt", ${at}) END,
        "startedAt" = CASE WHEN ${status}::text = 'in_progress' THEN COALESCE(k."startedAt", ${at}) ELSE k."startedAt" END,
        "endedAt" = CASE WHEN ${status}::text = 'ended' THEN COALESCE(k."endedAt", ${at}) ELSE k."endedAt" END,
        "endedReason" = CASE WHEN ${status}::text = 'ended' THEN COALESCE(k."endedReason", ${endedReason}) ELSE k."endedReason" END,
        "lastEventAt" = GREATEST(k."lastEventAt", ${at}),
        "updatedAt" = now()
      FROM m WHERE k."id" = m."id" AND EXISTS (SELECT 1 FROM ins)
      RETURNING k."id"
    )
    SELECT (SELECT "id" FROM ins) AS "eventId", (SELECT "id"::text FROM m) AS "callId", (SELECT "portalId"::text FROM m) AS "portalId",
           (SELECT count(*) FROM upd) AS "updated"`;
  const row = rows[0];
  return { inserted: row?.eventId != null, eventId: row?.eventId ?? null, callId: row?.callId ?? null, portalId: row?.portalId ?? null };
}

/**
 * Stores an event without applying anything. `processed: false` leaves it for a later apply
 * (end-of-call reports: finalisation marks them, the reconciler retries any it could not finish).
 */
export async function storeEvent(db: Db, input: StoredEventInput, processed: boolean): Promise<StoreResult> {
  const rows = await db.$queryRaw<Row[]>`
    WITH ${matchCall(input, processed)}
    SELECT (SELECT "id" FROM ins) AS "eventId", (SELECT "id"::text FROM m) AS "callId", (SELECT "portalId"::text FROM m) AS "portalId"`;
  const row = rows[0];
  return { inserted: row?.eventId != null, eventId: row?.eventId ?? null, callId: row?.callId ?? null, portalId: row?.portalId ?? null };
}

/** done: applied (or nothing to apply); not done: an error worth retrying, kept for the reconciler. */
export async function markEvent(db: Db, eventId: bigint, x: { done: boolean; error?: string }): Promise<void> {
  await db.providerEvent.update({ where: { id: eventId }, data: { ...(x.done ? { processedAt: new Date() } : {}), error: x.error ? x.error.slice(0, 1000) : null } });
}
