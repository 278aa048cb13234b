import { reconcileCalls } from '../../../backend/src/domain/calls/call-reconcile.service';
import type { ResultsDeps } from '../../../backend/src/domain/calls/results-deps';
import { createResultsDeps } from '../../../backend/src/results-deps.factory';
import type { AppDeps } from '../../../backend/src/app-deps';
import { JOBS } from '../../../backend/src/queues/catalog';
import type { Queues } from '../../../backend/src/queues/queues';
import type { Processor } from '../processor';

// The reconciler run (domain/calls/call-reconcile.service.ts), repeated by a job scheduler.
const built = new WeakMap<AppDeps, ResultsDeps>();

export const callsReconcile: Processor<'calls.reconcile'> = async (_payload, ctx) => {
  let results = built.get(ctx.deps);
  if (!results) {
    results = createResultsDeps(ctx.deps, ctx.dialing());
    built.set(ctx.deps, results);
  }
  return reconcileCalls(results);
};

/**
 * Registers the results side's repeating jobs; idempotent (upsertJobScheduler replaces the
 * scheduler of the same id), so every worker process may call it at start.
 */
export async function registerResultsSchedulers(queues: Queues, opts: { reconcileEveryMs: number }): Promise<void> {
  await queues.get('results').upsertJobScheduler(
    'calls.reconcile',
    { every: opts.reconcileEveryMs },
    { name: 'calls.reconcile', data: {}, opts: JOBS['calls.reconcile'].options },
  );
}
