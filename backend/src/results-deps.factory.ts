import type { AppDeps } from './app-deps';
import type { DialingDeps } from './domain/dialing/dialing-deps';
import type { ResultsDeps } from './domain/calls/results-deps';
import { createDialingDeps } from './dialing-deps.factory';
import { logger } from './platform/logger';
import { hotSqlFor } from './sql-runner.factory';

// Composition: the results side (webhook apply, reconciler, finalisation) over this process's
// database, dialing services and queues. Stored end-of-call reports go to the webhooks.apply
// queue, and a finished call's HubSpot write-backs to the outbox queue right after their
// transaction commits; job ids are the row ids, so a repeated hand-over is a no-op while the job
// exists.
//
// The webhook's one-statement store-and-apply runs on the hot-path runner (sql-runner.factory.ts).

export function createResultsDeps(deps: AppDeps, dialing?: DialingDeps): ResultsDeps {
  const d = dialing ?? createDialingDeps(deps);
  return {
    db: deps.db,
    sql: hotSqlFor(deps),
    dialing: d,
    voice: d.voice,
    now: d.now,
    async enqueueReport(eventId) {
      await deps.queues.enqueue('webhooks.apply', { eventId: String(eventId) }, { jobId: `event-${eventId}` });
    },
    async kickOutbox(outboxIds) {
      for (const outboxId of outboxIds) await deps.queues.enqueue('outbox.drain', { outboxId }, { jobId: `outbox-${outboxId}` });
      logger.debug('outbox rows queued', { count: outboxIds.length });
    },
  };
}
