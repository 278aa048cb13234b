import { PassThrough } from 'node:stream';
import winston from 'winston';
import { Redis } from 'ioredis';
import { createTestContext, TEST_CLIENT_SECRET, type TestContext } from '../support/test-app';
import { TEST_REDIS_URL } from '../support/test-redis';
import { startHubSpotFake, type HubSpotFake } from '../../fakes/hubspot/server';
import { createHubSpotServices, type HubSpotServices } from '../../backend/src/hubspot/hubspot-services';
import { saveInstall } from '../../backend/src/hubspot/oauth/token-store';
import { logger } from '../../backend/src/platform/logger';
import { HUBSPOT_SCOPES } from '../../backend/src/hubspot/scopes';

// Shared by the HubSpot suites: the real app over a fresh database, pointed at a HubSpot fake
// that knows the test app's client id and secret.

export const TEST_CLIENT_ID = 'test-client-id';

export interface HubSpotHarness {
  fake: HubSpotFake;
  ctx: TestContext;
  close(): Promise<void>;
}

export async function startHubSpotHarness(env: Record<string, string> = {}, fakeOptions: Parameters<typeof startHubSpotFake>[0] = {}): Promise<HubSpotHarness> {
  const fake = await startHubSpotFake({ clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET, ...fakeOptions });
  const ctx = await createTestContext({ HUBSPOT_API_BASE_URL: fake.url, HUBSPOT_AUTHORIZE_URL: `${fake.url}/oauth/authorize`, ...env });
  return {
    fake,
    ctx,
    async close() {
      await ctx.close();
      await fake.close();
    },
  };
}

/**
 * A HubSpot services set as another process would build it: its own Redis connection, same
 * database and key prefix. Close the returned redis when done.
 */
export function servicesLikeAnotherProcess(ctx: TestContext, rateLimit?: { maxRequests: number; windowMs: number; latencyAllowanceMs: number; maxWaitMs?: number }) {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const services: HubSpotServices = createHubSpotServices({
    config: ctx.config,
    db: ctx.deps.db,
    redis,
    cipher: ctx.deps.cipher,
    keyPrefix: ctx.redisPrefix,
    rateLimit,
  });
  return { services, redis };
}

/**
 * A portal that installed the app: tokens issued by the fake, stored sealed as the OAuth
 * callback would. `expiresInMs` is what our database believes about the access token.
 */
export async function installPortal(h: HubSpotHarness, opts: { hubId: number; expiresInMs?: number }) {
  const scopes = [...HUBSPOT_SCOPES];
  const grant = { hubId: opts.hubId, scopes, clientId: TEST_CLIENT_ID, userId: 1, user: 'owner@fake.test' };
  h.fake.state.account(opts.hubId);
  const accessToken = h.fake.state.issueAccessToken(grant).token;
  const refreshToken = h.fake.state.issueRefreshToken(grant);
  const expiresInSec = (opts.expiresInMs ?? 30 * 60_000) / 1000;
  const { portalId } = await saveInstall(h.ctx.deps.db, h.ctx.deps.cipher, { hubId: opts.hubId, name: `Hub ${opts.hubId}`, tokens: { accessToken, refreshToken, expiresInSec }, scopes });
  return { portalId, accessToken, refreshToken };
}

export const refreshRequests = (fake: HubSpotFake) =>
  fake.state.requests.filter((r) => r.path === '/oauth/v1/token' && (r.body as { grant_type?: string })?.grant_type === 'refresh_token');

/** Everything the process logger writes while capturing, at every level. */
export function captureLogs() {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const transport = new winston.transports.Stream({ stream, level: 'silly' });
  const previous = logger.level;
  logger.level = 'silly';
  logger.add(transport);
  return {
    lines,
    async stop() {
      await new Promise((r) => setImmediate(r));
      logger.remove(transport);
      logger.level = previous;
    },
  };
}
