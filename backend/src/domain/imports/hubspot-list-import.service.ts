import { z } from 'zod';
import type { AppDeps } from '../../app-deps';
import type { HubSpotGateway } from '../../hubspot/gateway.types';
import { AppError } from '../../platform/app-error';
import { logger } from '../../platform/logger';
import { isRegionCode } from '../contacts/phone-normaliser';
import { canonicalTimeZone } from '../contacts/time-zone';
import { createContactNormaliser } from './contact-normaliser';
import { runImportPipeline } from './import-pipeline';
import { prepareInline } from './prepared-batch';
import type { ImportMode } from './import-merge';
import { openPgClient } from './pg-connection';
import { beginImportRun, endFailedImportRun, importProgressWriter } from './import-run-state';
import { hubSpotListRows } from './hubspot-list-source';

// A HubSpot list pulled in the background into the same upsert path as a CSV file
// (all-or-nothing: the merge is one transaction), keeping each contact's HubSpot id.
export const ZHubSpotListImport = z
  .object({
    listId: z.string().regex(/^\d{1,20}$/, 'must be a HubSpot list id (digits)'),
    mode: z.enum(['update', 'keep']).default('update'),
    defaultRegion: z.string().length(2).toUpperCase().optional(),
  })
  .strict();
export type THubSpotListImport = z.infer<typeof ZHubSpotListImport>;

/** Reading a portal's lists needs its HubSpot install; without one, a 409 that says so. */
export async function requireHubSpotInstall(db: AppDeps['db'], portalId: string): Promise<void> {
  const portal = await db.portal.findUnique({ where: { id: portalId }, select: { refreshTokenEnc: true } });
  if (!portal?.refreshTokenEnc) {
    throw new AppError('HUBSPOT_NOT_INSTALLED', 409, 'This portal has not installed the app in HubSpot (or must reinstall it), so its lists cannot be read.');
  }
}

export async function createHubSpotListImport(deps: Pick<AppDeps, 'db'>, portalId: string, input: THubSpotListImport) {
  await requireHubSpotInstall(deps.db, portalId);
  if (input.defaultRegion && !isRegionCode(input.defaultRegion)) {
    throw new AppError('VALIDATION_FAILED', 400, `Invalid body: defaultRegion ${input.defaultRegion} is not a country code.`);
  }
  return deps.db.import.create({
    data: { portalId, source: 'hubspot_list', status: 'queued', hubspotListId: input.listId, mode: input.mode, defaultRegion: input.defaultRegion ?? null },
  });
}

export async function runHubSpotListImport(
  deps: Pick<AppDeps, 'db' | 'config' | 'databaseUrl'>,
  gateway: HubSpotGateway,
  job: { importId: string; portalId: string },
  hooks: { final: boolean; attempt?: number },
): Promise<'completed' | 'already_finished' | 'missing'> {
  const row = await deps.db.import.findFirst({ where: { id: job.importId, portalId: job.portalId, source: 'hubspot_list' }, include: { portal: true } });
  if (!row || !row.hubspotListId) return 'missing';
  if (row.status === 'completed' || row.status === 'failed') return 'already_finished';
  await beginImportRun(deps.db, row.id);
  const client = await openPgClient(deps, 'hubspot-list-import');
  try {
    const region = row.defaultRegion ?? row.portal.defaultRegion;
    const normalise = createContactNormaliser({
      region: isRegionCode(region) ? region : undefined,
      portalTimeZone: canonicalTimeZone(row.portal.defaultTimeZone) ?? 'America/New_York',
    });
    const result = await runImportPipeline({
      client,
      importId: row.id,
      portalId: row.portalId,
      mode: row.mode as ImportMode,
      contactSource: 'hubspot',
      batches: prepareInline(hubSpotListRows(gateway, row.portalId, row.hubspotListId), normalise),
      onProgress: importProgressWriter(deps.db, row.id),
    });
    logger.info('hubspot list import finished', { importId: row.id, listId: row.hubspotListId, rowsRead: result?.rowsRead });
    return result ? 'completed' : 'already_finished';
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    logger.warn('hubspot list import attempt failed', { importId: row.id, final: hooks.final, err: message });
    await endFailedImportRun(deps.db, row.id, { message, attempt: hooks.attempt ?? 1, final: hooks.final });
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}
