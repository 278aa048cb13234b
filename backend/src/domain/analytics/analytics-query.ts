import { Prisma, type Db } from '../../platform/prisma';

// The analytics reads: three statements over the rollups and one index probe, whatever the
// number of calls (bench/analytics.ts measures a 1M-call campaign). One GROUPING SETS query
// gives every breakdown at once; the histogram query gives the duration percentiles overall and
// per variant; live calls are counted through the Call (outcome, placedAt) index, where only
// calls without an outcome live in the NULL range.

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

export interface HistogramRow {
  /** null: the whole scope; otherwise one variant of one campaign. */
  variantId: string | null;
  campaignId: string | null;
  seconds: number;
  calls: number;
}

export async function readDurationHistogram(db: Db, s: AnalyticsScope): Promise<HistogramRow[]> {
  const rows = await db.$queryRaw<Array<HistogramRow & { gv: number }>>`
    SELECT GROUPING("variantId") AS gv, "variantId"::text AS "variantId", "campaignId"::text AS "campaignId", "seconds", sum("calls")::int AS "calls"
      FROM "CallDurationStat"
     WHERE ${where(s)}
     GROUP BY GROUPING SETS (("seconds"), ("campaignId", "variantId", "seconds"))`;
  return rows.map(({ gv, ...r }) => (gv === 1 ? { ...r, variantId: null, campaignId: null } : r));
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
