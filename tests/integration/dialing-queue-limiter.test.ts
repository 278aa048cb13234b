import request from 'supertest';
import { createTestRedisPrefix, TEST_REDIS_URL } from '../support/test-redis';
import { spawnLimiterChild, WorkerPool, childEnvFor } from '../support/worker-process';
import { createDialingHarness, placedCalls, RETELL_KEY, VAPI_KEY, zoneAtLocalHour, type DialFake, type DialingHarness } from '../support/dialing-harness';
import { createApiKey } from '../../backend/src/domain/portals/api-key.service';

// Limiter precision (issue 5, "Done when"): the achieved rate is at least 95% of the cap and no
// window ever holds more than the cap, measured where the provider would measure it (the
// provider fake's arrival times), across processes.
//
// 1. The AccountRateLimiter itself, shared by 4 processes with 4 loops each, on a 1 s window,
//    judged by the times it stored for the slots it granted (a 1 s window is too short to judge
//    on arrival at the fake on this shared machine; part 2 does that at the real window).
//    It involves no provider, so it runs once.
// 2. The whole dial path through BullMQ in 2 worker processes at the dialer's real 60 s window,
//    for each provider (measured at the Vapi or the Retell fake): one campaign bound by its own
//    calls-per-minute, and two campaigns sharing one provider account bound by the account's.
//    The test watches one full window and the start of the next.

