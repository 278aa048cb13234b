// Applies one campaign state change: checked against the transition table, then written with a
// compare-and-set on the state it was read in (style.md habit 8). Of two callers racing from the
// same state exactly one wins; the other gets 409 and nothing changes.
import type { Db } from '../../platform/prisma';
import { AppError, notFound } from '../../platform/app-error';
import { logger } from '../../platform/logger';
import { toCampaignDto } from './campaign.dto';
import { assertTransition, type CampaignState } from './campaign-states';
import { getCampaignRow } from './campaign.service';

export interface TransitionOptions {
  actor: string;
  /** Shown with the state (for example why a campaign was paused). */
  reason?: string | null;
  /** Only move if the campaign is in one of these states now (else 409 CAMPAIGN_STATE_CONFLICT). */
  from?: CampaignState | readonly CampaignState[];
  now?: Date;
}

function stamps(from: CampaignState, to: CampaignState, actor: string, now: Date) {
  switch (to) {
    case 'running':
      return from === 'paused' ? { pausedAt: null } : { startedAt: now, startedBy: actor };
    case 'paused':
      return { pausedAt: now };
    case 'completed':
      return { completedAt: now };
    case 'cancelled':
      return { cancelledAt: now };
    default:
      return {};
  }
}

export async function transitionCampaign(db: Db, portalId: string, campaignId: string, to: CampaignState, opts: TransitionOptions) {
  const current = await db.campaign.findFirst({ where: { id: campaignId, portalId }, select: { state: true } });
  if (!current) throw notFound('campaign');
  const from = current.state as CampaignState;
  const expected = opts.from === undefined ? null : ([] as CampaignState[]).concat(opts.from);
  if (expected && !expected.includes(from)) {
    throw new AppError('CAMPAIGN_STATE_CONFLICT', 409, `The campaign is ${from}, not ${expected.join(' or ')}.`, { state: from });
  }
  assertTransition(from, to);
  const now = opts.now ?? new Date();
  const { count } = await db.campaign.updateMany({
    where: { id: campaignId, portalId, state: from },
    data: { state: to, stateReason: opts.reason ?? null, ...stamps(from, to, opts.actor, now) },
  });
  if (count !== 1) {
    throw new AppError('CAMPAIGN_STATE_CONFLICT', 409, `The campaign changed state while it was being moved from ${from} to ${to}; read it again.`, { from, to });
  }
  logger.info('campaign state changed', { campaignId, from, to, actor: opts.actor, reason: opts.reason ?? undefined });
  return { from, to, campaign: toCampaignDto(await getCampaignRow(db, portalId, campaignId)) };
}
