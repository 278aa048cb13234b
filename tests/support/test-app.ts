import crypto from 'node:crypto';
import { parseConfig, type AppConfig } from '../../backend/src/config/config';
import type { AppDeps } from '../../backend/src/app-deps';
import { createApp, type BuiltApp } from '../../backend/src/app';
import { createProducerRedis } from '../../backend/src/platform/redis';
import { createCipher } from '../../backend/src/platform/crypto';
import { createQueues } from '../../backend/src/queues/queues';
import { createTestDatabase, type TestDatabase } from './test-db';
import { createTestRedisPrefix, TEST_REDIS_URL } from './test-redis';
import { endPooledSqlRunners } from '../../backend/src/platform/sql-runner';

export const TEST_CLIENT_SECRET = 'test-client-secret-0123456789';

export interface TestContext extends BuiltApp {
  deps: AppDeps;
  database: TestDatabase;
  config: AppConfig;
  redisPrefix: string;
  close(): Promise<void>;
}

/** The real app over a fresh database and a private Redis prefix; env overrides go through parseConfig. */
export async function createTestContext(env: Record<string, string> = {}): Promise<TestContext> {
  const database = await createTestDatabase();
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    HUBSPOT_CLIENT_ID: 'test-client-id',
    HUBSPOT_CLIENT_SECRET: TEST_CLIENT_SECRET,
    PUBLIC_BASE_URL: 'https://calls.example.test',
    APP_ENCRYPTION_KEY: crypto.randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    // Suites send many requests at once; the limits' own tests set their numbers through env.
    RATE_LIMIT_PER_PORTAL: '100000',
    RATE_LIMIT_PER_IP: '100000',
    ...env,
  });
  const { prefix, cleanup } = createTestRedisPrefix();
  const redis = createProducerRedis(config.redisUrl);
  const queues = createQueues(redis, prefix);
  const deps: AppDeps = { config, db: database.db, redis, queues, cipher: createCipher(config.encryptionKey!) };
  const built = createApp(deps);
  return {
    ...built,
    deps,
    database,
    config,
    redisPrefix: prefix,
    async close() {
      await queues.close();
      redis.disconnect();
      await cleanup();
      await endPooledSqlRunners(database.url);
      await database.drop();
    },
  };
}
