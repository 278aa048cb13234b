import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { from as copyFrom } from 'pg-copy-streams';
import { finished } from 'node:stream/promises';
import { once } from 'node:events';
import type { AppDeps } from '../../app-deps';
import { AppError } from '../../platform/app-error';
import { normalisePhone } from '../contacts/phone-normaliser';
import { cleanHeader, planColumns } from '../imports/column-mapping';
import { inspectCsvSample, type CsvShape } from '../imports/csv-sniff';
import { recordBatches, toCsvLine } from '../imports/csv-source';
import { openPgClient } from '../imports/pg-connection';
import { copyValue } from '../imports/import-staging';
import { storeUpload } from '../imports/upload-store';
import { importTooManyRows, readPlanLimits } from '../settings/plan-limits';
import { portalRegion } from './dnc.service';

// Bulk-adds a CSV of numbers to the do-not-call list in the request: a list with a header (a
// phone column, optional reason and source columns) or a bare column of numbers. Same upload
// checks and COPY staging as contact imports; one INSERT … ON CONFLICT DO NOTHING at the end.

export interface DncImportInput {
  portalId: string;
  file: Readable;
  declaredBytes?: number;
  reason: string;
  source: string;
  actor: string;
}

const SHOW_REJECTED = 100;

interface Columns {
  phone: number;
  reason?: number;
  source?: number;
  headerless: boolean;
}

function dncColumns(shape: CsvShape, region: Parameters<typeof normalisePhone>[1]): Columns {
  const header = cleanHeader(shape.header);
  try {
    const plan = planColumns(header);
    const named = (n: string) => header.findIndex((h) => h.trim().toLowerCase() === n);
    const pick = (i: number) => (i >= 0 ? i : undefined);
    return { phone: (plan.fields.phone ?? plan.fields.mobilePhone)!, reason: pick(named('reason')), source: pick(named('source')), headerless: false };
  } catch (err) {
    // A bare list: the "header" is already a number.
    if (shape.header[0] && normalisePhone(shape.header[0], region).ok) return { phone: 0, headerless: true };
    throw err;
  }
}

export async function importDncCsv(deps: AppDeps, input: DncImportInput) {
  const region = await portalRegion(deps.db, input.portalId);
  // The plan's row cap holds for do-not-call files too (a headerless list counts one row less).
  const { maxImportRows } = await readPlanLimits(deps.db, input.portalId, deps.config.plan);
  let cols: Columns | undefined;
  let delimiter: CsvShape['delimiter'] = ',';
  const upload = await storeUpload(input.file, {
    dir: path.resolve(deps.config.dataDir, 'dnc-imports', input.portalId),
    maxBytes: deps.config.imports.maxUploadBytes,
    declaredBytes: input.declaredBytes,
    maxRows: { rows: maxImportRows, tooManyRows: () => importTooManyRows(maxImportRows) },
    checkSample: (sample, whole) => {
      const shape = inspectCsvSample(sample, whole);
      delimiter = shape.delimiter;
      cols = dncColumns(shape, region);
    },
  });
  const client = await openPgClient(deps, 'hac-dnc-import').catch(async (err: unknown) => {
    await fs.promises.rm(upload.path, { force: true });
    throw err;
  });
  try {
    await client.query('CREATE TEMP TABLE dnc_stage (row_number int, phone text, reason text, source text)');
    const copy = client.query(copyFrom('COPY pg_temp.dnc_stage FROM STDIN'));
    // While it runs, a COPY failure reaches us through finished(copy) below; a file that fails
    // half-way leaves the COPY open, and closing the connection then fails it with nobody left
    // listening (an unhandled 'error' event would bring the process down).
    copy.on('error', () => undefined);
    const parser = fs.createReadStream(upload.path).pipe(parse({ bom: true, delimiter, relax_column_count: true, relax_quotes: true }));
    const c = cols!;
    const counts = { rowsRead: 0, rejected: 0 };
    const rejectedRows: Array<{ row: number; reason: string; raw: string }> = [];
    let rowNumber = 0;
    for await (const batch of recordBatches(parser, 2000)) {
      let out = '';
      for (const cells of batch) {
        rowNumber++;
        if (rowNumber === 1 && !c.headerless) continue;
        if (cells.every((x) => x.trim() === '')) continue;
        counts.rowsRead++;
        const r = normalisePhone(cells[c.phone], region);
        if (!r.ok) {
          counts.rejected++;
          if (rejectedRows.length < SHOW_REJECTED) rejectedRows.push({ row: rowNumber, reason: r.reason, raw: toCsvLine(cells) });
          continue;
        }
        const reason = (c.reason !== undefined && cells[c.reason]?.trim()) || input.reason;
        const source = (c.source !== undefined && cells[c.source]?.trim()) || input.source;
        out += `${rowNumber}\t${r.e164}\t${copyValue(reason.slice(0, 500))}\t${copyValue(source.slice(0, 200))}\n`;
      }
      if (out && !copy.write(out)) await once(copy, 'drain');
    }
    copy.end();
    await finished(copy);
    // Text under the header, but only blank rows (",,," lines): as with no rows at all.
    if (counts.rowsRead === 0) throw new AppError('IMPORT_NO_ROWS', 400, 'The file has a header row but no data rows.');
    const { rows } = await client.query<{ added: number; distinct: number }>(
      `WITH src AS (SELECT DISTINCT ON (phone) phone, reason, source FROM pg_temp.dnc_stage ORDER BY phone, row_number),
         ins AS (INSERT INTO "DncEntry" ("portalId", phone, reason, source, "createdBy")
                 SELECT $1::uuid, phone, reason, source, $2 FROM src ON CONFLICT ("portalId", phone) DO NOTHING RETURNING 1)
       SELECT (SELECT count(*) FROM ins)::int AS added, (SELECT count(*) FROM src)::int AS distinct`,
      [input.portalId, input.actor],
    );
    const { added, distinct } = rows[0]!;
    const accepted = counts.rowsRead - counts.rejected;
    return { rowsRead: counts.rowsRead, added, alreadyListed: distinct - added, duplicate: accepted - distinct, rejected: counts.rejected, rejectedRows };
  } catch (err) {
    // csv-parse's own errors (CSV_…) are about the file; anything else is ours and stays a 500.
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('CSV_')) {
      throw new AppError('DNC_IMPORT_BAD_CSV', 422, `The do-not-call file is not valid CSV: ${(err as Error).message}`);
    }
    throw err;
  } finally {
    await client.end().catch(() => undefined);
    await fs.promises.rm(upload.path, { force: true });
  }
}
