import { logger } from '../../platform/logger';
import type { DialingDeps } from './dialing-deps';
import { planDueAttempts, findOrphanedAttempts } from './attempt-planner.service';
import { completeCampaignIfDone } from './campaign-progress.service';

// One pass of the scheduler over every campaign that may need work. Enqueueing is the caller's
// (a queue is not a domain concern): it gets the attempt ids to dial.
export async function sweepCampaigns(deps: DialingDeps): Promise<{ toDial: string[]; started: number; completed: number }> {
  const { db } = deps;
  const now = deps.now();
  const due = await db.campaign.updateMany({ where: { state: 'scheduled', startAt: { lte: now } }, data: { state: 'running', startedAt: now } });
  const running = await db.campaign.findMany({ where: { state: { in: ['running', 'paused'] } }, select: { id: true, portalId: true, state: true } });
  const toDial: string[] = [];
  let completed = 0;
  for (const c of running) {
    // One campaign that cannot be planned must not stop every other campaign from dialing.
    try {
      if (c.state === 'running') {
        toDial.push(...(await planDueAttempts(deps, c.id)));
        toDial.push(...(await findOrphanedAttempts(deps, c.id)));
      }
      if (await completeCampaignIfDone(db, c.portalId, c.id, now)) completed += 1;
    } catch (err) {
      logger.error('dialing sweep: campaign skipped this round', { campaignId: c.id, err: (err as Error).message });
    }
  }
  if (toDial.length || due.count || completed) logger.info('dialing sweep', { toDial: toDial.length, started: due.count, completed });
  return { toDial: [...new Set(toDial)], started: due.count, completed };
}
