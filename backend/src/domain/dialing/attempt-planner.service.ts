import crypto from 'node:crypto';
import { Prisma } from '../../platform/prisma';
import type { DialingDeps } from './dialing-deps';

// The scheduler's half of dialing: turns due campaign contacts into planned attempts (a Call row
// in `pending` plus the contact in `queued`) a page at a time, never the whole campaign, and
// never more than the campaign could dial soon (so pause takes effect quickly). The caller
// enqueues one dial job per returned attempt id (job id = attempt id).
//
// `maxInFlight` is the sweep's fair share when several campaigns dial on one provider account:
// each may keep only its share of the account's capacity waiting in the dial queue, so the
// queue holds every campaign's attempts in like numbers and a big campaign cannot starve a
// small one of the account's free slots.
export async function planDueAttempts(deps: Pick<DialingDeps, 'db' | 'policy' | 'now'>, campaignId: string, opts: { maxInFlight?: number } = {}): Promise<string[]> {
  const { db } = deps;
  const now = deps.now();
  const campaign = await db.campaign.findUnique({ where: { id: campaignId }, select: { id: true, portalId: true, state: true, maxConcurrent: true } });
  if (!campaign || campaign.state !== 'running') return [];
  const inFlight = await db.campaignContact.count({ where: { campaignId, state: { in: ['queued', 'dialing'] } } });
  const ceiling = Math.min(campaign.maxConcurrent * 2, opts.maxInFlight ?? Infinity);
  const room = Math.min(deps.policy.planPageSize, Math.max(0, ceiling - inFlight));
  if (room === 0) return [];

  return db.$transaction(async (tx) => {
    // SKIP LOCKED: two schedulers planning at once take disjoint contacts.
    const due = await tx.$queryRaw<{ id: string; contactId: string; variantId: string | null; attempts: number }[]>`
      SELECT id, "contactId", "variantId", attempts FROM "CampaignContact"
       WHERE "campaignId" = ${campaignId}::uuid
         AND state IN ('pending', 'retry_wait')
         AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ${now})
       ORDER BY "nextAttemptAt" ASC NULLS FIRST, id
       LIMIT ${room}
       FOR UPDATE SKIP LOCKED`;
    if (due.length === 0) return [];
    const contacts = await tx.contact.findMany({ where: { id: { in: due.map((d) => d.contactId) } }, select: { id: true, phone: true } });
    // A planned attempt that was never dialed (rescheduled, paused) is dropped first; the new one
    // takes the next free attempt number (a requeued capacity refusal keeps its closed row).
    await tx.call.deleteMany({ where: { campaignContactId: { in: due.map((d) => d.id) }, status: 'pending', placedAt: null, dialStartedAt: null } });
    const last = await tx.call.groupBy({ by: ['campaignContactId'], where: { campaignContactId: { in: due.map((d) => d.id) } }, _max: { attemptNumber: true } });
    const lastNumber = new Map(last.map((l) => [l.campaignContactId, l._max.attemptNumber ?? 0]));
    const phoneOf = new Map(contacts.map((c) => [c.id, c.phone]));
    const variants = await tx.campaignVariant.findMany({ where: { campaignId }, select: { id: true, scriptVersionId: true } });
    const versionOf = new Map(variants.map((v) => [v.id, v.scriptVersionId]));
    const calls = due.map((d) => ({
      id: crypto.randomUUID(),
      portalId: campaign.portalId,
      campaignId,
      campaignContactId: d.id,
      contactId: d.contactId,
      attemptNumber: (lastNumber.get(d.id) ?? 0) + 1,
      idempotencyKey: crypto.randomUUID(),
      status: 'pending' as const,
      toPhone: phoneOf.get(d.contactId) ?? '',
      variantId: d.variantId,
      scriptVersionId: d.variantId ? (versionOf.get(d.variantId) ?? null) : null,
    }));
    await tx.call.createMany({ data: calls });
    await tx.campaignContact.updateMany({ where: { id: { in: due.map((d) => d.id) }, state: { in: ['pending', 'retry_wait'] } }, data: { state: 'queued', nextAttemptAt: null } });
    return calls.map((c) => c.id);
  });
}

/**
 * Attempts that should have a dial job but may not (the process died between planning and
 * enqueueing, or Redis lost its data): re-adding is harmless because the job id is the attempt id
 * and the dial step re-checks everything in Postgres.
 */
export async function findOrphanedAttempts(deps: Pick<DialingDeps, 'db' | 'now'>, campaignId: string, olderThanMs = 30_000): Promise<string[]> {
  const before = new Date(deps.now().getTime() - olderThanMs);
  const rows = await deps.db.$queryRaw<{ id: string }[]>(Prisma.sql`
    SELECT c.id FROM "Call" c JOIN "CampaignContact" cc ON cc.id = c."campaignContactId"
     WHERE c."campaignId" = ${campaignId}::uuid AND c.status = 'pending' AND c."endedAt" IS NULL
       AND cc.state IN ('queued', 'dialing') AND c."updatedAt" < ${before}
     LIMIT 500`);
  return rows.map((r) => r.id);
}
