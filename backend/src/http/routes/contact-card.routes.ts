import type { ApiRouter } from '../api-router';
import type { AppDeps } from '../../app-deps';
import { portalOf } from '../middleware/portal-auth';
import { parseInput } from '../validate';
import { getContactCard } from '../../domain/workflows/contact-card.service';
import { enrollFromCard, setCardConsent, setCardDnc } from '../../domain/workflows/contact-card-actions.service';
import { ZCardConsent, ZCardDnc, ZCardEnroll, ZCardQuery } from '../../domain/workflows/contact-card.schemas';

// The contact sidebar card's API (hubspot-app/app/cards): one read for the whole card, and the
// card's actions, each naming the HubSpot record it sits on.
export function registerContactCardRoutes(api: ApiRouter, deps: AppDeps): void {
  const { db } = deps;

  api.route('get', '/contact-card', 'Everything the contact card shows for a HubSpot contact (?hubspotContactId=&phone=): calls, DNC, consent, campaigns, scripts.', async (req, res) => {
    res.json(await getContactCard(db, portalOf(req).portalId, parseInput(ZCardQuery, req.query, 'query')));
  });

  api.route('put', '/contact-card/consent', "Set the card contact's consent (creates our contact from the HubSpot record if needed).", async (req, res) => {
    const actor = portalOf(req);
    res.json(await setCardConsent(db, actor.portalId, { ...parseInput(ZCardConsent, req.body, 'body'), actor: actor.actorId }));
  });

  api.route('put', '/contact-card/dnc', "Put the card contact's number on the do-not-call list, or take it off.", async (req, res) => {
    const actor = portalOf(req);
    res.json(await setCardDnc(db, actor.portalId, { ...parseInput(ZCardDnc, req.body, 'body'), actor: actor.actorId }));
  });

  api.route('post', '/contact-card/enroll', 'Add the card contact to a campaign; answers in words what will happen.', async (req, res) => {
    res.json(await enrollFromCard(db, portalOf(req).portalId, parseInput(ZCardEnroll, req.body, 'body'), deps.config.plan));
  });
}
