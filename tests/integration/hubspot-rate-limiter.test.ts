import { Redis } from 'ioredis';
import { TEST_REDIS_URL, createTestRedisPrefix } from '../support/test-redis';
import { createRateLimiter } from '../../backend/src/hubspot/rate-limiter';
import { HubSpotRateLimitedError } from '../../backend/src/hubspot/errors';
import { seedList } from '../../fakes/hubspot/seed';
import { startHubSpotHarness, installPortal, servicesLikeAnotherProcess, type HubSpotHarness } from './hubspot-test-support';

// The per-portal limiter holds across processes (separate Redis connections), on real Redis, and
// keeps a HubSpot that enforces its own rolling limit from ever answering 429.

describe('HubSpot per-portal rate limiter', () => {
  const { prefix, cleanup } = createTestRedisPrefix();
  let conns: Redis[] = [];
  beforeAll(() => {
    conns = [new Redis(TEST_REDIS_URL), new Redis(TEST_REDIS_URL), new Redis(TEST_REDIS_URL)];
  });
  afterAll(async () => {
    conns.forEach((c) => c.disconnect());
    await cleanup();
  });

  const limiterOn = (redis: Redis, maxWaitMs = 10_000) => createRateLimiter({ redis, keyPrefix: prefix, maxRequests: 10, windowMs: 1000, latencyAllowanceMs: 0, maxWaitMs });

  it('never lets more than the limit through in any rolling window, across three processes', async () => {
    const limiters = conns.map((c) => limiterOn(c));
    const granted: number[] = [];
    const started = Date.now();
    await Promise.all(Array.from({ length: 30 }, (_, i) => limiters[i % 3]!.acquire('portal-a').then(() => granted.push(Date.now()))));
    granted.sort((a, b) => a - b);
    expect(granted).toHaveLength(30);
    // Any 11 consecutive grants span at least one window (a little slack for timer granularity).
    for (let i = 0; i + 10 < granted.length; i++) expect(granted[i + 10]! - granted[i]!).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it('keeps portals apart', async () => {
    const limiter = limiterOn(conns[0]!);
    const started = Date.now();
    await Promise.all(Array.from({ length: 10 }, (_, i) => limiter.acquire(`portal-${i}`)));
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('gives up with a typed error carrying the wait when no slot comes within maxWaitMs', async () => {
    const limiter = limiterOn(conns[1]!, 100);
    for (let i = 0; i < 10; i++) await limiter.acquire('portal-b');
    const err = await limiter.acquire('portal-b').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubSpotRateLimitedError);
    expect((err as HubSpotRateLimitedError).retryAfterMs).toBeGreaterThan(100);
    expect((err as HubSpotRateLimitedError).retryAfterMs).toBeLessThanOrEqual(1000);
  });

  it('a pause set by one process holds the others', async () => {
    await limiterOn(conns[0]!).pause('portal-c', 600);
    const started = Date.now();
    await limiterOn(conns[2]!).acquire('portal-c');
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
  });
});

describe('gateway under a HubSpot that enforces its limit', () => {
  let h: HubSpotHarness;
  beforeAll(async () => {
    h = await startHubSpotHarness({}, { rateLimit: { max: 12, windowMs: 1000 } });
  });
  afterAll(() => h.close());

  it('sends 30 calls from two processes without a single 429', async () => {
    const hubId = 424201;
    const { portalId } = await installPortal(h, { hubId });
    const { listId } = seedList(h.fake.state, { hubId, size: 5 });
    // The fake counts arrivals in 1 s windows; we grant 10 per window plus an allowance for the
    // time between grant and arrival (on this shared 2-core machine, up to ~0.5 s when cold).
    const limit = { maxRequests: 10, windowMs: 1000, latencyAllowanceMs: 1000 };
    const procs = [servicesLikeAnotherProcess(h.ctx, limit), servicesLikeAnotherProcess(h.ctx, limit)];
    try {
      await Promise.all(Array.from({ length: 30 }, (_, i) => procs[i % 2]!.services.gateway.listMembershipsPage(portalId, { listId })));
    } finally {
      procs.forEach((p) => p.redis.disconnect());
    }
    const statuses = h.fake.state.requests.filter((r) => r.path.endsWith('/memberships')).map((r) => r.status);
    expect(statuses).toHaveLength(30);
    expect(statuses.filter((s) => s === 429)).toHaveLength(0);
  });

  it('and the fake does answer 429 to a client that ignores the limit (so the test above can fail)', async () => {
    const hubId = 424202;
    const token = h.fake.state.grantAccess({ hubId });
    const { listId } = seedList(h.fake.state, { hubId, size: 1 });
    const res = await Promise.all(
      Array.from({ length: 20 }, () => fetch(`${h.fake.url}/crm/v3/lists/${listId}/memberships`, { headers: { authorization: `Bearer ${token}` } })),
    );
    expect(res.filter((r) => r.status === 429).length).toBeGreaterThan(0);
  });
});
