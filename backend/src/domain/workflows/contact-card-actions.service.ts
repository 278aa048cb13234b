import type { Db } from '../../platform/prisma';
import { AppError } from '../../platform/app-error';
import { setConsent } from '../compliance/consent.service';
import { addDncEntries, removeDncByPhone } from '../compliance/dnc.service';
import { resolveHubSpotContact } from './hubspot-contact';
import { enrollContact } from './campaign-enrollment.service';
import { toHubSpotContactInput, type TCardContact } from './contact-card.schemas';
import type { PlanLimits } from '../settings/plan-limits';

// The contact card's write actions. Each names the HubSpot record (and the number HubSpot holds)
// rather than our contact id, since the card may be the first to act on a contact we have not
// imported yet: the contact is found or created first, then the existing compliance and
// enrollment rules apply unchanged.

async function contactFor(db: Db, portalId: string, card: TCardContact) {
  const r = await resolveHubSpotContact(db, portalId, toHubSpotContactInput(card, 'hubspot_card'));
  if (!r.ok) throw new AppError(r.reason === 'no_phone' ? 'CONTACT_NO_PHONE' : 'CONTACT_PHONE_INVALID', 422, r.message);
  return r.contact;
}

export async function setCardConsent(db: Db, portalId: string, x: { contact: TCardContact; type: 'none' | 'express' | 'written'; source?: string; actor: string }) {
  const contact = await contactFor(db, portalId, x.contact);
  return setConsent(db, portalId, contact.id, () => ({ type: x.type, source: x.source ?? `HubSpot contact card (${x.actor})`, at: new Date() }));
}

export async function setCardDnc(db: Db, portalId: string, x: { contact: TCardContact; listed: boolean; reason?: string; actor: string }) {
  const contact = await contactFor(db, portalId, x.contact);
  if (x.listed) {
    await addDncEntries(db, portalId, { entries: [{ phone: contact.phone, reason: x.reason ?? 'Marked do-not-call on the HubSpot contact card', source: 'hubspot_card' }] }, x.actor);
  } else {
    await removeDncByPhone(db, portalId, contact.phone).catch((err: unknown) => {
      // Already off the list: the toggle's goal is reached.
      if (!(err instanceof AppError && err.code === 'DNC_ENTRY_NOT_FOUND')) throw err;
    });
  }
  return { listed: x.listed };
}

export async function enrollFromCard(db: Db, portalId: string, x: { contact: TCardContact; campaignId: string }, planDefaults: PlanLimits) {
  const contact = await contactFor(db, portalId, x.contact);
  const r = await enrollContact(db, { portalId, campaignId: x.campaignId, contact, planDefaults });
  switch (r.kind) {
    case 'refused':
      if (r.reason === 'campaign_full') throw new AppError('CAMPAIGN_FULL', 413, r.message);
      throw new AppError(r.reason === 'campaign_not_found' ? 'CAMPAIGN_NOT_FOUND' : 'CAMPAIGN_NOT_ENROLLABLE', r.reason === 'campaign_not_found' ? 404 : 409, r.message);
    case 'skipped':
      return { result: 'skipped', state: 'skipped', message: `Added, but it will not be called: ${r.message}` };
    case 'already_final':
      return { result: 'already_done', state: r.state, message: `This contact was already in the campaign and is finished there (${r.state}).` };
    case 'enrolled':
      return { result: r.created ? 'added' : 'already_waiting', state: r.state, message: r.created ? 'Added to the campaign; it will be called within the campaign’s calling window.' : 'This contact is already waiting in the campaign.' };
  }
}

