import { logger } from '../../platform/logger';
import type { DialingDeps } from './dialing-deps';
import { planDueAttempts, findOrphanedAttempts } from './attempt-planner.service';
import { completeCampaignIfDone } from './campaign-progress.service';

// One pass of the scheduler over every campaign that may need work. Enqueueing is the caller's
// (a queue is not a domain concern): it gets the attempt ids to dial.
//   planned:  attempts created by this pass (new ids: no job can exist for them yet)
//   orphaned: older attempts that may have lost their job (none of them planned by this pass)
const START_DUE_SQL = `
  UPDATE "Campaign" SET state = 'running', "startedAt" = ($1::timestamptz AT TIME ZONE 'UTC'), "updatedAt" = ($1::timestamptz AT TIME ZONE 'UTC')
   WHERE state = 'scheduled' AND "startAt" <= ($1::timestamptz AT TIME ZONE 'UTC')
  RETURNING id`;
const RUNNING_SQL = `SELECT id::text AS id, "portalId"::text AS "portalId", state::text AS state FROM "Campaign" WHERE state IN ('running', 'paused')`;

export async function sweepCampaigns(deps: DialingDeps): Promise<{ planned: string[]; orphaned: string[]; started: number; completed: number }> {
  const { db } = deps;
  const now = deps.now();
  // Both on the hot-path runner: they run on every tick, whatever there is to do.
  const at = now.toISOString();
  const due = { count: (await deps.sql.query(START_DUE_SQL, [at], 'hac_sweep_start_due')).length };
  const running = await deps.sql.query<{ id: string; portalId: string; state: string }>(RUNNING_SQL, [], 'hac_sweep_running');
  const shares = await fairShares(deps, running);
  const planned: string[] = [];
  const orphaned: string[] = [];
  let completed = 0;
  for (const c of running) {
    // One campaign that cannot be planned must not stop every other campaign from dialing.
    try {
      if (c.state === 'running') {
        planned.push(...(await planDueAttempts(deps, c.id, { maxInFlight: shares.get(c.id) })));
        orphaned.push(...(await findOrphanedAttempts(deps, c.id)));
      }
      if (await completeCampaignIfDone(db, c.portalId, c.id, now)) completed += 1;
    } catch (err) {
      logger.error('dialing sweep: campaign skipped this round', { campaignId: c.id, err: (err as Error).message });
    }
  }
  const fresh = new Set(planned);
  const lost = [...new Set(orphaned)].filter((id) => !fresh.has(id));
  if (planned.length || lost.length || due.count || completed) logger.info('dialing sweep', { planned: planned.length, orphaned: lost.length, started: due.count, completed });
  return { planned: [...fresh], orphaned: lost, started: due.count, completed };
}

/**
 * Each running campaign's share of its provider account: twice the account's live-call capacity
 * (what the planner keeps waiting for a campaign alone), split evenly between the running
 * campaigns dialing on that account, at least 1. A campaign alone on its account has no share
 * (its own maxConcurrent bounds it). Portals whose voice account cannot be resolved are left out.
 */
export async function fairShares(deps: Pick<DialingDeps, 'db' | 'voice'>, campaigns: Array<{ id: string; portalId: string; state: string }>): Promise<Map<string, number>> {
  const live = campaigns.filter((c) => c.state === 'running');
  const shares = new Map<string, number>();
  if (live.length < 2) return shares;
  const portals = await deps.db.portal.findMany({ where: { id: { in: [...new Set(live.map((c) => c.portalId))] } } });
  const accountOf = new Map<string, { key: string; capacity: number }>();
  for (const p of portals) {
    const v = deps.voice.forPortal(p);
    if (v.ok) accountOf.set(p.id, { key: v.voice.accountKey, capacity: v.voice.accountConcurrency });
  }
  const byAccount = new Map<string, { capacity: number; ids: string[] }>();
  for (const c of live) {
    const a = accountOf.get(c.portalId);
    if (!a) continue;
    const group = byAccount.get(a.key) ?? { capacity: a.capacity, ids: [] };
    group.capacity = Math.min(group.capacity, a.capacity);
    group.ids.push(c.id);
    byAccount.set(a.key, group);
  }
  for (const { capacity, ids } of byAccount.values()) {
    if (ids.length < 2) continue;
    const share = Math.max(1, Math.ceil((capacity * 2) / ids.length));
    for (const id of ids) shares.set(id, share);
  }
  return shares;
}
