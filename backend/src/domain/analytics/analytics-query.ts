import { Prisma, type Db } from '../../platform/prisma';

// The analytics reads: two statements over the rollups and one index probe, whatever the
// number of calls (bench/analytics.ts measures a 1M-call campaign). One GROUPING SETS query
// gives every breakdown at once; the histogram comes back as one row of arrays per variant
// (measured: a row per second of talk cost more in result handling than the query itself);
// live calls are counted through the Call (outcome, placedAt) index, where only calls without an
// outcome live in the NULL range.

export interface AnalyticsScope {
  portalId: string;
  campaignId?: string;
  /** Inclusive UTC days, YYYY-MM-DD. */
  from?: string;
  to?: string;
}

export type BreakdownSet = 'day' | 'variant' | 'endedReason' | 'campaign';

export interface BreakdownRow {
  set: BreakdownSet;
  day: Date | null;
  variantId: string | null;
  campaignId: string | null;
  endedReason: string | null;
  outcome: string;
  disposition: string;
  isOptOut: boolean;
  calls: number;
  durationCalls: number;
  durationSec: number;
  costCalls: number;
  cost: number;
}

const where = (s: AnalyticsScope) => {
  const parts = [Prisma.sql`"portalId" = ${s.portalId}::uuid`];
  if (s.campaignId) parts.push(Prisma.sql`"campaignId" = ${s.campaignId}::uuid`);
  if (s.from) parts.push(Prisma.sql`"day" >= ${s.from}::date`);
  if (s.to) parts.push(Prisma.sql`"day" <= ${s.to}::date`);
  return Prisma.join(parts, ' AND ');
};

export async function readBreakdowns(db: Db, s: AnalyticsScope): Promise<BreakdownRow[]> {
  // The per-campaign set is only worth its rows at portal level.
  const campaignSet = s.campaignId ? Prisma.empty : Prisma.sql`, ("campaignId", "outcome", "disposition", "isOptOut")`;
  const rows = await db.$queryRaw<Array<Omit<BreakdownRow, 'set'> & { gd: number; gv: number; ge: number }>>`
    SELECT GROUPING("day") AS gd, GROUPING("variantId") AS gv, GROUPING("endedReason") AS ge,
           "day", "variantId"::text AS "variantId", "campaignId"::text AS "campaignId", "endedReason",
           "outcome", COALESCE("disposition", '') AS "disposition", COALESCE("isOptOut", false) AS "isOptOut",
           sum("calls")::int AS "calls", sum("durationCalls")::int AS "durationCalls", sum("durationSec")::float8 AS "durationSec",
           sum("costCalls")::int AS "costCalls", sum("cost")::float8 AS "cost"
      FROM "CallStat"
     WHERE ${where(s)}
     GROUP BY GROUPING SETS (("day", "outcome", "disposition", "isOptOut"), ("campaignId", "variantId", "outcome", "disposition", "isOptOut"), ("endedReason", "outcome")${campaignSet})`;
  return rows.map(({ gd, gv, ge, ...r }) => ({ ...r, set: gd === 0 ? 'day' : gv === 0 ? 'variant' : ge === 0 ? 'endedReason' : 'campaign' }));
}

export interface VariantHistogram {
  campaignId: string;
  variantId: string;
  /** Whole seconds of talk, ascending, and how many connected calls lasted each. */
  seconds: number[];
  calls: number[];
}

/** All-time views read the dayless histogram; a range of days sums the per-day one. */
export async function readDurationHistograms(db: Db, s: AnalyticsScope): Promise<VariantHistogram[]> {
  const source = s.from || s.to ? Prisma.sql`"CallDurationStat"` : Prisma.sql`"CallDurationTotal"`;
  return db.$queryRaw<VariantHistogram[]>`
    SELECT "campaignId"::text AS "campaignId", "variantId"::text AS "variantId",
           array_agg("seconds" ORDER BY "seconds") AS "seconds", array_agg("n" ORDER BY "seconds") AS "calls"
      FROM (SELECT "campaignId", "variantId", "seconds", sum("calls")::int AS "n" FROM ${source} WHERE ${where(s)} GROUP BY 1, 2, 3) h
     GROUP BY 1, 2`;
}

/** Dialed calls without a final outcome yet (ringing, talking, or ended and awaiting the report). */
export async function countInProgress(db: Db, s: AnalyticsScope): Promise<number> {
  const parts = [Prisma.sql`"outcome" IS NULL`, Prisma.sql`"placedAt" IS NOT NULL`, Prisma.sql`"portalId" = ${s.portalId}::uuid`];
  if (s.campaignId) parts.push(Prisma.sql`"campaignId" = ${s.campaignId}::uuid`);
  if (s.from) parts.push(Prisma.sql`"placedAt" >= ${s.from}::date`);
  if (s.to) parts.push(Prisma.sql`"placedAt" < (${s.to}::date + 1)`);
  const rows = await db.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM "Call" WHERE ${Prisma.join(parts, ' AND ')}`;
  return rows[0]?.n ?? 0;
}
