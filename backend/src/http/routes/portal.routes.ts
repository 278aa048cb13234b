import type { ApiRouter } from '../api-router';
import type { AppDeps } from '../../app-deps';
import { getPortalSummary } from '../../domain/portals/portal.service';
import { portalOf } from '../middleware/portal-auth';

export function registerPortalRoutes(api: ApiRouter, deps: AppDeps): void {
  api.route('get', '/portal', 'The calling portal: HubSpot account, defaults and pacing.', async (req, res) => {
    res.json(await getPortalSummary(deps.db, portalOf(req).portalId));
  });
}
