import { DelayedError } from 'bullmq';
import { sendOutboxRow } from '../../../backend/src/domain/outbox/outbox-sender.service';
import { createOutboxSenderDeps } from '../../../backend/src/outbox-deps.factory';
import type { Processor } from '../processor';

// One HubSpot write-back (domain/outbox/outbox-sender.service.ts). BullMQ owns the retry timing
// (queues/catalog.ts): a retryable failure throws so the job is retried with the catalog's
// backoff; a 429 moves the job to HubSpot's next window without spending one of its tries.
export const outboxDrain: Processor<'outbox.drain'> = async (payload, { deps, job, token, hubspot }) => {
  const finalTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const outcome = await sendOutboxRow(createOutboxSenderDeps(deps, hubspot), payload.outboxId, { finalTry });
  if (outcome.kind === 'rate_limited') {
    await job.moveToDelayed(Date.now() + outcome.retryAfterMs, token);
    throw new DelayedError();
  }
  if (outcome.kind === 'retry') throw new Error(`HubSpot write-back will be retried: ${outcome.reason}`);
  return outcome;
};
