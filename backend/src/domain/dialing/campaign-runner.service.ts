import type { Db } from '../../platform/prisma';
import { AppError, notFound } from '../../platform/app-error';
import { logger } from '../../platform/logger';
import { transitionCampaign } from '../campaigns/campaign-transition';
import { assignVariant } from '../campaigns/campaign-variants';
import { portalCallingDefaults } from '../campaigns/campaign-defaults';
import { iterateSegmentContacts, countSegmentContacts } from '../segments/segment-contacts';
import type { VoiceRouter } from './dialing-port';
import { campaignProgress, completeCampaignIfDone } from './campaign-progress.service';
import { getCampaignRow } from '../campaigns/campaign.service';
import { toCampaignDto } from '../campaigns/campaign.dto';
import { campaignTooLarge, planLimitsOf, type PlanLimits } from '../settings/plan-limits';

// Start, pause, resume and cancel (the dialing side of a campaign's life). Starting snapshots
// the segment into CampaignContacts in pages — each contact's A/B variant fixed then — and only
// then moves the campaign to running (or scheduled); a start interrupted half way can simply be
// started again (the snapshot skips contacts it already has).
const SNAPSHOT_PAGE = 2000;

export async function startCampaign(db: Db, voice: VoiceRouter, x: { portalId: string; campaignId: string; actor: string; now: Date; planDefaults: PlanLimits }) {
  const campaign = await db.campaign.findFirst({ where: { id: x.campaignId, portalId: x.portalId }, include: { variants: true } });
  if (!campaign) throw notFound('campaign');
  if (campaign.state !== 'draft') {
    throw new AppError('CAMPAIGN_NOT_STARTABLE', 409, `Only a draft campaign can be started; this one is ${campaign.state}.`);
  }
  const portal = await db.portal.findUniqueOrThrow({ where: { id: x.portalId } });
  const defaults = portalCallingDefaults(portal);
  if (!campaign.segmentId) throw new AppError('CAMPAIGN_NO_SEGMENT', 400, 'The campaign has no segment, so it has nobody to call.');
  if (campaign.variants.length === 0) throw new AppError('CAMPAIGN_NO_SCRIPT', 400, 'The campaign has no script version to run.');
  if (campaign.maxConcurrent > portal.maxConcurrentCalls || campaign.callsPerMinute > portal.callsPerMinute) {
    throw new AppError(
      'CAMPAIGN_PACING_ABOVE_LIMIT',
      400,
      `The campaign's pacing (${campaign.maxConcurrent} live calls, ${campaign.callsPerMinute}/min) is above the account's limit (${portal.maxConcurrentCalls} live calls, ${portal.callsPerMinute}/min).`,
    );
  }
  if (campaign.callerId && defaults.callerIds.length > 0 && !defaults.callerIds.includes(campaign.callerId)) {
    throw new AppError('CAMPAIGN_CALLER_ID_NOT_OWNED', 400, `The caller id ${campaign.callerId} is not one of this account's numbers.`);
  }
  const account = voice.forPortal(portal);
  if (!account.ok) throw new AppError('PROVIDER_ACCOUNT_UNUSABLE', 400, account.reason);

  const count = await countSegmentContacts(db, x.portalId, campaign.segmentId);
  if (count === 0) throw new AppError('CAMPAIGN_EMPTY', 400, 'The campaign’s segment matches no contacts; there is nobody to call.');
  // The plan's cap is checked before anything is snapshotted, so a refused start writes nothing.
  const { maxCampaignContacts } = planLimitsOf(portal.settings, x.planDefaults);
  if (count > maxCampaignContacts) throw campaignTooLarge(count, maxCampaignContacts);

  let snapshotted = 0;
  for await (const page of iterateSegmentContacts(db, x.portalId, campaign.segmentId, { batchSize: SNAPSHOT_PAGE })) {
    // One statement per page with the ids as two arrays (createMany bound four values per row:
    // 8,000 for a page, most of a start's CPU); ON CONFLICT DO NOTHING is createMany's
    // skipDuplicates, which lets an interrupted start be repeated.
    const contactIds = page.map((c) => c.id);
    const variantIds = page.map((c) => assignVariant({ campaignId: campaign.id, contactId: c.id }, campaign.variants).id);
    const at = x.now.toISOString();
    snapshotted += await db.$executeRaw`
      INSERT INTO "CampaignContact" ("portalId", "campaignId", "contactId", "variantId", "createdAt", "updatedAt")
      SELECT ${x.portalId}::uuid, ${campaign.id}::uuid, c, v, (${at}::timestamptz AT TIME ZONE 'UTC'), (${at}::timestamptz AT TIME ZONE 'UTC')
        FROM unnest(${contactIds}::uuid[], ${variantIds}::uuid[]) AS page(c, v)
      ON CONFLICT DO NOTHING`;
  }
  const scheduled = campaign.startAt && campaign.startAt > x.now;
  const updated = await transitionCampaign(db, x.portalId, campaign.id, scheduled ? 'scheduled' : 'running', { actor: x.actor, from: 'draft', now: x.now });
  logger.info('campaign started', { campaignId: campaign.id, contacts: snapshotted, state: scheduled ? 'scheduled' : 'running' });
  return updated;
}

