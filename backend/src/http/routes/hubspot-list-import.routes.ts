import type { ApiRouter } from '../api-router';
import type { AppDeps } from '../../app-deps';
import { portalOf } from '../middleware/portal-auth';
import { parseInput } from '../validate';
import { createHubSpotListImport, ZHubSpotListImport } from '../../domain/imports/hubspot-list-import.service';

export function registerHubSpotListImportRoutes(api: ApiRouter, deps: AppDeps): void {
  api.route('post', '/imports/hubspot-list', 'Import a HubSpot list in the background ({listId, mode?, defaultRegion?}); progress at GET /imports/:importId.', async (req, res) => {
    const portalId = portalOf(req).portalId;
    const input = parseInput(ZHubSpotListImport, req.body, 'body');
    const row = await createHubSpotListImport(deps, portalId, input);
    await deps.queues.enqueue('imports.hubspot-list', { importId: row.id, portalId }, { jobId: `import-${row.id}` });
    res.status(202).json({ id: row.id, source: row.source, status: row.status, hubspotListId: row.hubspotListId, mode: row.mode });
  });
}
