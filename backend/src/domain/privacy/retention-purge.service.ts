import { Prisma, type Db } from '../../platform/prisma';
import { logger } from '../../platform/logger';
import { DEFAULT_RETENTION, PURGED_JSON, readRetention } from './retention';
import { ERASED_JSON } from './personal-data';

// The retention purge (job privacy.retention-purge, repeated by a job scheduler): per portal,
// clears call transcripts and messages older than its transcript retention, and replaces raw
// provider payloads older than its raw-event retention with a marker. Works in bounded batches
// (each one short UPDATE), so a first run over a large backlog never holds long locks; whatever a
// run leaves is the next run's work.

const DAY_MS = 86_400_000;
const BATCH = 1000;

export interface PurgeResult {
  portals: number;
  transcripts: number;
  rawEvents: number;
}

async function inBatches(run: () => Promise<number>, maxBatches: number): Promise<number> {
  let total = 0;
  for (let i = 0; i < maxBatches; i += 1) {
    const n = await run();
    total += n;
    if (n < BATCH) break;
  }
  return total;
}

function purgeTranscripts(db: Db, portalId: string, before: Date, maxBatches: number) {
  return inBatches(
    async () =>
      (
        await db.call.updateMany({
          where: { portalId, endedAt: { lt: before }, OR: [{ transcript: { not: null } }, { messages: { not: Prisma.DbNull } }] },
          data: { transcript: null, messages: Prisma.DbNull },
          limit: BATCH,
        })
      ).count,
    maxBatches,
  );
}

function purgeRawEvents(db: Db, portalId: string | null, before: Date, maxBatches: number) {
  return inBatches(
    async () =>
      (
        await db.providerEvent.updateMany({
          where: { portalId, receivedAt: { lt: before }, NOT: [{ payload: { equals: PURGED_JSON } }, { payload: { equals: ERASED_JSON } }] },
          data: { payload: PURGED_JSON },
          limit: BATCH,
        })
      ).count,
    maxBatches,
  );
}

export async function purgeExpired(db: Db, now: Date, opts: { maxBatches?: number } = {}): Promise<PurgeResult> {
  const maxBatches = opts.maxBatches ?? 50;
  const out: PurgeResult = { portals: 0, transcripts: 0, rawEvents: 0 };
  const portals = await db.portal.findMany({ select: { id: true, settings: true } });
  for (const p of portals) {
    const r = readRetention(p.settings);
    out.transcripts += await purgeTranscripts(db, p.id, new Date(now.getTime() - r.transcriptDays * DAY_MS), maxBatches);
    out.rawEvents += await purgeRawEvents(db, p.id, new Date(now.getTime() - r.rawEventDays * DAY_MS), maxBatches);
    out.portals += 1;
  }
  // Webhooks that named no portal of ours keep the default.
  out.rawEvents += await purgeRawEvents(db, null, new Date(now.getTime() - DEFAULT_RETENTION.rawEventDays * DAY_MS), maxBatches);
  if (out.transcripts || out.rawEvents) logger.info('retention purge', { ...out });
  return out;
}
