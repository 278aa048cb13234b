import { Redis } from 'ioredis';
import { LiveCallLeases } from '../../backend/src/domain/dialing/live-call-leases';
import { AccountRateLimiter } from '../../backend/src/domain/dialing/account-rate-limiter';
import { DialAdmission } from '../../backend/src/domain/dialing/dial-admission';
import { createTestRedisPrefix, TEST_REDIS_URL } from '../support/test-redis';

// The dial job's one pacing call (dial-admission.ts): both calls-per-minute windows and both
// leases, all taken or none, exact under concurrent takers, on real Redis.
describe('dial admission: windows and leases in one script (real Redis)', () => {
  const { prefix, cleanup } = createTestRedisPrefix();
  const redis = new Redis(TEST_REDIS_URL);
  afterAll(async () => {
    await cleanup();
    redis.disconnect();
  });

  function setup(name: string) {
    const p = `${prefix}:${name}`;
    const limiter = new AccountRateLimiter(redis, p, 60_000);
    const leases = new LiveCallLeases(redis, p);
    const admission = new DialAdmission(redis, limiter, leases);
    const request = (attemptId: string, o: { acctRate?: number; campRate?: number; acctCap?: number; campCap?: number; campaign?: string } = {}) => ({
      account: { key: 'acct', perWindow: o.acctRate ?? 100 },
      campaign: { key: `campaign:${o.campaign ?? 'c1'}`, perWindow: o.campRate ?? 100 },
      leases: { accountKey: 'acct', accountCap: o.acctCap ?? 100, campaignId: o.campaign ?? 'c1', campaignCap: o.campCap ?? 100 },
      attemptId,
      leaseNowMs: Date.now(),
      leaseTtlMs: 60_000,
    });
    const held = async () => ({
      acctRate: await redis.zcard(limiter.keys('acct')[0]),
      campRate: await redis.zcard(limiter.keys('campaign:c1')[0]),
      acctLeases: (await leases.live(leases.accountKeyOf('acct'))).length,
      campLeases: (await leases.live(leases.campaignKeyOf('c1'))).length,
    });
    return { limiter, leases, admission, request, held };
  }

  it('grants no more than the tightest of the four limits under concurrent takers', async () => {
    const { admission, request, held } = setup('a');
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => admission.admit(request(`att-${i}`, { acctRate: 9, campRate: 7, acctCap: 8, campCap: 5 }))));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    // A refused attempt takes no rate slot, so the windows (7, 9) never fill: the lease refuses the rest.
    expect(results.filter((r) => !r.ok && r.refusedBy === 'lease')).toHaveLength(35);
    // Refusals took nothing: only the five admitted hold a slot or a lease.
    expect(await held()).toEqual({ acctRate: 5, campRate: 5, acctLeases: 5, campLeases: 5 });
  });

  it('lets a window bind when it is the tightest limit', async () => {
    const { admission, request, held } = setup('e');
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => admission.admit(request(`att-${i}`, { acctRate: 9, campRate: 3, acctCap: 8, campCap: 5 }))));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.filter((r) => !r.ok && r.refusedBy === 'campaign')).toHaveLength(37);
    expect(await held()).toEqual({ acctRate: 3, campRate: 3, acctLeases: 3, campLeases: 3 });
  });

  it('says which limit refused, and how long a window asks to wait', async () => {
    const { admission, request } = setup('b');
    expect(await admission.admit(request('a1', { acctRate: 1 }))).toEqual({ ok: true });
    const byAccount = await admission.admit(request('a2', { acctRate: 1 }));
    expect(byAccount).toMatchObject({ ok: false, refusedBy: 'account' });
    expect((byAccount as { retryInMs: number }).retryInMs).toBeGreaterThan(59_000);
    expect(await admission.admit(request('a3', { campRate: 1 }))).toMatchObject({ ok: false, refusedBy: 'campaign' });
    expect(await admission.admit(request('a4', { campCap: 1 }))).toEqual({ ok: false, refusedBy: 'lease' });
  });

  it('admits the same attempt again without a second slot or lease, and shares the limiter’s 429 block', async () => {
    const { admission, limiter, request, held } = setup('c');
    expect(await admission.admit(request('x', { acctRate: 1, campCap: 1 }))).toEqual({ ok: true });
    expect(await admission.admit(request('x', { acctRate: 1, campCap: 1 }))).toEqual({ ok: true });
    expect(await held()).toEqual({ acctRate: 1, campRate: 1, acctLeases: 1, campLeases: 1 });
    await limiter.blockFor('acct', 5_000);
    const blocked = await admission.admit(request('y'));
    expect(blocked).toMatchObject({ ok: false, refusedBy: 'account' });
    expect((blocked as { retryInMs: number }).retryInMs).toBeGreaterThan(4_000);
  });

  it('counts what the plain limiter and leases took, and they count what it took (same keys)', async () => {
    const { admission, limiter, leases, request } = setup('d');
    expect((await limiter.take('acct', 2, 'p1')).ok).toBe(true);
    expect(await leases.acquire({ accountKey: 'acct', accountCap: 2, campaignId: 'c1', campaignCap: 2 }, 'p1', 60_000)).toBe(true);
    expect(await admission.admit(request('p2', { acctRate: 2, acctCap: 2 }))).toEqual({ ok: true });
    expect(await admission.admit(request('p3', { acctRate: 3, acctCap: 2 }))).toEqual({ ok: false, refusedBy: 'lease' });
    expect((await limiter.take('acct', 2, 'p4')).ok).toBe(false);
    // One confirm re-stamps the attempt's slot in both windows with the (later) Redis time.
    const slots = [limiter.keys('acct')[0], limiter.keys('campaign:c1')[0]];
    const before = await Promise.all(slots.map((k) => redis.zscore(k, 'p2')));
    await new Promise((r) => setTimeout(r, 5));
    await limiter.confirm(['acct', 'campaign:c1'], 'p2');
    const after = await Promise.all(slots.map((k) => redis.zscore(k, 'p2')));
    after.forEach((score, i) => expect(Number(score)).toBeGreaterThan(Number(before[i])));
  });
});
