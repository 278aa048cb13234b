import type { AppDeps } from './app-deps';
import type { DialingDeps } from './domain/dialing/dialing-deps';
import type { ResultsDeps } from './domain/calls/results-deps';
import { createDialingDeps } from './dialing-deps.factory';
import { logger } from './platform/logger';

// Composition: the results side (webhook apply, reconciler, finalisation) over this process's
// database, dialing services and queues. A finished call's HubSpot write-backs are handed to the
// outbox queue right after their transaction commits (one job per row, jobId = outbox-<id>, so
// a repeated hand-over is a no-op while the job exists).
export function createResultsDeps(deps: AppDeps, dialing?: DialingDeps): ResultsDeps {
  const d = dialing ?? createDialingDeps(deps);
  return {
    db: deps.db,
    dialing: d,
    voice: d.voice,
    now: d.now,
    async kickOutbox(outboxIds) {
      for (const outboxId of outboxIds) await deps.queues.enqueue('outbox.drain', { outboxId }, { jobId: `outbox-${outboxId}` });
      logger.debug('outbox rows queued', { count: outboxIds.length });
    },
  };
}
