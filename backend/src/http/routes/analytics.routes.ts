import type { ApiRouter } from '../api-router';
import type { AppDeps } from '../../app-deps';
import { portalOf } from '../middleware/portal-auth';
import { parseId, parseInput } from '../validate';
import { ZAnalyticsQuery, campaignAnalytics, portalAnalytics } from '../../domain/analytics/analytics.service';

export function registerAnalyticsRoutes(api: ApiRouter, deps: AppDeps): void {
  api.route('get', '/analytics/campaigns/:campaignId', "A campaign's call analytics: totals, rates, duration, cost, by day, by variant, top ended reasons (?from=&to= as YYYY-MM-DD, UTC).", async (req, res) => {
    const campaignId = parseId(req.params.campaignId, 'campaign');
    res.json(await campaignAnalytics(deps.db, portalOf(req).portalId, campaignId, parseInput(ZAnalyticsQuery, req.query, 'query')));
  });

  api.route('get', '/analytics/portal', "The portal's call analytics across campaigns, with a per-campaign breakdown (?from=&to=).", async (req, res) => {
    res.json(await portalAnalytics(deps.db, portalOf(req).portalId, parseInput(ZAnalyticsQuery, req.query, 'query')));
  });
}
