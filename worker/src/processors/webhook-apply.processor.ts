import { applyStoredReportEvent } from '../../../backend/src/domain/calls/call-ingest.service';
import type { ResultsDeps } from '../../../backend/src/domain/calls/results-deps';
import { createResultsDeps } from '../../../backend/src/results-deps.factory';
import type { AppDeps } from '../../../backend/src/app-deps';
import type { Processor } from '../processor';

// Applies one stored end-of-call report (the webhook only stored it). A failure throws, so
// BullMQ retries with the catalog's backoff; the event stays unprocessed meanwhile, and the
// reconciler applies whatever the retries could not.
const built = new WeakMap<AppDeps, ResultsDeps>();

export const webhookApply: Processor<'webhooks.apply'> = async (payload, ctx) => {
  let results = built.get(ctx.deps);
  if (!results) {
    results = createResultsDeps(ctx.deps, ctx.dialing());
    built.set(ctx.deps, results);
  }
  const outcome = await applyStoredReportEvent(results, BigInt(payload.eventId));
  if (outcome === 'failed') throw new Error(`end-of-call report ${payload.eventId} could not be applied; retrying`);
  return { outcome };
};
