import type { Db } from '../../platform/prisma';
import { NIL_UUID } from './call-rollup';

// Rebuilds a portal's rollups from its Call rows, in one transaction: the operator's repair for
// rollups that drifted (a restored backup, a manual fix of calls), the benchmark's way to load a
// million calls, and the tests' independent check that the incremental rollups are exact. It
// counts exactly what finalisation counts: dialed calls (placedAt set) with a final outcome.

export async function rebuildCallRollups(db: Db, portalId: string): Promise<{ statRows: number; durationRows: number }> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`DELETE FROM "CallStat" WHERE "portalId" = ${portalId}::uuid`;
      await tx.$executeRaw`DELETE FROM "CallDurationStat" WHERE "portalId" = ${portalId}::uuid`;
      await tx.$executeRaw`DELETE FROM "CallDurationTotal" WHERE "portalId" = ${portalId}::uuid`;
      const statRows = await tx.$executeRaw`
        INSERT INTO "CallStat" ("portalId", "campaignId", "variantId", "day", "outcome", "endedReason", "disposition", "isOptOut",
                                "calls", "durationCalls", "durationSec", "costCalls", "cost")
        SELECT "portalId", COALESCE("campaignId", ${NIL_UUID}::uuid), COALESCE("variantId", ${NIL_UUID}::uuid), "placedAt"::date,
               "outcome", left(COALESCE("endedReason", 'unknown'), 200), COALESCE("disposition", ''), "isOptOut",
               count(*), count("durationSec"), COALESCE(sum("durationSec"), 0), count("cost"), COALESCE(sum("cost"), 0)
          FROM "Call"
         WHERE "portalId" = ${portalId}::uuid AND "placedAt" IS NOT NULL AND "outcome" IS NOT NULL
         GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`;
      const durationRows = await tx.$executeRaw`
        INSERT INTO "CallDurationStat" ("portalId", "campaignId", "variantId", "day", "seconds", "calls")
        SELECT "portalId", COALESCE("campaignId", ${NIL_UUID}::uuid), COALESCE("variantId", ${NIL_UUID}::uuid), "placedAt"::date,
               greatest(0, floor("durationSec"))::int, count(*)
          FROM "Call"
         WHERE "portalId" = ${portalId}::uuid AND "placedAt" IS NOT NULL AND "outcome" = 'completed' AND "durationSec" IS NOT NULL
         GROUP BY 1, 2, 3, 4, 5`;
      const totalRows = await tx.$executeRaw`
        INSERT INTO "CallDurationTotal" ("portalId", "campaignId", "variantId", "seconds", "calls")
        SELECT "portalId", "campaignId", "variantId", "seconds", sum("calls") FROM "CallDurationStat" WHERE "portalId" = ${portalId}::uuid GROUP BY 1, 2, 3, 4`;
      return { statRows, durationRows: durationRows + totalRows };
    },
    { timeout: 10 * 60_000 },
  );
}
