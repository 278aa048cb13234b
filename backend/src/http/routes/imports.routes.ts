import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { ApiRouter } from '../api-router';
import type { AppDeps } from '../../app-deps';
import { portalOf } from '../middleware/portal-auth';
import { parseId, parseInput } from '../validate';
import { readCsvUpload } from './csv-upload';
import { ZImportOptions } from '../../domain/imports/import-options';
import { createCsvImport, getImport, listImports } from '../../domain/imports/import.service';
import { openRejectedRowsCsv } from '../../domain/imports/rejected-rows';

const ZListQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(500).optional() });

export function registerImportRoutes(api: ApiRouter, deps: AppDeps): void {
  api.route(
    'post',
    '/imports',
    'Upload a CSV of contacts (text/csv body, or multipart with a "file" part); options: mode, defaultRegion, mapping.',
    async (req, res) => {
      try {
        const upload = await readCsvUpload(req);
        const options = parseInput(ZImportOptions, upload.fields, 'body');
        const { view, reused } = await createCsvImport(deps, { portalId: portalOf(req).portalId, file: upload.file, declaredBytes: upload.declaredBytes, options });
        res.status(reused ? 200 : 202).json(view);
      } catch (err) {
        // The rest of a refused upload is not read: close the connection once the answer is sent.
        res.setHeader('Connection', 'close');
        req.unpipe();
        throw err;
      }
    },
  );

  api.route('get', '/imports', 'List imports, newest first (limit, cursor).', async (req, res) => {
    res.json(await listImports(deps.db, portalOf(req).portalId, parseInput(ZListQuery, req.query, 'query')));
  });

  api.route('get', '/imports/:importId', 'An import: status, counts so far, bytes read.', async (req, res) => {
    res.json(await getImport(deps.db, portalOf(req).portalId, parseId(req.params.importId, 'import')));
  });

  api.route('get', '/imports/:importId/rejected.csv', 'The rejected rows of an import as CSV, each with its reason.', async (req, res) => {
    const csv = await openRejectedRowsCsv(deps.db, portalOf(req).portalId, parseId(req.params.importId, 'import'));
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${csv.fileName}"`);
    await pipeline(Readable.from(csv.lines), res);
  });
}
