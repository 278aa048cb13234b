import { z } from 'zod';
import type { JobsOptions } from 'bullmq';

// The queue catalog: every job name, the queue it runs on, its payload schema (checked on
// enqueue and again in the processor) and its retry policy. Retry and backoff live here and
// nowhere else (style.md habit 6). worker/src/registry.ts must map every job name below.
export const QUEUE_NAMES = ['system', 'imports', 'scheduler', 'dial', 'results', 'hubspot', 'webhooks'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

interface JobDef<S extends z.ZodType> {
  queue: QueueName;
  payload: S;
  options: JobsOptions;
  /** Jobs a worker runs at once for this queue (the slowest job on a queue sets it). */
}

const def = <S extends z.ZodType>(d: JobDef<S>) => d;

export const JOBS = {
  // A no-op that proves a worker is consuming; used by health checks and the worker tests.
  'system.ping': def({
    queue: 'system',
    payload: z.object({ note: z.string().max(200).optional() }),
    options: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 },
  }),
  // One CSV import (domain/imports/import-runner.ts). Each attempt redoes the whole file: the merge
  // is one transaction, so a failed attempt left nothing behind. jobId = import-<importId>.
  'imports.csv': def({
    queue: 'imports',
    payload: z.object({ importId: z.string().uuid(), portalId: z.string().uuid() }),
    options: { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 1000, removeOnFail: 1000 },
  }),
  // The dialing scheduler (domain/dialing): every few seconds, plan due contacts of running
  // campaigns into dial jobs, re-add orphaned ones, start scheduled campaigns, complete finished
  // ones. Repeated by a job scheduler (queues/schedulers.ts), so a failed run is just skipped.
  'dialing.sweep': def({
    queue: 'scheduler',
    payload: z.object({}),
    options: { attempts: 1, removeOnComplete: 10, removeOnFail: 50 },
  }),
  // One attempt (jobId = attempt id = Call.id). Never retried by BullMQ: a thrown error would be
  // a bug, and the sweep re-adds any attempt left without a job; waits (capacity, pacing, the
  // recovery grace period) are delays of this same job, not retries.
  'dial.attempt': def({
    queue: 'dial',
    payload: z.object({ callId: z.string().uuid() }),
    options: { attempts: 1, removeOnComplete: true, removeOnFail: 1000 },
  }),
  // A HubSpot list pulled into contacts (domain/imports/hubspot-list-import.service.ts). Each
  // attempt starts over: the merge is one transaction, so a failed attempt left nothing behind.
  // jobId = import-<importId>.
  'imports.hubspot-list': def({
    queue: 'imports',
    payload: z.object({ importId: z.string().uuid(), portalId: z.string().uuid() }),
    options: { attempts: 3, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: 1000, removeOnFail: 1000 },
  }),
  // Results (domain/calls/call-reconcile.service.ts): closes calls whose final report never came
  // (Vapi does not retry webhooks), re-applies stored reports that failed, finishes attempts left
  // in a call and re-queues forgotten outbox rows. Every 30 s by a job scheduler (registered by
  // registerSchedulers in queues/schedulers.ts); a failed run is simply the next run's work.
  'calls.reconcile': def({
    queue: 'results',
    payload: z.object({}),
    options: { attempts: 1, removeOnComplete: 10, removeOnFail: 50 },
  }),
  // One HubSpot write-back (an Outbox row; jobId = outbox-<id>). HubSpot 5xx and network errors
  // retry with this backoff (5 s doubling, 9 tries: about 21 minutes); a 429 waits out HubSpot's
  // window without spending a try; any other 4xx fails the row for good (Outbox.lastError).
  'outbox.drain': def({
    queue: 'hubspot',
    payload: z.object({ outboxId: z.string().uuid() }),
    options: { attempts: 9, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 1000, removeOnFail: 5000 },
  }),
  // One stored end-of-call report applied (domain/calls/call-ingest.service.ts applyStoredReport;
  // jobId = event-<ProviderEvent.id>). The webhook answers once the report is stored; finalising
  // (call row, rollups, opt-out, outbox, the dialer told) happens here. A failed try retries with
  // this backoff; after the last, the reconciler applies stored reports still unprocessed.
  'webhooks.apply': def({
    queue: 'webhooks',
    payload: z.object({ eventId: z.string().regex(/^\d{1,19}$/) }),
    options: { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 1000, removeOnFail: 5000 },
  }),
  // Completes "Call with AI" workflow executions whose contact reached a final state, and expires
  // the ones HubSpot would otherwise drop (domain/workflows/workflow-callbacks.service.ts).
  // Repeated by a job scheduler; a failed run is the next run's work.
  'workflows.callbacks': def({
    queue: 'hubspot',
    payload: z.object({}),
    options: { attempts: 1, removeOnComplete: 10, removeOnFail: 50 },
  }),
  // The retention purge (domain/privacy/retention-purge.service.ts): transcripts and raw provider
  // payloads past each portal's retention are cleared. Hourly by a job scheduler; batches are
  // bounded, so a run that stops early leaves the rest to the next.
  'privacy.retention-purge': def({
    queue: 'system',
    payload: z.object({}),
    options: { attempts: 1, removeOnComplete: 10, removeOnFail: 50 },
  }),
} as const;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]['payload']>;

export const QUEUE_CONCURRENCY: Record<QueueName, number> = {
  system: 1,
  // CPU- and memory-heavy (each runs in its own thread); one at a time per worker process.
  imports: 1,
  scheduler: 1,
  // Dial jobs are short (checks, two Redis scripts, one provider request); live-call concurrency
  // is capped by leases, not here.
  dial: 20,
  // Reconciler runs one at a time; write-backs wait on HubSpot (the per-portal limiter paces them).
  results: 1,
  hubspot: 5,
  // Report finalisations: a few database round trips each, mostly waiting on Postgres.
  webhooks: 10,
};

/**
 * How fast a job held by a dead worker (killed, OOM, lost host) is noticed and handed to another:
 * within lockDuration + stalledInterval. BullMQ's defaults (30 s + 30 s) would leave a killed
 * worker's dial jobs — and with them their contacts — stuck for up to a minute. Dial jobs are a
 * provider request and a few round trips, so a 10 s lock (renewed every 5 s while the job runs)
 * checked every 5 s is ample; a dial job taken over by another worker is still safe, because the
 * attempt is claimed in Postgres before the provider is called (design.md §4). Long jobs (imports)
 * keep the defaults: their locks are renewed while they run.
 */
export const QUEUE_LOCKS: Partial<Record<QueueName, { lockDuration: number; stalledInterval: number }>> = {
  dial: { lockDuration: 10_000, stalledInterval: 5_000 },
  scheduler: { lockDuration: 10_000, stalledInterval: 5_000 },
  webhooks: { lockDuration: 10_000, stalledInterval: 5_000 },
};
