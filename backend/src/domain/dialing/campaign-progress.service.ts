import type { Db } from '../../platform/prisma';
import { FINAL_CONTACT_STATES } from '../campaigns/campaign-states';
import { logger } from '../../platform/logger';

export interface CampaignProgress {
  total: number;
  byState: Record<string, number>;
  final: number;
  live: number;
  skippedByReason: Record<string, number>;
}

/** Counts per contact state, readable at any time (one grouped query on an indexed column). */
export async function campaignProgress(db: Db, campaignId: string): Promise<CampaignProgress> {
  const rows = await db.campaignContact.groupBy({ by: ['state', 'skipReason'], where: { campaignId }, _count: { _all: true } });
  const byState: Record<string, number> = {};
  const skippedByReason: Record<string, number> = {};
  let total = 0;
  for (const r of rows) {
    byState[r.state] = (byState[r.state] ?? 0) + r._count._all;
    if (r.state === 'skipped' || r.state === 'cancelled') skippedByReason[r.skipReason ?? 'unknown'] = (skippedByReason[r.skipReason ?? 'unknown'] ?? 0) + r._count._all;
    total += r._count._all;
  }
  const final = FINAL_CONTACT_STATES.reduce((n, s) => n + (byState[s] ?? 0), 0);
  return { total, byState, final, live: (byState.dialing ?? 0) + (byState.in_call ?? 0), skippedByReason };
}

/**
 * A running or paused campaign whose every contact is final completes (compare-and-set), unless
 * its enrollment is open: a workflow may still add contacts, so it waits to be closed.
 */
export async function completeCampaignIfDone(db: Db, portalId: string, campaignId: string, now: Date): Promise<boolean> {
  // Any one open contact is enough to say no (no need to count them all on every sweep).
  const open = await db.campaignContact.findFirst({ where: { campaignId, state: { notIn: [...FINAL_CONTACT_STATES] } }, select: { id: true } });
  if (open) return false;
  const { count } = await db.campaign.updateMany({
    where: { id: campaignId, portalId, state: { in: ['running', 'paused'] }, openEnrollment: false },
    data: { state: 'completed', completedAt: now },
  });
  if (count === 1) logger.info('campaign completed', { campaignId });
  return count === 1;
}
