import fs from 'node:fs';
import type { AppDeps } from '../../app-deps';
import { logger } from '../../platform/logger';
import { isRegionCode } from '../contacts/phone-normaliser';
import { canonicalTimeZone } from '../contacts/time-zone';
import { startCsvImportThread } from './csv-import-thread-runner';
import type { ColumnPlan } from './column-mapping';
import { ZStoredCsvPlan } from './import-options';
import type { ImportMode } from './import-merge';
import { beginImportRun, endFailedImportRun, importProgressWriter, type ProgressFigures } from './import-run-state';
import { databaseUrlOf } from './pg-connection';

// Runs one CSV import job. Every attempt starts from the file again: nothing of a failed attempt
// was committed (the merge is one transaction), so there is nothing to undo or to double-count.

export interface RunImportHooks {
  /** 1-based number of this attempt, and how many the queue allows. */
  attempt: number;
  maxAttempts: number;
  onProgress?: (counts: ProgressFigures) => Promise<void> | void;
}

export type RunImportOutcome = 'completed' | 'already_finished' | 'missing' | 'failed';

// Errors about the file itself (csv-parse's CSV_… codes) would fail the same way every time.
const isFileError = (err: unknown) => {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('CSV_');
};

export async function runCsvImport(deps: AppDeps, job: { importId: string; portalId: string }, hooks: RunImportHooks): Promise<RunImportOutcome> {
  const row = await deps.db.import.findFirst({ where: { id: job.importId, portalId: job.portalId }, include: { portal: true } });
  if (!row) return 'missing';
  if (row.status === 'completed' || row.status === 'failed') {
    // A run that died after its merge committed left the file behind.
    if (row.filePath) await fs.promises.rm(row.filePath, { force: true });
    return 'already_finished';
  }
  await beginImportRun(deps.db, row.id);
  try {
    const stored = ZStoredCsvPlan.parse(row.columnMapping);
    if (!row.filePath || !fs.existsSync(row.filePath)) throw new Error('the uploaded file is no longer on this server; upload it again');
    const region = row.defaultRegion ?? row.portal.defaultRegion;
    const progress = importProgressWriter(deps.db, row.id, hooks.onProgress);
    const thread = startCsvImportThread(
      {
        databaseUrl: databaseUrlOf(deps),
        importId: row.id,
        portalId: row.portalId,
        mode: row.mode as ImportMode,
        path: row.filePath,
        delimiter: stored.delimiter,
        plan: { header: stored.header, fields: stored.fields, properties: stored.properties } as ColumnPlan,
        region: isRegionCode(region) ? region : undefined,
        portalTimeZone: canonicalTimeZone(row.portal.defaultTimeZone) ?? 'America/New_York',
      },
      (counts, bytesRead) => progress({ ...counts, bytesRead }),
    );
    const { result } = await thread.result;
    await fs.promises.rm(row.filePath, { force: true });
    logger.info('import finished', { importId: row.id, ...(result ?? { note: 'finished by another run' }) });
    return result ? 'completed' : 'already_finished';
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const final = hooks.attempt >= hooks.maxAttempts || isFileError(err);
    logger.warn('import attempt failed', { importId: row.id, attempt: hooks.attempt, final, err: message });
    await endFailedImportRun(deps.db, row.id, { message, attempt: hooks.attempt, final });
    if (final && row.filePath) await fs.promises.rm(row.filePath, { force: true });
    if (isFileError(err)) return 'failed';
    throw err;
  }
}