/** Another portal's campaign is a 404 before anything else about the request is judged. */
export async function assertCampaignExists(db: Db, portalId: string, campaignId: string): Promise<void> {
  const found = await db.campaign.findFirst({ where: { id: campaignId, portalId }, select: { id: true } });
  if (!found) throw notFound('campaign');
}

export async function pauseCampaign(db: Db, x: { portalId: string; campaignId: string; actor: string; reason?: string }) {
  // No new dials from here (the dial step re-checks the state); live calls finish on their own.
  return transitionCampaign(db, x.portalId, x.campaignId, 'paused', { actor: x.actor, reason: x.reason ?? null, from: 'running' });
}

export async function resumeCampaign(db: Db, voice: VoiceRouter, x: { portalId: string; campaignId: string; actor: string }) {
  await assertCampaignExists(db, x.portalId, x.campaignId);
  const portal = await db.portal.findUnique({ where: { id: x.portalId } });
  if (!portal) throw notFound('campaign');
  const account = voice.forPortal(portal);
  if (!account.ok) throw new AppError('PROVIDER_ACCOUNT_UNUSABLE', 400, account.reason);
  return transitionCampaign(db, x.portalId, x.campaignId, 'running', { actor: x.actor, from: 'paused' });
}

export async function cancelCampaign(db: Db, x: { portalId: string; campaignId: string; actor: string; now: Date }) {
  const updated = await transitionCampaign(db, x.portalId, x.campaignId, 'cancelled', { actor: x.actor, from: ['scheduled', 'running', 'paused'], now: x.now });
  // Everything not yet dialing is cancelled; calls already live finish and are recorded.
  await db.$transaction([
    db.campaignContact.updateMany({
      where: { campaignId: x.campaignId, state: { in: ['pending', 'queued', 'retry_wait'] } },
      data: { state: 'cancelled', skipReason: 'campaign_ended', nextAttemptAt: null },
    }),
    db.call.deleteMany({ where: { campaignId: x.campaignId, status: 'pending', dialStartedAt: null, placedAt: null } }),
  ]);
  return updated;
}

/**
 * Closes an open-enrollment campaign: nothing more may be enrolled, and it completes once the
 * contacts it has are done (at once when they already are). A closed campaign stays closed.
 */
export async function closeCampaignEnrollment(db: Db, x: { portalId: string; campaignId: string; now: Date }) {
  const c = await db.campaign.findFirst({ where: { id: x.campaignId, portalId: x.portalId }, select: { state: true, openEnrollment: true } });
  if (!c) throw notFound('campaign');
  if (!c.openEnrollment) throw new AppError('CAMPAIGN_ENROLLMENT_NOT_OPEN', 409, 'This campaign does not have open enrollment; it completes by itself when its contacts are done.');
  await db.campaign.updateMany({ where: { id: x.campaignId, portalId: x.portalId }, data: { openEnrollment: false } });
  const completed = c.state === 'running' || c.state === 'paused' ? await completeCampaignIfDone(db, x.portalId, x.campaignId, x.now) : false;
  return { completed, campaign: toCampaignDto(await getCampaignRow(db, x.portalId, x.campaignId)) };
}

export async function getCampaignProgress(db: Db, x: { portalId: string; campaignId: string }) {
  const campaign = await db.campaign.findFirst({ where: { id: x.campaignId, portalId: x.portalId }, select: { id: true, state: true, stateReason: true } });
  if (!campaign) throw notFound('campaign');
  const progress = await campaignProgress(db, campaign.id);
  return { campaignId: campaign.id, state: campaign.state, stateReason: campaign.stateReason, ...progress };
}

