import { Redis } from 'ioredis';
import { LiveCallLeases } from '../../backend/src/domain/dialing/live-call-leases';
import { AccountRateLimiter } from '../../backend/src/domain/dialing/account-rate-limiter';
import { createTestRedisPrefix, TEST_REDIS_URL } from '../support/test-redis';

describe('live-call leases and the account rate limiter (real Redis)', () => {
  const { prefix, cleanup } = createTestRedisPrefix();
  const redis = new Redis(TEST_REDIS_URL);
  afterAll(async () => {
    await cleanup();
    redis.disconnect();
  });

  it('never grants more leases than either cap, under concurrent takers', async () => {
    const leases = new LiveCallLeases(redis, `${prefix}:a`);
    const scope = { accountKey: 'acct', accountCap: 5, campaignId: 'c1', campaignCap: 3 };
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => leases.acquire(scope, `att-${i}`, 60_000)));
    expect(results.filter(Boolean)).toHaveLength(3);
    // Another campaign on the same account gets only what the account has left (5 - 3).
    const other = await Promise.all(Array.from({ length: 10 }, (_, i) => leases.acquire({ ...scope, campaignId: 'c2' }, `b-${i}`, 60_000)));
    expect(other.filter(Boolean)).toHaveLength(2);
    expect(await leases.live(leases.accountKeyOf('acct'))).toHaveLength(5);
  });

  it('renews instead of double-counting a lease the attempt already holds, and frees it on release', async () => {
    const leases = new LiveCallLeases(redis, `${prefix}:b`);
    const scope = { accountKey: 'acct', accountCap: 1, campaignId: 'c1', campaignCap: 1 };
    expect(await leases.acquire(scope, 'x', 60_000)).toBe(true);
    expect(await leases.acquire(scope, 'x', 60_000)).toBe(true);
    expect(await leases.acquire(scope, 'y', 60_000)).toBe(false);
    expect(await leases.release(scope, 'x')).toBe(true);
    expect(await leases.acquire(scope, 'y', 60_000)).toBe(true);
  });

  it('lets an expired lease stop counting and hands it to the reconciler', async () => {
    const leases = new LiveCallLeases(redis, `${prefix}:c`);
    const scope = { accountKey: 'acct', accountCap: 1, campaignId: null, campaignCap: 0 };
    const t0 = Date.now();
    expect(await leases.acquire(scope, 'lost-report', 1000, t0)).toBe(true);
    expect(await leases.acquire(scope, 'next', 1000, t0 + 500)).toBe(false);
    expect(await leases.acquire(scope, 'next', 1000, t0 + 1500)).toBe(true);
    expect(await leases.takeExpired(leases.accountKeyOf('acct'))).toEqual(['lost-report']);
  });

  it('limits starts per window exactly (sliding, not fixed) and says how long to wait', async () => {
    const limiter = new AccountRateLimiter(redis, `${prefix}:d`, 1000, { allowanceMs: 0 });
    const t0 = 1_000_000;
    const first = await Promise.all(Array.from({ length: 8 }, (_, i) => limiter.take('acct', 5, `a${i}`, t0 + i)));
    expect(first.filter((d) => d.ok)).toHaveLength(5);
    const refused = first.find((d) => !d.ok) as { ok: false; retryInMs: number };
    expect(refused.retryInMs).toBeGreaterThan(990);
    // Half a window later the first five still count; just after a full window they do not.
    expect((await limiter.take('acct', 5, 'b1', t0 + 500)).ok).toBe(false);
    expect((await limiter.take('acct', 5, 'b2', t0 + 1001)).ok).toBe(true);
    // Taking again for the same attempt does not use a second slot.
    expect((await limiter.take('acct', 5, 'b2', t0 + 1002)).ok).toBe(true);
  });

  it('holds a slot past the window for the trip to the provider, and uses Redis time when given none', async () => {
    const limiter = new AccountRateLimiter(redis, `${prefix}:f`, 1000, { allowanceMs: 200 });
    const t0 = 2_000_000;
    expect((await limiter.take('acct', 1, 'a', t0)).ok).toBe(true);
    expect(await limiter.take('acct', 1, 'b', t0 + 1100)).toEqual({ ok: false, retryInMs: 100 });
    expect((await limiter.take('acct', 1, 'b', t0 + 1201)).ok).toBe(true);
    // Without a clock from the caller the slot is stamped with Redis's own time.
    const [sec, micro] = await redis.time();
    const serverNow = Number(sec) * 1000 + Math.floor(Number(micro) / 1000);
    expect((await limiter.take('other', 1, 'c')).ok).toBe(true);
    const stamped = Number(await redis.zscore(`${prefix}:f:rate:other`, 'c'));
    expect(Math.abs(stamped - serverNow)).toBeLessThan(1000);
  });

  it('gives a slot back and blocks the whole account after a 429', async () => {
    const limiter = new AccountRateLimiter(redis, `${prefix}:e`, 1000, { allowanceMs: 0 });
    const t0 = Date.now();
    expect((await limiter.take('acct', 1, 'a', t0)).ok).toBe(true);
    await limiter.giveBack('acct', 'a');
    expect((await limiter.take('acct', 1, 'b', t0 + 1)).ok).toBe(true);
    await limiter.blockFor('acct', 2000, t0 + 2);
    const blocked = await limiter.take('acct', 100, 'c', t0 + 10);
    expect(blocked).toEqual({ ok: false, retryInMs: 1992 });
  });
});
