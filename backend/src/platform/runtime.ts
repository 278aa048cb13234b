import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { AppConfig } from '../config/config';
import type { AppDeps } from '../app-deps';
import { logger, setLogLevel } from './logger';
import { endPooledSqlRunners } from './sql-runner';
import { installErrorReporter } from './error-reporter';
import { startEmbeddedPostgres } from './embedded-postgres';
import { ensureRedis } from './embedded-redis';
import { migrateDatabase } from './migrate';
import { createPrisma } from './prisma';
import { createProducerRedis } from './redis';
import { createCipher } from './crypto';
import { createQueues } from '../queues/queues';

// Brings up what the processes need: the database (embedded PGlite when DATABASE_URL is unset,
// migrated either way), Redis (started locally when none answers), and the shared deps.
export interface Runtime {
  deps: AppDeps;
  databaseUrl: string;
  redisUrl: string;
  stop(): Promise<void>;
}

/** Outside production a missing APP_ENCRYPTION_KEY gets a random one kept in DATA_DIR, so restarts still decrypt. */
function resolveEncryptionKey(config: AppConfig): Buffer {
  if (config.encryptionKey) return config.encryptionKey;
  const file = path.resolve(config.dataDir, 'encryption.key');
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, key.toString('hex'), { mode: 0o600 });
  logger.warn('APP_ENCRYPTION_KEY is not set; generated a local key for development', { file });
  return key;
}

export async function startRuntime(config: AppConfig, opts: { migrate?: boolean } = {}): Promise<Runtime> {
  setLogLevel(config.logLevel);
  installErrorReporter(config);
  const stops: Array<() => Promise<void>> = [];
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const pg = await startEmbeddedPostgres(config.dataDir);
    stops.push(pg.stop);
    databaseUrl = pg.url;
    logger.info('embedded Postgres (PGlite) started', { dataDir: config.dataDir });
  }
  if (opts.migrate ?? true) {
    const m = await migrateDatabase(databaseUrl);
    if (m.applied.length) logger.info('migrations applied', { applied: m.applied });
  }
  const redisEndpoint = await ensureRedis(config.redisUrl);
  stops.push(redisEndpoint.stop);
  if (redisEndpoint.embedded) logger.info('started a local redis-server', { url: redisEndpoint.url });

  const db = createPrisma(databaseUrl);
  const redis = createProducerRedis(redisEndpoint.url);
  redis.on('error', (err) => logger.warn('redis connection error', { err: err.message }));
  const queues = createQueues(redis);
  const deps: AppDeps = { config, db, redis, queues, cipher: createCipher(resolveEncryptionKey(config)), databaseUrl };
  return {
    deps,
    databaseUrl,
    redisUrl: redisEndpoint.url,
    async stop() {
      await queues.close().catch(() => undefined);
      await db.$disconnect().catch(() => undefined);
      await endPooledSqlRunners();
      redis.disconnect();
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    },
  };
}
