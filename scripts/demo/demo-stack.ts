import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { parseConfig, type AppConfig } from '../../backend/src/config/config';
import type { AppDeps } from '../../backend/src/app-deps';
import { createApp } from '../../backend/src/app';
import { listen } from '../../backend/src/http-server';
import { setLogLevel } from '../../backend/src/platform/logger';
import { startEmbeddedPostgres } from '../../backend/src/platform/embedded-postgres';
import { ensureRedis } from '../../backend/src/platform/embedded-redis';
import { migrateDatabase } from '../../backend/src/platform/migrate';
import { createPrisma, type Db } from '../../backend/src/platform/prisma';
import { createProducerRedis } from '../../backend/src/platform/redis';
import { createCipher } from '../../backend/src/platform/crypto';
import { findFreePort } from '../../backend/src/platform/free-port';
import { createQueues } from '../../backend/src/queues/queues';
import { startWorkers, type WorkerHost } from '../../worker/src/worker-host';
import { startVapiFake, type VapiFake } from '../../fakes/vapi/vapi-fake';
import { startHubSpotFake, FAKE_DEFAULTS, type HubSpotFake } from '../../fakes/hubspot/server';
import { demoCallerOptions } from './demo-callers';
import { seedPgliteDataDir } from './pglite-template';

// Everything the demo runs on, in this one process: a fresh temporary DATA_DIR with embedded
// Postgres (PGlite) in it, Redis per design.md §6 (REDIS_URL if it answers, else a private
// redis-server started for the run) under a key prefix of this run only, the Vapi fake on a
// sped-up clock posting webhooks and next_step tool calls to our backend with the shared secret,
// the HubSpot fake for OAuth and write-back, our backend on a free port and the real workers.
// stop() undoes all of it: workers, servers, fakes, connections, the redis-server if we started
// one, this run's Redis keys and the data directory (unless kept).

export interface DemoStackOptions {
  /** Use this (migrated or not) Postgres instead of embedded PGlite: the e2e test's database. */
  databaseUrl?: string;
  /** Our Redis URL (from the environment's config); nothing else is taken from the environment. */
  redisUrl: string;
  /** Wall-clock ms per simulated ms of a call (0.02 = 50× faster). */
  timeScale: number;
  seed: number;
  keepDataDir: boolean;
  logLevel: AppConfig['logLevel'];
}

export interface DemoStack {
  deps: AppDeps;
  db: Db;
  config: AppConfig;
  baseUrl: string;
  vapi: VapiFake;
  hubspot: HubSpotFake;
  dataDir: string;
  prefix: string;
  redisUrl: string;
  redisEmbedded: boolean;
  adminToken: string;
  /** The empty cluster came from .data/cache (see pglite-template.ts). */
  pgliteFromCache: boolean;
  /** Stops the workers only (running jobs finish first), so figures can be read from a still state. */
  stopWorkers(): Promise<void>;
  stop(): Promise<void>;
}

export const DEMO_VAPI_KEY = 'demo-vapi-key';

export async function startDemoStack(o: DemoStackOptions): Promise<DemoStack> {
  setLogLevel(o.logLevel);
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hac-demo-'));
    stops.push(async () => {
      if (!o.keepDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    });
    let fromCache = false;
    let pg: { url: string; stop(): Promise<void> } = { url: o.databaseUrl ?? '', stop: async () => undefined };
    if (!o.databaseUrl) {
      fromCache = await seedPgliteDataDir(dataDir);
      pg = await startEmbeddedPostgres(dataDir);
    }
    stops.push(pg.stop);
    await migrateDatabase(pg.url);

    const redisEndpoint = await ensureRedis(o.redisUrl);
    stops.push(redisEndpoint.stop);
    const prefix = `hac-demo-${crypto.randomBytes(4).toString('hex')}`;
    if (!redisEndpoint.embedded) stops.push(() => deleteKeys(redisEndpoint.url, prefix));

    const port = await findFreePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const webhookSecret = crypto.randomBytes(16).toString('hex');
    const hubspot = await startHubSpotFake();
    stops.push(hubspot.close);
    const vapi = await startVapiFake(demoCallerOptions({ apiKey: DEMO_VAPI_KEY, timeScale: o.timeScale, seed: o.seed, webhookSecret }));
    stops.push(vapi.close);

    const adminToken = crypto.randomBytes(18).toString('base64url');
    const config = parseConfig({
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      DATABASE_URL: pg.url,
      REDIS_URL: redisEndpoint.url,
      PORT: String(port),
      PUBLIC_BASE_URL: baseUrl,
      APP_ENCRYPTION_KEY: crypto.randomBytes(32).toString('hex'),
      HUBSPOT_CLIENT_ID: FAKE_DEFAULTS.clientId,
      HUBSPOT_CLIENT_SECRET: FAKE_DEFAULTS.clientSecret,
      HUBSPOT_API_BASE_URL: hubspot.url,
      HUBSPOT_AUTHORIZE_URL: `${hubspot.url}/oauth/authorize`,
      VAPI_API_KEY: DEMO_VAPI_KEY,
      VAPI_BASE_URL: vapi.url,
      VAPI_WEBHOOK_SECRET: webhookSecret,
      LOG_LEVEL: o.logLevel,
      ADMIN_TOKEN: adminToken,
    });
    const db = createPrisma(pg.url);
    stops.push(() => db.$disconnect());
    const redis = createProducerRedis(redisEndpoint.url);
    redis.on('error', () => undefined);
    stops.push(async () => redis.disconnect());
    const queues = createQueues(redis, prefix);
    stops.push(() => queues.close());
    const deps: AppDeps = {
      config,
      db,
      redis,
      queues,
      cipher: createCipher(config.encryptionKey!),
      databaseUrl: pg.url,
      // The sweep looks for due contacts every 0.5 s instead of 2 s, so a short demo is not
      // mostly waiting; every other dialing rule is the production default.
      // The worker host registers every schedule; the reconciler runs every 5 s so a lost report is closed within the demo.
      dialingPolicy: { tickEveryMs: 500, capacityRetryMs: 500, reconcileEveryMs: 5_000 },
    };
    const { app } = createApp(deps);
    const server = await listen(app, port, '127.0.0.1');
    stops.push(server.close);

    const host: WorkerHost = startWorkers(deps, { redisUrl: redisEndpoint.url, prefix });
    let workersClosed: Promise<void> | undefined;
    const stopWorkers = () => (workersClosed ??= host.close());
    stops.push(stopWorkers);
    await Promise.all(host.workers.map((w) => w.waitUntilReady()));

    return { deps, db, config, baseUrl, vapi, hubspot, dataDir, prefix, redisUrl: redisEndpoint.url, redisEmbedded: redisEndpoint.embedded, adminToken, pgliteFromCache: fromCache, stopWorkers, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** Removes this run's keys from a Redis that is not ours (the developer's). */
async function deleteKeys(url: string, prefix: string): Promise<void> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  r.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}
