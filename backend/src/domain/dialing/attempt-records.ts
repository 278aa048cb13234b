import type { Db } from '../../platform/prisma';
import type { SqlRunner } from '../../platform/sql-runner';
import type { DialAudit } from './dial-checks';

// The Postgres side of one attempt's life, each step a compare-and-set on the contact's state
// (style.md habit 8): whoever loses a race changes nothing.

const auditData = (a: DialAudit) => ({
  dncCheckResult: a.dncCheckResult,
  dncCheckedAt: a.dncCheckResult === 'not_checked' ? null : a.checkedAt,
  consentSnapshot: a.consentSnapshot ?? undefined,
  localTimeAtDial: a.localTimeAtDial,
  contactTimeZone: a.contactTimeZone,
  startedBy: a.startedBy,
});

// Timestamps go in as ISO strings read AT TIME ZONE 'UTC' into the timestamp columns (Prisma's
// UTC convention), whatever the process's zone.
const CLAIM_SQL = `
  WITH claimed AS (
    UPDATE "CampaignContact" SET state = 'dialing', attempts = attempts + 1, "updatedAt" = ($3::timestamptz AT TIME ZONE 'UTC')
     WHERE id = $2::uuid AND state = 'queued' AND EXISTS (SELECT 1 FROM "Call" WHERE id = $1::uuid)
     RETURNING id)
  UPDATE "Call" SET "dialStartedAt" = ($3::timestamptz AT TIME ZONE 'UTC'), provider = $4, "providerAccount" = $5,
         "dncCheckResult" = $6, "dncCheckedAt" = ($7::timestamptz AT TIME ZONE 'UTC'), "consentSnapshot" = COALESCE($8::jsonb, "consentSnapshot"),
         "localTimeAtDial" = $9, "contactTimeZone" = $10, "startedBy" = $11, "updatedAt" = ($3::timestamptz AT TIME ZONE 'UTC')
   WHERE id = $1::uuid AND EXISTS (SELECT 1 FROM claimed)
  RETURNING id`;

/**
 * queued → dialing, before the provider is asked. The attempt counts from here. One statement
 * (a data-modifying CTE is atomic like a transaction, in one round trip and without holding a
 * pooled connection across awaits): the contact moves only if it is still queued and its attempt
 * row exists, and the attempt is stamped only if the contact moved. Whoever loses changes nothing.
 */
export async function claimAttempt(sql: SqlRunner, x: { callId: string; ccId: string; provider: string; accountKey: string; audit: DialAudit; now: Date }): Promise<boolean> {
  const a = auditData(x.audit);
  const rows = await sql.query(
    CLAIM_SQL,
    [x.callId, x.ccId, x.now.toISOString(), x.provider, x.accountKey, a.dncCheckResult, a.dncCheckedAt?.toISOString() ?? null,
      a.consentSnapshot === undefined ? null : JSON.stringify(a.consentSnapshot), a.localTimeAtDial, a.contactTimeZone, a.startedBy],
    'hac_dial_claim',
  );
  return rows.length === 1;
}

/** dialing → queued: the provider refused before creating anything (capacity, 429, account). Not an attempt. */
export async function revertClaim(db: Db, x: { callId: string; ccId: string }): Promise<void> {
  await db.$transaction(async (tx) => {
    const { count } = await tx.campaignContact.updateMany({ where: { id: x.ccId, state: 'dialing' }, data: { state: 'queued', attempts: { decrement: 1 } } });
    if (count === 1) await tx.call.update({ where: { id: x.callId }, data: { dialStartedAt: null } });
  });
}

const PLACED_SQL = `
  WITH placed AS (
    UPDATE "Call" SET "providerCallId" = COALESCE("providerCallId", $3),
           "placedAt" = CASE WHEN "providerCallId" IS NULL THEN ($4::timestamptz AT TIME ZONE 'UTC') ELSE "placedAt" END,
           status = CASE WHEN status = 'pending' THEN 'queued'::"CallStatus" ELSE status END,
           "updatedAt" = ($4::timestamptz AT TIME ZONE 'UTC')
     WHERE id = $1::uuid AND ("providerCallId" IS NULL OR status = 'pending')
     RETURNING id)
  UPDATE "CampaignContact" SET state = 'in_call', "updatedAt" = ($4::timestamptz AT TIME ZONE 'UTC')
   WHERE id = $2::uuid AND state = 'dialing'`;

/**
 * The provider accepted: keep its id; the contact is in a call (unless a report already ended it).
 * One statement: the first id wins (a webhook carrying our attempt id may have recorded it), the
 * status moves on only from pending, and the contact only from dialing.
 */
export async function recordPlaced(sql: SqlRunner, x: { callId: string; ccId: string; providerCallId: string; now: Date }): Promise<void> {
  await sql.query(PLACED_SQL, [x.callId, x.ccId, x.providerCallId, x.now.toISOString()], 'hac_dial_placed');
}

/** A definitive refusal (bad number, invalid request): no call exists, the contact fails. */
export async function recordRejected(db: Db, x: { callId: string; ccId: string; reason: string; now: Date }): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.call.update({ where: { id: x.callId }, data: { status: 'ended', outcome: 'failed_permanent', endedReason: `rejected:${x.reason}`.slice(0, 200), endedAt: x.now } });
    await tx.campaignContact.updateMany({ where: { id: x.ccId, state: 'dialing' }, data: { state: 'failed', lastOutcome: 'rejected' } });
  });
}

/** A dial-time check said no: the planned attempt is kept as the audit of why, and the contact is skipped. */
export async function recordSkipped(db: Db, x: { callId: string; ccId: string; reason: string; audit: DialAudit; now: Date }): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.campaignContact.updateMany({ where: { id: x.ccId, state: 'queued' }, data: { state: 'skipped', skipReason: x.reason } });
    if (count !== 1) return false;
    await tx.call.update({ where: { id: x.callId }, data: { status: 'ended', outcome: `skipped_${x.reason}`, endedReason: `skipped:${x.reason}`, endedAt: x.now, ...auditData(x.audit) } });
    return true;
  });
}

/** Not now (outside the window, frequency cap, campaign paused): back to waiting; the planned attempt is dropped. */
export async function rescheduleAttempt(db: Db, x: { callId: string; ccId: string; at: Date; from: 'queued' | 'dialing' }): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.campaignContact.updateMany({
      where: { id: x.ccId, state: x.from },
      data: { state: 'retry_wait', nextAttemptAt: x.at, ...(x.from === 'dialing' ? { attempts: { decrement: 1 } } : {}) },
    });
    if (count !== 1) return false;
    await tx.call.deleteMany({ where: { id: x.callId, placedAt: null } });
    return true;
  });
}

/**
 * Vapi created the call and refused it for concurrency in the same answer (`concurrencyBlocked`):
 * that call id will get its own end-of-call report, so this row is closed as the record of it —
 * not dialed, not an attempt — and the contact waits for a fresh attempt row.
 */
export async function closeBlockedAttempt(db: Db, x: { callId: string; ccId: string; providerCallId: string; at: Date; now: Date }): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.call.update({
      where: { id: x.callId },
      data: { status: 'ended', outcome: 'capacity', endedReason: 'concurrency_blocked', providerCallId: x.providerCallId, endedAt: x.now },
    });
    await tx.campaignContact.updateMany({ where: { id: x.ccId, state: 'dialing' }, data: { state: 'retry_wait', nextAttemptAt: x.at, attempts: { decrement: 1 } } });
  });
}
