import { parseConfig } from '../../backend/src/config/config';
import type { AppDeps } from '../../backend/src/app-deps';
import { createPrisma } from '../../backend/src/platform/prisma';
import { createProducerRedis } from '../../backend/src/platform/redis';
import { createCipher } from '../../backend/src/platform/crypto';
import { createQueues } from '../../backend/src/queues/queues';
import { startWorkers } from '../../worker/src/worker-host';

// A separate worker process hosting the imports queue, for import-crash.test.ts to SIGKILL in the
// middle of an import. Run with tsx; DATABASE_URL, REDIS_URL, DATA_DIR and HAC_PREFIX from env.
const config = parseConfig({ ...process.env, NODE_ENV: 'test', APP_ENCRYPTION_KEY: '0'.repeat(64) });
const redis = createProducerRedis(config.redisUrl);
const deps: AppDeps = {
  config,
  db: createPrisma(config.databaseUrl!),
  redis,
  queues: createQueues(redis, process.env.HAC_PREFIX),
  cipher: createCipher(config.encryptionKey!),
};
startWorkers(deps, { redisUrl: config.redisUrl, prefix: process.env.HAC_PREFIX, queues: ['imports'] });
process.stdout.write('ready\n');
