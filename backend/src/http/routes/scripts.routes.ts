import { z } from 'zod';
import type { ApiRouter } from '../api-router';
import type { AppDeps } from '../../app-deps';
import { portalOf } from '../middleware/portal-auth';
import { parseId, parseInput } from '../validate';
import { archiveScript, createScript, getScript, listScripts, updateScriptDraft, validateScriptDraft } from '../../domain/scripts/script.service';
import { getScriptVersion, listScriptVersions, publishScript, refuseVersionChange } from '../../domain/scripts/script-version.service';
import { simulateScriptRuns } from '../../domain/scripts/script-simulate.service';

// Scripts: drafts, validation, publishing immutable versions, and the simulator. The graph
// itself is validated by the domain (SCRIPT_INVALID, 422, with every problem located); these
// schemas only check the envelope around it, and are applied (lazily) only once the script is
// known to be this portal's.

const ZName = z.string().trim().min(1).max(200);
const ZCreate = z.strictObject({ name: ZName, graph: z.unknown().optional() });
const ZUpdate = z
  .strictObject({ draftRevision: z.number().int().positive(), name: ZName.optional(), graph: z.unknown().optional() })
  .refine((b) => b.name !== undefined || b.graph !== undefined, { message: 'send a name, a graph, or both', path: ['graph'] });
const ZValidate = z.strictObject({ graph: z.unknown().optional() });
const ZPublish = z.strictObject({ draftRevision: z.number().int().positive().optional() });
const ZListQuery = z.object({ includeArchived: z.enum(['true', 'false']).optional() });

const ZSimAnswer = z.union([z.string().max(500), z.number().finite(), z.boolean(), z.strictObject({ optOut: z.literal(true) })]);
const ZSimulate = z
  .strictObject({
    contact: z
      .strictObject({
        firstName: z.string().max(200).nullish(),
        lastName: z.string().max(200).nullish(),
        email: z.string().max(320).nullish(),
        company: z.string().max(200).nullish(),
        timeZone: z.string().max(64).nullish(),
        properties: z.record(z.string().max(100), z.union([z.string().max(1000), z.number(), z.boolean(), z.null()])).optional(),
      })
      .default({}),
    call: z.strictObject({ attemptNumber: z.number().int().min(1).max(100).optional(), localHour: z.number().int().min(0).max(23).optional() }).optional(),
    answers: z.array(ZSimAnswer).max(200).optional(),
    runs: z.array(z.array(ZSimAnswer).max(200)).min(1).max(50).optional(),
    version: z.union([z.literal('draft'), z.number().int().positive()]).optional(),
  })
  .refine((b) => !(b.answers && b.runs), { message: 'send either answers (one run) or runs (several), not both', path: ['runs'] });

export function registerScriptRoutes(api: ApiRouter, deps: AppDeps): void {
  const { db } = deps;
  const scriptId = (p: Record<string, string | string[]>) => parseId(p.scriptId, 'script');
  const versionId = (p: Record<string, string | string[]>) => parseId(p.versionId, 'script version');

  api.route('post', '/scripts', 'Create a script (draft); without a graph it starts from a sample.', async (req, res) => {
    res.status(201).json(await createScript(db, portalOf(req).portalId, parseInput(ZCreate, req.body, 'body')));
  });
  api.route('get', '/scripts', 'List scripts (archived ones with ?includeArchived=true).', async (req, res) => {
    const q = parseInput(ZListQuery, req.query, 'query');
    res.json(await listScripts(db, portalOf(req).portalId, { includeArchived: q.includeArchived === 'true' }));
  });
  api.route('get', '/scripts/:scriptId', 'A script with its current draft.', async (req, res) => {
    res.json(await getScript(db, portalOf(req).portalId, scriptId(req.params)));
  });
  api.route('patch', '/scripts/:scriptId', 'Edit the draft (name and/or graph); send the draftRevision you edited.', async (req, res) => {
    res.json(await updateScriptDraft(db, portalOf(req).portalId, scriptId(req.params), () => parseInput(ZUpdate, req.body, 'body')));
  });
  api.route('delete', '/scripts/:scriptId', 'Archive a script; its published versions stay usable.', async (req, res) => {
    res.json(await archiveScript(db, portalOf(req).portalId, scriptId(req.params)));
  });
  api.route('post', '/scripts/:scriptId/validate', 'Validate a graph (or the stored draft) without saving it.', async (req, res) => {
    res.json(await validateScriptDraft(db, portalOf(req).portalId, scriptId(req.params), () => parseInput(ZValidate, req.body ?? {}, 'body')));
  });
  api.route('post', '/scripts/:scriptId/publish', 'Freeze the draft as a new immutable version.', async (req, res) => {
    const actor = portalOf(req);
    const result = await publishScript(db, actor.portalId, scriptId(req.params), () => parseInput(ZPublish, req.body ?? {}, 'body'), actor.actorId);
    res.status(result.created ? 201 : 200).json(result);
  });
  api.route('get', '/scripts/:scriptId/versions', 'Published versions, newest first.', async (req, res) => {
    res.json(await listScriptVersions(db, portalOf(req).portalId, scriptId(req.params)));
  });
  api.route('get', '/scripts/:scriptId/versions/:versionId', 'One published version with its graph.', async (req, res) => {
    res.json(await getScriptVersion(db, portalOf(req).portalId, scriptId(req.params), versionId(req.params)));
  });
  for (const method of ['put', 'patch', 'delete'] as const) {
    api.route(method, '/scripts/:scriptId/versions/:versionId', 'Refused: a published version never changes (409).', async (req) => {
      await refuseVersionChange(db, portalOf(req).portalId, scriptId(req.params), versionId(req.params));
    });
  }
  api.route('post', '/scripts/:scriptId/simulate', 'Walk the draft or a version with a sample contact and answers.', async (req, res) => {
    res.json(await simulateScriptRuns(db, portalOf(req).portalId, scriptId(req.params), () => parseInput(ZSimulate, req.body ?? {}, 'body')));
  });
}
