import { logger } from '../../platform/logger';
import type { CallOutcome } from '../../providers/voice/voice-provider';
import { finishAttempt } from '../dialing/attempt-finish.service';
import { applyStoredReportEvent } from './call-ingest.service';
import type { ResultsDeps } from './results-deps';

// The reconciler's smaller sweeps (see call-reconcile.service.ts), each one bounded query.

const BATCH = 100;
const minutesAgo = (deps: ResultsDeps, m: number) => new Date(deps.now().getTime() - m * 60_000);

/** Stored end-of-call reports whose apply failed (a crash, a database error): applied again for a day. */
export async function retryStoredReports(deps: ResultsDeps): Promise<number> {
  const events = await deps.db.providerEvent.findMany({
    where: { type: 'end-of-call-report', processedAt: null, receivedAt: { lt: minutesAgo(deps, 1), gt: minutesAgo(deps, 24 * 60) } },
    orderBy: { receivedAt: 'asc' },
    select: { id: true },
    take: BATCH,
  });
  let applied = 0;
  for (const e of events) if ((await applyStoredReportEvent(deps, e.id)) === 'finalized') applied += 1;
  return applied;
}

/**
 * A call is final but its campaign contact still shows it in progress: finalisation committed and
 * the process died before telling the dialer. Only the contact's latest attempt counts, so an
 * older call can never move a contact that has moved on to a new attempt.
 */
export async function finishStuckAttempts(deps: ResultsDeps): Promise<number> {
  const rows = await deps.db.$queryRaw<Array<{ id: string; outcome: string; isOptOut: boolean }>>`
    SELECT c."id"::text AS "id", c."outcome", c."isOptOut"
      FROM "Call" c JOIN "CampaignContact" cc ON cc."id" = c."campaignContactId"
     WHERE c."status" = 'ended' AND c."outcome" IS NOT NULL AND c."placedAt" IS NOT NULL
       AND c."updatedAt" BETWEEN ${minutesAgo(deps, 60)} AND ${minutesAgo(deps, 1)}
       AND cc."state" IN ('dialing', 'in_call')
       AND NOT EXISTS (SELECT 1 FROM "Call" n WHERE n."campaignContactId" = cc."id" AND n."createdAt" > c."createdAt")
     LIMIT ${BATCH}`;
  let finished = 0;
  for (const r of rows) {
    try {
      const res = await finishAttempt(deps.dialing, { callId: r.id, outcome: r.outcome as CallOutcome, optedOut: r.isOptOut });
      if (res.contactState && res.contactState !== 'dialing' && res.contactState !== 'in_call') finished += 1;
    } catch (err) {
      logger.warn('could not finish a stuck attempt', { callId: r.id, err: (err as Error).message });
    }
  }
  return finished;
}

/** Outbox rows written but never handed to the queue (or whose claim went stale): queued again. */
export async function requeueForgottenOutbox(deps: ResultsDeps): Promise<number> {
  if (!deps.kickOutbox) return 0;
  const rows = await deps.db.outbox.findMany({
    where: { status: { in: ['pending', 'sending'] }, nextAttemptAt: { lt: minutesAgo(deps, 1) } },
    orderBy: { nextAttemptAt: 'asc' },
    select: { id: true },
    take: BATCH * 2,
  });
  if (rows.length) await deps.kickOutbox(rows.map((r) => r.id));
  return rows.length;
}
