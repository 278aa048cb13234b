import type { ApiRouter } from '../api-router';
import type { AppDeps } from '../../app-deps';
import { portalOf } from '../middleware/portal-auth';
import { parseId, parseInput } from '../validate';
import { z } from 'zod';
import { assertCampaignExists, cancelCampaign, closeCampaignEnrollment, getCampaignProgress, pauseCampaign, resumeCampaign, startCampaign } from '../../domain/dialing/campaign-runner.service';

const ZPause = z.object({ reason: z.string().trim().max(500).optional() }).strict();

export function registerCampaignControlRoutes(api: ApiRouter, deps: AppDeps): void {
  const { db } = deps;
  const voice = deps.voice;
  if (!voice) throw new Error('createApp must provide a voice router');

  api.route('post', '/campaigns/:campaignId/start', 'Start a draft campaign: snapshot its segment, then run (or wait for its start time).', async (req, res) => {
    const actor = portalOf(req);
    const campaignId = parseId(req.params.campaignId, 'campaign');
    res.json(await startCampaign(db, voice, { portalId: actor.portalId, campaignId, actor: actor.actorId, now: new Date(), planDefaults: deps.config.plan }));
  });

  api.route('post', '/campaigns/:campaignId/pause', 'Pause: no new dials; live calls finish.', async (req, res) => {
    const actor = portalOf(req);
    const campaignId = parseId(req.params.campaignId, 'campaign');
    await assertCampaignExists(db, actor.portalId, campaignId);
    const body = parseInput(ZPause, req.body ?? {}, 'body');
    res.json(await pauseCampaign(db, { portalId: actor.portalId, campaignId, actor: actor.actorId, reason: body.reason }));
  });

  api.route('post', '/campaigns/:campaignId/resume', 'Resume a paused campaign.', async (req, res) => {
    const actor = portalOf(req);
    res.json(await resumeCampaign(db, voice, { portalId: actor.portalId, campaignId: parseId(req.params.campaignId, 'campaign'), actor: actor.actorId }));
  });

  api.route('post', '/campaigns/:campaignId/cancel', 'Cancel: pending attempts are cancelled; live calls finish.', async (req, res) => {
    const actor = portalOf(req);
    res.json(await cancelCampaign(db, { portalId: actor.portalId, campaignId: parseId(req.params.campaignId, 'campaign'), actor: actor.actorId, now: new Date() }));
  });

  api.route('post', '/campaigns/:campaignId/close-enrollment', 'Close an open-enrollment campaign: nothing more is enrolled; it completes once its contacts are done.', async (req, res) => {
    const actor = portalOf(req);
    res.json(await closeCampaignEnrollment(db, { portalId: actor.portalId, campaignId: parseId(req.params.campaignId, 'campaign'), now: new Date() }));
  });

  api.route('get', '/campaigns/:campaignId/progress', 'Contacts per state, live calls and skip reasons.', async (req, res) => {
    res.json(await getCampaignProgress(db, { portalId: portalOf(req).portalId, campaignId: parseId(req.params.campaignId, 'campaign') }));
  });
}
