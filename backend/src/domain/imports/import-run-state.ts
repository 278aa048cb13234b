import type { Db } from '../../platform/prisma';
import { logger } from '../../platform/logger';
import type { PipelineCounts } from './import-pipeline';

// The Import row's life for any source: queued → running → completed (set by the merge's own
// transaction, import-merge.ts) or failed. Every attempt starts from zero counts: nothing of an
// earlier failed attempt was committed, so nothing is counted twice.

export async function beginImportRun(db: Db, importId: string): Promise<void> {
  await db.import.update({
    where: { id: importId },
    data: { status: 'running', startedAt: new Date(), finishedAt: null, error: null, rowsRead: 0, created: 0, updated: 0, duplicate: 0, rejected: 0, bytesRead: 0 },
  });
}

/** After a failed attempt: back to queued for the retry, or failed for good on the last one. */
export async function endFailedImportRun(db: Db, importId: string, o: { message: string; attempt: number; final: boolean }): Promise<void> {
  await db.import.updateMany({
    where: { id: importId, status: 'running' },
    data: o.final
      ? { status: 'failed', error: `The import failed: ${o.message}`.slice(0, 1000), finishedAt: new Date() }
      : { status: 'queued', error: `Attempt ${o.attempt} failed (${o.message}); it will be retried.`.slice(0, 1000) },
  });
}

export type ProgressFigures = PipelineCounts & { bytesRead?: number };

/**
 * Writes progress to the Import row, one write at a time and only the latest figures; only while
 * the import is running, so a late write never overwrites the merge's final counts.
 */
export function importProgressWriter(db: Db, importId: string, extra?: (p: ProgressFigures) => unknown): (p: ProgressFigures) => void {
  let inFlight = false;
  let latest: ProgressFigures | undefined;
  const flush = async () => {
    while (latest) {
      const p = latest;
      latest = undefined;
      await db.import.updateMany({
        where: { id: importId, status: 'running' },
        data: { rowsRead: p.rowsRead, duplicate: p.duplicate, rejected: p.rejected, ...(p.bytesRead === undefined ? {} : { bytesRead: BigInt(p.bytesRead) }) },
      });
      await extra?.(p);
    }
  };
  return (p) => {
    latest = p;
    if (inFlight) return;
    inFlight = true;
    flush()
      .catch((err: unknown) => logger.warn('import progress write failed', { importId, err: String(err) }))
      .finally(() => (inFlight = false));
  };
}
