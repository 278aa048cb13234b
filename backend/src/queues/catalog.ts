import { z } from 'zod';
import type { JobsOptions } from 'bullmq';

// The queue catalog: every job name, the queue it runs on, its payload schema (checked on
// enqueue and again in the processor) and its retry policy. Retry and backoff live here and
// nowhere else (style.md habit 6). worker/src/registry.ts must map every job name below.
export const QUEUE_NAMES = ['system'] as const;
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
} as const;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]['payload']>;

export const QUEUE_CONCURRENCY: Record<QueueName, number> = {
  system: 1,
};
