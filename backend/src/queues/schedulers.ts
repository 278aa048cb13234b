import { JOBS } from './catalog';
import type { Queues } from './queues';

// Repeating jobs, declared once and (re)registered idempotently whenever a worker starts, so a
// Redis that lost its data gets them back on the next worker start.
export async function registerSchedulers(queues: Queues, opts: { sweepEveryMs: number; reconcileEveryMs: number }): Promise<void> {
  await queues.get('scheduler').upsertJobScheduler('dialing-sweep', { every: opts.sweepEveryMs }, { name: 'dialing.sweep', data: {}, opts: { removeOnComplete: 10, removeOnFail: 50 } });
  await queues
    .get(JOBS['calls.reconcile'].queue)
    .upsertJobScheduler('calls.reconcile', { every: opts.reconcileEveryMs }, { name: 'calls.reconcile', data: {}, opts: JOBS['calls.reconcile'].options });
  await queues
    .get(JOBS['workflows.callbacks'].queue)
    .upsertJobScheduler('workflows.callbacks', { every: WORKFLOW_CALLBACK_SWEEP_MS }, { name: 'workflows.callbacks', data: {}, opts: JOBS['workflows.callbacks'].options });
  await queues
    .get(JOBS['privacy.retention-purge'].queue)
    .upsertJobScheduler('privacy.retention-purge', { every: RETENTION_PURGE_EVERY_MS }, { name: 'privacy.retention-purge', data: {}, opts: JOBS['privacy.retention-purge'].options });
}

/** How often data past its retention is purged (retention is counted in days, so hourly is ample). */
export const RETENTION_PURGE_EVERY_MS = 3_600_000;

/** How often finished "Call with AI" executions are reported back to HubSpot. */
export const WORKFLOW_CALLBACK_SWEEP_MS = 15_000;
