import type { ApiRouter } from '../api-router';
import type { AppDeps } from '../../app-deps';
import { portalOf } from '../middleware/portal-auth';
import { parseInput } from '../validate';
import { callNow } from '../../domain/workflows/call-now.service';
import { ZCallNow } from '../../domain/workflows/contact-card.schemas';
import { DEFAULT_DIALING_POLICY } from '../../domain/dialing/dialing-policy';

// "Call now" from the contact card: one call with a chosen published script, through the dialer.
// A refusal (do-not-call, no consent, outside the window, no provider account…) is a 409 whose
// message says why.
export function registerCallNowRoutes(api: ApiRouter, deps: AppDeps): void {
  const voice = deps.voice;
  if (!voice) throw new Error('createApp must provide a voice router');
  const policy = { ...DEFAULT_DIALING_POLICY, ...deps.dialingPolicy };
  api.route('post', '/call-now', 'Call one HubSpot contact now with a published script version (all dial-time checks apply).', async (req, res) => {
    const actor = portalOf(req);
    const body = parseInput(ZCallNow, req.body, 'body');
    res.status(202).json(await callNow({ db: deps.db, voice, policy }, { portalId: actor.portalId, actor: actor.actorId, ...body, now: new Date() }));
  });
}
