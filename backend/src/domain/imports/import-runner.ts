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
import { dropUpload, localUploadFile } from './upload-chunks';
import { uploadDir } from './import.service';

// Runs one CSV import job. Every attempt starts from the file again: nothing of a failed attempt
// was committed (the merge is one transaction), so there is nothing to undo or to double-count.

export interface RunImportHooks {
  /** 1-based number of this attempt, and how many the queue allows. */
  attempt: number;
  maxAttempts: number;
  onProgress?: (counts: ProgressFigures) => Promise<void> | void;
}

export type RunImportOutcome = 'completed' | 'already_finished' | 'missing' | 'failed';

/** Neither this disk nor the database holds the file (it was erased, or the import is stale). */
class UploadGoneError extends Error {
  readonly code = 'UPLOAD_GONE';
}

// Errors about the file itself (csv-parse's CSV_… codes, or no file at all) would fail the same way every time.
const isFileError = (err: unknown) => {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('CSV_') || code === 'UPLOAD_GONE');
};

export async function runCsvImport(deps: AppDeps, job: { importId: string; portalId: string }, hooks: RunImportHooks): Promise<RunImportOutcome> {
  const row = await deps.db.import.findFirst({ where: { id: job.importId, portalId: job.portalId }, include: { portal: true } });
  if (!row) return 'missing';
  if (row.status === 'completed' || row.status === 'failed') {
    // A run that died after its merge committed left the file behind.
    await dropUpload(deps.db, { importId: row.id, paths: [row.filePath] });
    return 'already_finished';
  }
  await beginImportRun(deps.db, row.id);
  let localPath: string | null = null;
  try {
    const stored = ZStoredCsvPlan.parse(row.columnMapping);
    localPath = await localUploadFile(deps, { importId: row.id, filePath: row.filePath, dir: uploadDir(deps, row.portalId) });
    if (!localPath) throw new UploadGoneError('the uploaded file is no longer stored; upload it again');
    const region = row.defaultRegion ?? row.portal.defaultRegion;
    const progress = importProgressWriter(deps.db, row.id, hooks.onProgress);
    const thread = startCsvImportThread(
      {
        databaseUrl: databaseUrlOf(deps),
        importId: row.id,
        portalId: row.portalId,
        mode: row.mode as ImportMode,
        path: localPath,
        delimiter: stored.delimiter,
        plan: { header: stored.header, fields: stored.fields, properties: stored.properties } as ColumnPlan,
        region: isRegionCode(region) ? region : undefined,
        portalTimeZone: canonicalTimeZone(row.portal.defaultTimeZone) ?? 'America/New_York',
      },
      (counts, bytesRead) => progress({ ...counts, bytesRead }),
    );
    const { result } = await thread.result;
    await dropUpload(deps.db, { importId: row.id, paths: [row.filePath, localPath] });
    logger.info('import finished', { importId: row.id, ...(result ?? { note: 'finished by another run' }) });
    return result ? 'completed' : 'already_finished';
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const final = hooks.attempt >= hooks.maxAttempts || isFileError(err);
    logger.warn('import attempt failed', { importId: row.id, attempt: hooks.attempt, final, err: message });
    await endFailedImportRun(deps.db, row.id, { message, attempt: hooks.attempt, final });
    if (final) await dropUpload(deps.db, { importId: row.id, paths: [row.filePath, localPath] });
    if (isFileError(err)) return 'failed';
    throw err;
  }
}
