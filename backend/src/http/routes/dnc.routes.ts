import { z } from 'zod';
import type { ApiRouter } from '../api-router';
import type { AppDeps } from '../../app-deps';
import { portalOf } from '../middleware/portal-auth';
import { parseId, parseInput } from '../validate';
import { readCsvUpload } from './csv-upload';
import {
  addDncEntries, getDncEntry, listDncEntries, removeDncByPhone, removeDncEntry, ZDncAdd, ZDncListQuery,
} from '../../domain/compliance/dnc.service';
import { importDncCsv } from '../../domain/compliance/dnc-import.service';

const ZDncImportFields = z.object({
  reason: z.string().trim().min(1).max(500).default('do not call list import'),
  source: z.string().trim().min(1).max(200).default('csv_import'),
});
const ZRemoveByPhone = z.object({ phone: z.string().trim().min(1).max(64) });

export function registerDncRoutes(api: ApiRouter, deps: AppDeps): void {
  const { db } = deps;

  api.route('post', '/dnc', 'Add one number ({phone, reason, source}) or many ({entries: [...]}) to the do-not-call list.', async (req, res) => {
    const actor = portalOf(req);
    res.status(201).json(await addDncEntries(db, actor.portalId, parseInput(ZDncAdd, req.body, 'body'), actor.actorId));
  });

  api.route('get', '/dnc', 'List do-not-call entries, newest first (limit, cursor; phone = digits to search for).', async (req, res) => {
    res.json(await listDncEntries(db, portalOf(req).portalId, parseInput(ZDncListQuery, req.query, 'query')));
  });

  api.route('delete', '/dnc', 'Remove a number from the do-not-call list (?phone=…).', async (req, res) => {
    await removeDncByPhone(db, portalOf(req).portalId, parseInput(ZRemoveByPhone, req.query, 'query').phone);
    res.status(204).end();
  });

  api.route('get', '/dnc/:dncId', 'Read a do-not-call entry.', async (req, res) => {
    res.json(await getDncEntry(db, portalOf(req).portalId, parseId(req.params.dncId, 'DNC entry')));
  });

  api.route('delete', '/dnc/:dncId', 'Remove a do-not-call entry.', async (req, res) => {
    await removeDncEntry(db, portalOf(req).portalId, parseId(req.params.dncId, 'DNC entry'));
    res.status(204).end();
  });

  api.route('post', '/dnc/imports', 'Bulk-add numbers from a CSV (text/csv or multipart); optional reason and source defaults.', async (req, res) => {
    try {
      const actor = portalOf(req);
      const upload = await readCsvUpload(req);
      const fields = parseInput(ZDncImportFields, upload.fields, 'body');
      res.json(await importDncCsv(deps, { portalId: actor.portalId, file: upload.file, declaredBytes: upload.declaredBytes, ...fields, actor: actor.actorId }));
    } catch (err) {
      res.setHeader('Connection', 'close');
      req.unpipe();
      throw err;
    }
  });
}
