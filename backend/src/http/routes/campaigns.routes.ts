import type { ApiRouter } from '../api-router';
import type { AppDeps } from '../../app-deps';
import { portalOf } from '../middleware/portal-auth';
import { parseId, parseInput } from '../validate';
import { createCampaign, deleteCampaign, getCampaign, listCampaigns, updateCampaign } from '../../domain/campaigns/campaign.service';
import { ZCampaignCreate, ZCampaignListQuery, ZCampaignUpdate } from '../../domain/campaigns/campaign.schemas';

// CRUD only; start, pause, resume and cancel belong to the dialing routes (issue 5), which move
// states through transitionCampaign().
export function registerCampaignRoutes(api: ApiRouter, deps: AppDeps): void {
  const { db } = deps;

  api.route('post', '/campaigns', 'Create a draft campaign.', async (req, res) => {
    const actor = portalOf(req);
    res.status(201).json(await createCampaign(db, actor.portalId, parseInput(ZCampaignCreate, req.body, 'body'), { actor: actor.actorId }));
  });

  api.route('get', '/campaigns', 'List campaigns, newest first (limit, cursor, state=draft,running…).', async (req, res) => {
    res.json(await listCampaigns(db, portalOf(req).portalId, parseInput(ZCampaignListQuery, req.query, 'query')));
  });

  api.route('get', '/campaigns/:campaignId', 'Read a campaign.', async (req, res) => {
    res.json(await getCampaign(db, portalOf(req).portalId, parseId(req.params.campaignId, 'campaign')));
  });

  api.route('patch', '/campaigns/:campaignId', 'Change a draft campaign.', async (req, res) => {
    const campaignId = parseId(req.params.campaignId, 'campaign');
    res.json(await updateCampaign(db, portalOf(req).portalId, campaignId, () => parseInput(ZCampaignUpdate, req.body, 'body')));
  });

  api.route('delete', '/campaigns/:campaignId', 'Delete a draft campaign.', async (req, res) => {
    await deleteCampaign(db, portalOf(req).portalId, parseId(req.params.campaignId, 'campaign'));
    res.status(204).end();
  });
}
