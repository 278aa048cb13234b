import { Queue, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOBS, QUEUE_NAMES, type JobName, type JobPayload, type QueueName } from './catalog';

export interface Queues {
  prefix: string;
  get(name: QueueName): Queue;
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options?: JobsOptions): Promise<Job>;
  /** Many jobs of one name in one round trip (BullMQ addBulk), each checked like enqueue. */
  enqueueMany<N extends JobName>(name: N, jobs: Array<{ payload: JobPayload<N>; options?: JobsOptions }>): Promise<Job[]>;
  close(): Promise<void>;
}

/** Producers for every queue in the catalog. The prefix keeps test runs apart in one Redis. */
export function createQueues(connection: Redis, prefix = 'hac'): Queues {
  const queues = new Map<QueueName, Queue>();
  for (const name of QUEUE_NAMES) queues.set(name, new Queue(name, { connection, prefix }));
  const get = (name: QueueName) => {
    const q = queues.get(name);
    if (!q) throw new Error(`unknown queue ${name}`);
    return q;
  };
  return {
    prefix,
    get,
    async enqueue(name, payload, options) {
      const def = JOBS[name];
      const data = def.payload.parse(payload);
      return get(def.queue).add(name, data, { ...def.options, ...options });
    },
    async enqueueMany(name, jobs) {
      const def = JOBS[name];
      if (jobs.length === 0) return [];
      return get(def.queue).addBulk(jobs.map((j) => ({ name, data: def.payload.parse(j.payload), opts: { ...def.options, ...j.options } })));
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
