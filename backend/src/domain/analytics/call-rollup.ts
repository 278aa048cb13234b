import { Prisma } from '../../platform/prisma';

// Adds one finished call to the analytics rollups (CallStat, and the duration histograms by day
// and all-time: CallDurationStat, CallDurationTotal). Called inside the
// transaction that gives the call its final outcome, which happens exactly once per call (a
// compare-and-set on Call.outcome), so the rollups count every dialed call exactly once.

/** Key value for "no campaign" / "no variant": rollup keys cannot be null. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export interface RollupCall {
  portalId: string;
  campaignId: string | null;
  variantId: string | null;
  /** When it was dialed; the rollup day is its UTC date. */
  placedAt: Date;
  outcome: string;
  endedReason: string;
  disposition: string | null;
  isOptOut: boolean;
  durationSec: number | null;
  cost: number | null;
}

type Tx = Pick<Prisma.TransactionClient, '$executeRaw'>;

/** The rollup day: the UTC date the call was dialed (YYYY-MM-DD). */
export const rollupDay = (placedAt: Date) => placedAt.toISOString().slice(0, 10);

export async function addCallToRollups(tx: Tx, c: RollupCall): Promise<void> {
  const campaignId = c.campaignId ?? NIL_UUID;
  const variantId = c.variantId ?? NIL_UUID;
  const hasDuration = c.durationSec != null && Number.isFinite(c.durationSec);
  const hasCost = c.cost != null && Number.isFinite(c.cost);
  await tx.$executeRaw`
    INSERT INTO "CallStat" ("portalId", "campaignId", "variantId", "day", "outcome", "endedReason", "disposition", "isOptOut",
                            "calls", "durationCalls", "durationSec", "costCalls", "cost")
    VALUES (${c.portalId}::uuid, ${campaignId}::uuid, ${variantId}::uuid, ${rollupDay(c.placedAt)}::date, ${c.outcome}, ${c.endedReason.slice(0, 200)},
            ${c.disposition ?? ''}, ${c.isOptOut}, 1, ${hasDuration ? 1 : 0}, ${hasDuration ? c.durationSec! : 0}, ${hasCost ? 1 : 0}, ${hasCost ? c.cost! : 0}::numeric)
    ON CONFLICT ("portalId", "campaignId", "day", "variantId", "outcome", "endedReason", "disposition", "isOptOut") DO UPDATE SET
      "calls" = "CallStat"."calls" + 1,
      "durationCalls" = "CallStat"."durationCalls" + EXCLUDED."durationCalls",
      "durationSec" = "CallStat"."durationSec" + EXCLUDED."durationSec",
      "costCalls" = "CallStat"."costCalls" + EXCLUDED."costCalls",
      "cost" = "CallStat"."cost" + EXCLUDED."cost"`;
  // Durations describe conversations: only connected calls go into the percentile histogram.
  if (c.outcome === 'completed' && hasDuration) {
    await tx.$executeRaw`
      INSERT INTO "CallDurationStat" ("portalId", "campaignId", "variantId", "day", "seconds", "calls")
      VALUES (${c.portalId}::uuid, ${campaignId}::uuid, ${variantId}::uuid, ${rollupDay(c.placedAt)}::date, ${Math.max(0, Math.floor(c.durationSec!))}, 1)
      ON CONFLICT ("portalId", "campaignId", "day", "variantId", "seconds") DO UPDATE SET "calls" = "CallDurationStat"."calls" + 1`;
    await tx.$executeRaw`
      INSERT INTO "CallDurationTotal" ("portalId", "campaignId", "variantId", "seconds", "calls")
      VALUES (${c.portalId}::uuid, ${campaignId}::uuid, ${variantId}::uuid, ${Math.max(0, Math.floor(c.durationSec!))}, 1)
      ON CONFLICT ("portalId", "campaignId", "variantId", "seconds") DO UPDATE SET "calls" = "CallDurationTotal"."calls" + 1`;
  }
}
