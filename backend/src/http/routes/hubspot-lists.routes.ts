import type { ApiRouter } from '../api-router';
import type { AppDeps } from '../../app-deps';
import { portalOf } from '../middleware/portal-auth';
import { parseInput } from '../validate';
import { createHubSpotServices } from '../../hubspot/hubspot-services';
import { searchHubSpotContactLists, ZHubSpotListSearchQuery } from '../../domain/imports/hubspot-list-search.service';

// The create-campaign page's list picker asks HubSpot for the portal's contact lists through us:
// the card cannot call HubSpot's API itself, and the portal's token stays on the server.
export function registerHubSpotListRoutes(api: ApiRouter, deps: AppDeps): void {
  const { gateway } = createHubSpotServices({ config: deps.config, db: deps.db, redis: deps.redis, cipher: deps.cipher, keyPrefix: deps.queues.prefix });

  api.route('get', '/hubspot/lists', "The portal's HubSpot contact lists whose name contains `query`, a page at a time (cursor, limit).", async (req, res) => {
    const q = parseInput(ZHubSpotListSearchQuery, req.query, 'query');
    res.json(await searchHubSpotContactLists({ db: deps.db, gateway }, portalOf(req).portalId, q));
  });
}
