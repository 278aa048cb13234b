import type { Db } from '../../platform/prisma';
import { assignVariant } from '../campaigns/campaign-variants';
import { meetsConsent, type ConsentLevel } from '../campaigns/campaign-defaults';
import { FINAL_CONTACT_STATES, type CampaignContactState } from '../campaigns/campaign-states';
import { skipReasonInWords } from './skip-reasons';
import { readPlanLimits, type PlanLimits } from '../settings/plan-limits';

// One contact joins one campaign from outside its segment (a workflow enrollment, or "Add to
// campaign" on the contact card). The dialer treats the row like any snapshotted contact, and
// every dial-time check still runs when it is dialed; only the checks whose answer cannot change
// by waiting (do-not-call, consent) are made here too, so a contact that can never be called is
// recorded as skipped at once instead of waiting in the queue.

export type EnrollResult =
  | { kind: 'enrolled'; campaignContactId: string; created: boolean; state: CampaignContactState }
  | { kind: 'skipped'; campaignContactId: string; created: boolean; reason: string; message: string }
  | { kind: 'already_final'; campaignContactId: string; state: CampaignContactState }
  | { kind: 'refused'; reason: RefusalReason; message: string };

type RefusalReason = 'campaign_not_found' | 'campaign_ended' | 'campaign_no_script' | 'campaign_full';

export interface EnrollInput {
  portalId: string;
  campaignId: string;
  contact: { id: string; phone: string; consentType: string };
  /** The plan defaults (config.plan): an open campaign at its plan's contact cap enrolls no one more. */
  planDefaults: PlanLimits;
}

const ENROLLABLE = new Set(['draft', 'scheduled', 'running', 'paused']);

export async function enrollContact(db: Db, input: EnrollInput): Promise<EnrollResult> {
  const { portalId, campaignId, contact } = input;
  const campaign = await db.campaign.findFirst({
    where: { id: campaignId, portalId },
    select: { id: true, state: true, minConsent: true, variants: { select: { id: true, label: true, weight: true } } },
  });
  if (!campaign) return refused('campaign_not_found');
  if (!ENROLLABLE.has(campaign.state)) return refused('campaign_ended');
  if (campaign.variants.length === 0) return refused('campaign_no_script');

  const existing = await findMembership(db, campaignId, contact.id);
  if (existing) return fromExisting(existing);
  if (await isCampaignFull(db, portalId, campaignId, input.planDefaults)) return refused('campaign_full');

  const listed = await db.dncEntry.findUnique({ where: { portalId_phone: { portalId, phone: contact.phone } }, select: { id: true } });
  const skipReason = listed ? 'dnc' : meetsConsent(contact.consentType, campaign.minConsent as ConsentLevel) ? null : 'no_consent';
  const variant = assignVariant({ campaignId, contactId: contact.id }, campaign.variants);
  const { count } = await db.campaignContact.createMany({
    data: [{ portalId, campaignId, contactId: contact.id, variantId: variant.id, state: skipReason ? 'skipped' : 'pending', skipReason }],
    skipDuplicates: true,
  });
  const row = await findMembership(db, campaignId, contact.id);
  if (!row) throw new Error('campaign contact vanished right after it was written');
  if (count === 0) return fromExisting(row); // another request enrolled it a moment ago
  if (skipReason) return { kind: 'skipped', campaignContactId: row.id, created: true, reason: skipReason, message: skipReasonInWords(skipReason) };
  return { kind: 'enrolled', campaignContactId: row.id, created: true, state: row.state };
}

function findMembership(db: Db, campaignId: string, contactId: string) {
  return db.campaignContact.findUnique({
    where: { campaignId_contactId: { campaignId, contactId } },
    select: { id: true, state: true, skipReason: true },
  });
}

function fromExisting(row: { id: string; state: CampaignContactState; skipReason: string | null }): EnrollResult {
  if (FINAL_CONTACT_STATES.includes(row.state)) return { kind: 'already_final', campaignContactId: row.id, state: row.state };
  return { kind: 'enrolled', campaignContactId: row.id, created: false, state: row.state };
}

async function isCampaignFull(db: Db, portalId: string, campaignId: string, defaults: PlanLimits): Promise<boolean> {
  const { maxCampaignContacts } = await readPlanLimits(db, portalId, defaults);
  return (await db.campaignContact.count({ where: { campaignId } })) >= maxCampaignContacts;
}

function refused(reason: RefusalReason): EnrollResult {
  return { kind: 'refused', reason, message: skipReasonInWords(reason) };
}
