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
// The campaign, how many of its attempts wait in the dial queue, and whether any contact is due,
// in one round trip on the hot-path runner: the sweep asks this of every running campaign on
// every tick, and most ticks find nothing to plan (then no transaction is opened at all).
const PLAN_CHECK_SQL = `
  SELECT state::text AS state, "portalId"::text AS "portalId", "maxConcurrent",
         (SELECT count(*) FROM "CampaignContact" WHERE "campaignId" = $1::uuid AND state IN ('queued', 'dialing'))::int AS "inFlight",
         EXISTS (SELECT 1 FROM "CampaignContact"
                  WHERE "campaignId" = $1::uuid AND state IN ('pending', 'retry_wait')
                    AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ($2::timestamptz AT TIME ZONE 'UTC'))) AS "anyDue"
    FROM "Campaign" WHERE id = $1::uuid`;

export async function planDueAttempts(deps: Pick<DialingDeps, 'db' | 'sql' | 'policy' | 'now'>, campaignId: string, opts: { maxInFlight?: number } = {}): Promise<string[]> {
  const { db } = deps;
  const now = deps.now();
  const [campaign] = await deps.sql.query<{ state: string; portalId: string; maxConcurrent: number; inFlight: number; anyDue: boolean }>(
    PLAN_CHECK_SQL,
    [campaignId, now.toISOString()],
    'hac_plan_check',
  );
  if (!campaign || campaign.state !== 'running' || !campaign.anyDue) return [];
  const inFlight = campaign.inFlight;
  const ceiling = Math.min(campaign.maxConcurrent * 2, opts.maxInFlight ?? Infinity);
  const room = Math.min(deps.policy.planPageSize, Math.max(0, ceiling - inFlight));
  if (room === 0) return [];

  const at = now.toISOString();
  return db.$transaction(async (tx) => {
    // SKIP LOCKED: two schedulers planning at once take disjoint contacts.
    const due = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM "CampaignContact"
       WHERE "campaignId" = ${campaignId}::uuid
         AND state IN ('pending', 'retry_wait')
         AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ${now})
       ORDER BY "nextAttemptAt" ASC NULLS FIRST, id
       LIMIT ${room}
       FOR UPDATE SKIP LOCKED`;
    if (due.length === 0) return [];
    const ids = due.map((d) => d.id);
    // A planned attempt that was never dialed (rescheduled, paused) is dropped first; the new one
    // takes the next free attempt number (a requeued capacity refusal keeps its closed row).
    await tx.$executeRaw`
      DELETE FROM "Call" WHERE "campaignContactId" = ANY(${ids}::uuid[]) AND status = 'pending' AND "placedAt" IS NULL AND "dialStartedAt" IS NULL`;
    // One statement per page, whatever its size: an attempt row per contact (its phone, its
    // variant's script version) and the contact queued. Ids are passed as one array, not one
    // parameter each (a page of 1,000 through createMany was 12,000 bound values). Timestamps
    // are UTC wall times, as Prisma writes them.
    const planned = await tx.$queryRaw<{ id: string }[]>`
      WITH picked AS (
        SELECT cc.id AS cc_id, cc."contactId", cc."variantId",
               COALESCE((SELECT max(x."attemptNumber") FROM "Call" x WHERE x."campaignContactId" = cc.id), 0) + 1 AS n
          FROM "CampaignContact" cc WHERE cc.id = ANY(${ids}::uuid[])),
      queued AS (
        UPDATE "CampaignContact" cc SET state = 'queued', "nextAttemptAt" = NULL, "updatedAt" = (${at}::timestamptz AT TIME ZONE 'UTC')
          FROM picked WHERE cc.id = picked.cc_id AND cc.state IN ('pending', 'retry_wait'))
      INSERT INTO "Call" (id, "portalId", "campaignId", "campaignContactId", "contactId", "attemptNumber", "idempotencyKey", status,
                          "toPhone", "variantId", "scriptVersionId", "createdAt", "updatedAt")
      SELECT gen_random_uuid(), ${campaign.portalId}::uuid, ${campaignId}::uuid, p.cc_id, p."contactId", p.n, gen_random_uuid()::text, 'pending',
             ct.phone, p."variantId", v."scriptVersionId", (${at}::timestamptz AT TIME ZONE 'UTC'), (${at}::timestamptz AT TIME ZONE 'UTC')
        FROM picked p
        JOIN "Contact" ct ON ct.id = p."contactId"
        LEFT JOIN "CampaignVariant" v ON v.id = p."variantId" AND v."campaignId" = ${campaignId}::uuid
      RETURNING id::text`;
    return planned.map((c) => c.id);
  });
}

/**
 * Attempts that should have a dial job but may not (the process died between planning and
 * enqueueing, or Redis lost its data): re-adding is harmless because the job id is the attempt id
 * and the dial step re-checks everything in Postgres.
 */
const ORPHANS_SQL = `
  SELECT c.id::text AS id FROM "Call" c JOIN "CampaignContact" cc ON cc.id = c."campaignContactId"
   WHERE c."campaignId" = $1::uuid AND c.status = 'pending' AND c."endedAt" IS NULL
     AND cc.state IN ('queued', 'dialing') AND c."updatedAt" < ($2::timestamptz AT TIME ZONE 'UTC')
   LIMIT 500`;

export async function findOrphanedAttempts(deps: Pick<DialingDeps, 'sql' | 'now'>, campaignId: string, olderThanMs = 30_000): Promise<string[]> {
  const before = new Date(deps.now().getTime() - olderThanMs);
  const rows = await deps.sql.query<{ id: string }>(ORPHANS_SQL, [campaignId, before.toISOString()], 'hac_orphaned_attempts');
  return rows.map((r) => r.id);
}
