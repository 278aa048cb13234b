import { z } from 'zod';
import { getConfig, ConfigError } from '../backend/src/config/config';
import type { AppDeps } from '../backend/src/app-deps';
import { createPrisma } from '../backend/src/platform/prisma';
import { createProducerRedis } from '../backend/src/platform/redis';
import { createCipher } from '../backend/src/platform/crypto';
import { createQueues } from '../backend/src/queues/queues';
import { QUEUE_NAMES } from '../backend/src/queues/catalog';
import { logger, setLogLevel } from '../backend/src/platform/logger';
import { startWorkers } from '../worker/src/worker-host';
import { startWorkerMetricsServer } from '../worker/src/metrics-server';

// `npm run start:worker` as the multi-process and chaos tests run it: the same startWorkers over
// the environment parsed by backend/src/config, plus what a test must set and a deployment never
// does — its own queue key prefix and shorter dialing timings — passed as one JSON argument
// (`--options '{...}'`), so nothing here reads the environment itself. Unlike startRuntime it
// never starts an embedded Redis: a worker restarted while the test's Redis is down must wait
// for that Redis, not bring up another one. Tells its parent (IPC) when every worker is ready,
// and exits when the parent goes away.
const ZOptions = z.object({
  prefix: z.string().min(1),
  policy: z.record(z.string(), z.number()).optional(),
  queues: z.array(z.string()).optional(),
  schedulers: z.boolean().optional(),
  dbPoolMax: z.number().int().min(1).max(50).optional(),
});

function readOptions() {
  const i = process.argv.indexOf('--options');
  return ZOptions.parse(JSON.parse(i >= 0 ? (process.argv[i + 1] ?? '{}') : '{}'));
}

async function main() {
  const options = readOptions();
  const config = getConfig();
  setLogLevel(config.logLevel);
  if (!config.databaseUrl) throw new Error('worker-child needs DATABASE_URL');
  const db = createPrisma(config.databaseUrl, { max: options.dbPoolMax ?? 5 });
  const redis = createProducerRedis(config.redisUrl);
  redis.on('error', () => undefined);
  const queues = createQueues(redis, options.prefix);
  // Tests kill this Redis on purpose; a connection error is expected, not a stack trace per retry.
  for (const name of QUEUE_NAMES) queues.get(name).on('error', () => undefined);
  const cipher = createCipher(config.encryptionKey ?? Buffer.alloc(32, 7));
  const deps: AppDeps = { config, db, redis, queues, cipher, dialingPolicy: options.policy };
  const host = startWorkers(deps, { redisUrl: config.redisUrl, prefix: options.prefix, queues: options.queues, schedulers: options.schedulers });
  await Promise.all(host.workers.map((w) => w.waitUntilReady()));
  // As worker/src/main.ts does: its own /metrics when WORKER_METRICS_PORT is set.
  const metrics = config.workerMetricsPort === undefined ? null : await startWorkerMetricsServer(config, config.workerMetricsPort, '127.0.0.1');
  process.send?.({ type: 'ready', pid: process.pid });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await metrics?.close().catch(() => undefined);
    await host.close().catch(() => undefined);
    await queues.close().catch(() => undefined);
    redis.disconnect();
    await db.$disconnect().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  // Orphaned (the test runner died): stop rather than keep dialing.
  process.on('disconnect', () => void stop());
}

main().catch((err) => {
  if (err instanceof ConfigError) console.error(err.message);
  else logger.error('worker child failed to start', { err: (err as Error).message });
  process.exit(1);
});