/** Most events inside any half-open window [t, t + w) — the limiter allows two starts exactly w apart. */
function maxInWindow(times: number[], w: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let lo = 0, hi = 0; hi < t.length; hi++) {
    while (t[hi]! - t[lo]! >= w) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** Events in the first `windows` whole windows from the first event. */
function countInFirstWindows(times: number[], w: number, windows: number): number {
  const t0 = Math.min(...times);
  return times.filter((t) => t < t0 + windows * w).length;
}

describe('account rate limiter across 4 processes', () => {
  const redisPrefix = createTestRedisPrefix();
  afterAll(() => redisPrefix.cleanup());

  it('grants the cap in every window and never more, whichever process asks', async () => {
    const windowMs = 1000;
    const max = 40;
    const children = Array.from({ length: 4 }, () =>
      spawnLimiterChild({ redisUrl: TEST_REDIS_URL, prefix: redisPrefix.prefix, account: 'acct-1', max, windowMs, durationMs: 5000, loops: 4 }),
    );
    await Promise.all(children.map((c) => c.ready));
    const startAt = Date.now() + 300;
    for (const c of children) c.go(startAt);
    const perChild = await Promise.all(children.map((c) => c.grants));
    const grants = perChild.flat();

    // The limit is shared, not per process: every process got slots, and together no more than the cap.
    for (const g of perChild) expect(g.length).toBeGreaterThan(0);
    expect(maxInWindow(grants, windowMs)).toBeLessThanOrEqual(max);
    // Achieved: four whole windows inside the run, each at least 95% full.
    expect(countInFirstWindows(grants, windowMs, 4) / 4).toBeGreaterThanOrEqual(0.95 * max);
  }, 60_000);
});

describe.each(['vapi', 'retell'] as const)('dial path calls-per-minute through the queue (2 worker processes, 60 s window, %s)', (provider) => {
  let h: DialingHarness<DialFake>;
  let pool: WorkerPool | undefined;
  const SECOND_KEY = `test-${provider}-key-second-account`;
  beforeAll(async () => {
    h = await createDialingHarness({
      provider,
      fake: { apiKeys: [provider === 'retell' ? RETELL_KEY : VAPI_KEY, SECOND_KEY], concurrencyLimit: 1000, durations: { ringSec: [1, 1], talkSec: [30, 30] } },
      portal: { maxConcurrentCalls: 100, callsPerMinute: 600 },
    });
  });
  afterAll(async () => {
    await pool?.stopAll();
    await h.close();
  });

  it('holds a campaign cap and a shared account cap: at least 95% achieved, zero violations', async () => {
    const { db } = h.ctx.deps;
    // Campaign A on the harness portal: its own cap (20/min) binds, the account (600/min) does not.
    const a = await h.seedContacts(30);
    const campaignA = await h.createCampaign({ tag: a.tag, maxConcurrent: 100, callsPerMinute: 20, maxAttempts: 1 });
    // Portal 2 dials on another provider account limited to 24/min, shared by two campaigns of 24/min each.
    const portal2 = await db.portal.create({
      data: { hubId: BigInt(Date.now()), name: 'Second account', voiceProvider: provider, maxConcurrentCalls: 100, callsPerMinute: 24, providerCredentialsEnc: h.ctx.deps.cipher.encrypt(JSON.stringify({ apiKey: SECOND_KEY })) },
    });
    const key2 = await createApiKey(db, { portalId: portal2.id });
    const script2 = await db.script.create({ data: { portalId: portal2.id, name: 'S', draft: {} } });
    const version = await db.scriptVersion.findUniqueOrThrow({ where: { id: h.versionId } });
    const version2 = await db.scriptVersion.create({ data: { portalId: portal2.id, scriptId: script2.id, version: 1, graph: version.graph as object, checksum: 'x' } });
    const campaignsB: string[] = [];
    for (const n of [0, 1]) {
      const tag = `acct2-${n}-${Date.now()}`;
      await db.contact.createMany({
        data: Array.from({ length: 25 }, (_, i) => ({ portalId: portal2.id, phone: `+1212${String(7000000 + n * 1000 + i).padStart(7, '0')}`, company: tag, consentType: 'express' as const, timeZone: zoneAtLocalHour(14) })),
      });
      const seg = await db.segment.create({ data: { portalId: portal2.id, name: tag, rule: { '==': [{ var: 'company' }, tag] } } });
      const c = await db.campaign.create({
        data: { portalId: portal2.id, name: tag, segmentId: seg.id, maxConcurrent: 100, callsPerMinute: 24, maxAttempts: 1, windowStart: '00:00', windowEnd: '23:59', daysOfWeek: [1, 2, 3, 4, 5, 6, 7], minConsent: 'express' },
      });
      await db.campaignVariant.create({ data: { portalId: portal2.id, campaignId: c.id, scriptVersionId: version2.id, label: 'A' } });
      campaignsB.push(c.id);
    }

    pool = new WorkerPool(childEnvFor(h.ctx.config, h.ctx.database.url), { prefix: h.ctx.redisPrefix, policy: h.ctx.deps.dialingPolicy });
    await pool.start(2);
    await request(h.ctx.app).post(`/api/v1/campaigns/${campaignA}/start`).set(h.auth).expect(200);
    for (const c of campaignsB) await request(h.ctx.app).post(`/api/v1/campaigns/${c}/start`).set({ Authorization: `Bearer ${key2.apiKey}` }).expect(200);

    // One whole window from the first call, and 8 s of the next (where a violation would show).
    const until = async (pred: () => boolean, ms: number) => {
      const end = Date.now() + ms;
      while (!pred() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    };
    await until(() => h.fake.state.counters.created > 0, 30_000);
    const t0 = Math.min(...placedCalls(h.fake).map((c) => c.createdAtMs));
    await until(() => Date.now() > t0 + 68_000, 80_000);

    const calls = placedCalls(h.fake);
    const at = (pred: (c: (typeof calls)[number]) => boolean) => calls.filter(pred).map((c) => c.createdAtMs);
    const timesA = at((c) => c.campaignId === campaignA);
    const timesAccount2 = at((c) => c.apiKey === SECOND_KEY);
    const perB = campaignsB.map((id) => at((c) => c.campaignId === id));

    // Nothing refused or rate limited by the provider: what it saw is what we sent.
    expect(h.fake.state.counters.rateLimited).toBe(0);
    expect(h.fake.state.duplicates()).toEqual([]);
    // Zero violations, on the provider's clock, over the first window and into the second (the
    // excess over each cap, so a failure says by how much).
    const over = (times: number[], cap: number) => Math.max(0, maxInWindow(times, 60_000) - cap);
    expect({ campaignA: over(timesA, 20), account2: over(timesAccount2, 24), campaignB: perB.map((t) => over(t, 24)) }).toEqual({ campaignA: 0, account2: 0, campaignB: [0, 0] });
    // The second window did begin (a violation had the chance to show).
    expect(timesA.length).toBeGreaterThan(20);
    expect(timesAccount2.length).toBeGreaterThan(24);
    // Achieved: at least 95% of each cap in the first whole window.
    expect(countInFirstWindows(timesA, 60_000, 1)).toBeGreaterThanOrEqual(Math.ceil(0.95 * 20));
    expect(countInFirstWindows(timesAccount2, 60_000, 1)).toBeGreaterThanOrEqual(Math.ceil(0.95 * 24));
  }, 150_000);

});
