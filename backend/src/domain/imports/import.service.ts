import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { AppDeps } from '../../app-deps';
import type { Db } from '../../platform/prisma';
import { AppError, notFound } from '../../platform/app-error';
import { logger } from '../../platform/logger';
import { afterCursor, decodeCursor, pageOf } from '../segments/page-cursor';
import { cleanHeader, planColumns, type ColumnPlan, type MappingOverride } from './column-mapping';
import { inspectCsvSample, type CsvShape } from './csv-sniff';
import { assertSomeRowCallable } from './csv-callable-rows';
import { isRegionCode } from '../contacts/phone-normaliser';
import { storedPlan, type TImportOptions } from './import-options';
import { toImportView, type ImportView } from './import-view';
import { storeUpload } from './upload-store';
import { saveUploadChunks, uploadTransactionTimeoutMs } from './upload-chunks';
import { openPgClient } from './pg-connection';
import { inPgTransaction } from '../../platform/pg-transaction';
import { importTooManyRows, planLimitsOf } from '../settings/plan-limits';

// Creating a CSV import: store the upload (checking its header in the request), reuse an
// identical earlier import, else record it with its file (upload-chunks.ts) and queue the job.

export interface CreateCsvImportInput {
  portalId: string;
  file: Readable;
  declaredBytes?: number;
  options: TImportOptions;
}

export const importJobId = (importId: string) => `import-${importId}`;
export const uploadDir = (deps: Pick<AppDeps, 'config'>, portalId: string) => path.resolve(deps.config.dataDir, 'imports', portalId);

const canonical = (v: unknown) => JSON.stringify(v, Object.keys((v ?? {}) as object).sort());

export async function createCsvImport(deps: AppDeps, input: CreateCsvImportInput): Promise<{ view: ImportView; reused: boolean }> {
  const portal = await deps.db.portal.findUnique({ where: { id: input.portalId } });
  if (!portal) throw notFound('portal');
  const { maxImportRows } = planLimitsOf(portal.settings, deps.config.plan);
  const override: MappingOverride = input.options.mapping ?? {};
  const region = input.options.defaultRegion ?? portal.defaultRegion;
  let shape: CsvShape | undefined;
  let plan: ColumnPlan | undefined;
  const upload = await storeUpload(input.file, {
    dir: uploadDir(deps, input.portalId),
    maxBytes: deps.config.imports.maxUploadBytes,
    declaredBytes: input.declaredBytes,
    maxRows: { rows: maxImportRows, tooManyRows: () => importTooManyRows(maxImportRows) },
    // Refuses a file that can never import while the client is still sending it.
    checkSample: (sample, isWholeFile) => {
      shape = inspectCsvSample(sample, isWholeFile);
      plan = planColumns(cleanHeader(shape.header), override);
      if (isWholeFile) assertSomeRowCallable(sample, shape, plan, isRegionCode(region) ? region : undefined);
    },
  });
  try {
    const stored = storedPlan(shape!.delimiter, plan!, override);
    const mode = input.options.mode;
    const defaultRegion = input.options.defaultRegion ?? null;
    const { importId, reused } = await recordUpload(deps, {
      portalId: input.portalId,
      fileName: input.options.fileName?.slice(0, 255) ?? null,
      upload,
      mode,
      defaultRegion,
      columnMapping: stored,
    });
    const row = await deps.db.import.findUniqueOrThrow({ where: { id: importId } });
    if (reused) {
      await fs.promises.rm(upload.path, { force: true });
      return { view: toImportView(row), reused: true };
    }
    try {
      await deps.queues.enqueue('imports.csv', { importId: row.id, portalId: row.portalId }, { jobId: importJobId(row.id) });
    } catch (err) {
      logger.error('could not queue an import', { importId: row.id, err });
      await deps.db.import.update({ where: { id: row.id }, data: { status: 'failed', error: 'The import could not be queued.' } });
      // Never run, so its file is not kept either.
      await deps.db.importUploadChunk.deleteMany({ where: { importId: row.id } });
      throw new AppError('IMPORT_QUEUE_UNAVAILABLE', 503, 'The import could not be queued right now; try again in a moment.');
    }
    return { view: toImportView(row), reused: false };
  } catch (err) {
    await fs.promises.rm(upload.path, { force: true });
    throw err;
  }
}

interface UploadRecord {
  portalId: string;
  fileName: string | null;
  upload: { path: string; sha256: string; bytes: number };
  mode: string;
  defaultRegion: string | null;
  columnMapping: unknown;
}

/**
 * The import row and its file's chunks in one transaction on a plain connection (upload-chunks.ts
 * says why not Prisma): an earlier identical import of the same file is reused instead.
 */
async function recordUpload(deps: AppDeps, x: UploadRecord): Promise<{ importId: string; reused: boolean }> {
  const client = await openPgClient(deps, 'hac-import-upload');
  const timeoutMs = uploadTransactionTimeoutMs(x.upload.bytes);
  const deadline = Date.now() + timeoutMs;
  try {
    return await inPgTransaction(client, async () => {
      // No single statement may outlast the whole transaction's budget; saveUploadChunks checks the rest.
      await client.query(`SET LOCAL statement_timeout = ${timeoutMs}`);
      // Two identical uploads racing each other still produce one import.
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`hac:import:${x.portalId}:${x.upload.sha256}`]);
      const candidates = await client.query<{ id: string; mode: string; defaultRegion: string | null; columnMapping: unknown }>(
        `SELECT "id", "mode", "defaultRegion", "columnMapping" FROM "Import"
          WHERE "portalId" = $1 AND "contentHash" = $2 AND "source" = 'csv' AND "status" <> 'failed'
          ORDER BY "createdAt" DESC`,
        [x.portalId, x.upload.sha256],
      );
      const same = candidates.rows.find((c) => c.mode === x.mode && c.defaultRegion === x.defaultRegion && canonical(c.columnMapping) === canonical(x.columnMapping));
      if (same) return { importId: same.id, reused: true };
      const created = await client.query<{ id: string }>(
        `INSERT INTO "Import" ("portalId", "source", "fileName", "filePath", "contentHash", "mode", "defaultRegion", "columnMapping", "totalBytes")
         VALUES ($1, 'csv', $2, $3, $4, $5, $6, $7::jsonb, $8) RETURNING "id"`,
        [x.portalId, x.fileName, x.upload.path, x.upload.sha256, x.mode, x.defaultRegion, JSON.stringify(x.columnMapping), x.upload.bytes],
      );
      const importId = created.rows[0]!.id;
      // With the row, or not at all: the job is only queued once the whole file is in the database.
      await saveUploadChunks(client, { importId, portalId: x.portalId, filePath: x.upload.path, deadline });
      return { importId, reused: false };
    });
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function getImport(db: Db, portalId: string, importId: string): Promise<ImportView> {
  const row = await db.import.findFirst({ where: { id: importId, portalId } });
  if (!row) throw notFound('import');
  return toImportView(row);
}

export async function listImports(db: Db, portalId: string, q: { limit: number; cursor?: string }) {
  const rows = await db.import.findMany({
    where: { portalId, ...afterCursor(decodeCursor(q.cursor)) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  });
  const page = pageOf(rows, q.limit);
  return { items: page.items.map(toImportView), nextCursor: page.nextCursor };
}

