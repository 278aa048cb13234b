import { reconcileCalls } from '../../../backend/src/domain/calls/call-reconcile.service';
import type { ResultsDeps } from '../../../backend/src/domain/calls/results-deps';
import { createResultsDeps } from '../../../backend/src/results-deps.factory';
import type { AppDeps } from '../../../backend/src/app-deps';
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
