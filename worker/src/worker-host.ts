import { Worker, type Job } from 'bullmq';
import type { AppDeps } from '../../backend/src/app-deps';
import { JOBS, QUEUE_CONCURRENCY, QUEUE_LOCKS, QUEUE_NAMES, type JobName } from '../../backend/src/queues/catalog';
import { createWorkerRedis } from '../../backend/src/platform/redis';
import { logger } from '../../backend/src/platform/logger';
import { runWithContext } from '../../backend/src/platform/context';
import { registry } from './registry';
import { registerSchedulers } from '../../backend/src/queues/schedulers';
import { createDialingDeps } from '../../backend/src/dialing-deps.factory';
import type { DialingDeps } from '../../backend/src/domain/dialing/dialing-deps';
import { createHubSpotServices, type HubSpotServices } from '../../backend/src/hubspot/hubspot-services';

export interface WorkerHost {
  workers: Worker[];
  /** Stops taking jobs and waits for running ones to finish (BullMQ's graceful close). */
  close(): Promise<void>;
}

export function startWorkers(deps: AppDeps, opts: { redisUrl: string; prefix?: string; queues?: readonly string[]; schedulers?: boolean }): WorkerHost {
  const prefix = opts.prefix ?? deps.queues.prefix;
  const workers: Worker[] = [];
  const connections: ReturnType<typeof createWorkerRedis>[] = [];
  let dialing: DialingDeps | undefined;
  const dialingDeps = () => (dialing ??= createDialingDeps(deps));
  let hubspot: HubSpotServices | undefined;
  const hubspotServices = () =>
    (hubspot ??= createHubSpotServices({ config: deps.config, db: deps.db, redis: deps.redis, cipher: deps.cipher, keyPrefix: deps.queues.prefix }));
  for (const queue of QUEUE_NAMES) {
    if (opts.queues && !opts.queues.includes(queue)) continue;
    const connection = createWorkerRedis(opts.redisUrl);
    connections.push(connection);
    const worker: Worker = new Worker(
      queue,
      (job: Job, token?: string) =>
        runWithContext({ jobId: job.id, queue }, async () => {
          const name = job.name as JobName;
          const def = JOBS[name];
          const processor = registry[name] as ((p: unknown, c: unknown) => Promise<unknown>) | undefined;
          if (!def || !processor) throw new Error(`no processor for job ${job.name}`);
          // Payloads are checked again here: a job may have been written by an older release.
          const payload = def.payload.parse(job.data);
          return processor(payload, { deps, job, token, rateLimit: (ms: number) => worker.rateLimit(ms), dialing: dialingDeps, hubspot: hubspotServices });
        }),
      { connection, prefix, concurrency: QUEUE_CONCURRENCY[queue], ...QUEUE_LOCKS[queue], autorun: true },
    );
    worker.on('failed', (job, err) => runWithContext({ jobId: job?.id, queue }, () => logger.warn('job failed', { name: job?.name, err: err.message })));
    worker.on('error', (err) => logger.error('worker error', { queue, err: err.message }));
    workers.push(worker);
  }
  if (opts.schedulers ?? true) {
    const policy = dialingDeps().policy;
    registerSchedulers(deps.queues, { sweepEveryMs: policy.tickEveryMs, reconcileEveryMs: policy.reconcileEveryMs }).catch((err) =>
      logger.error('could not register the repeating jobs', { err: (err as Error).message }),
    );
  }
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      // BullMQ leaves connections it was handed open; they are ours to close.
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
