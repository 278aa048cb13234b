import request from 'supertest';
import { createDialingHarness, type DialFake, type DialingHarness } from '../support/dialing-harness';
import { WorkerPool, childEnvFor } from '../support/worker-process';
import { createVoiceRouter } from '../../backend/src/providers/voice/voice-router';
import { campaignProgress } from '../../backend/src/domain/dialing/campaign-progress.service';

// Live calls never above the lease cap with 4 worker processes (issue 5, "Done when"): two
// campaigns (cap 4 each) on one provider account (cap 6), dialed by 4 `start:worker` child
// processes against one Redis and one Postgres, calls ended by the provider fake's reports
// (Vapi end-of-call-report, Retell call_analyzed) through our webhook; run for both providers. The fake allows 50 live calls, so a broken cap would show as a
// peak above 6 there rather than as refusals; our own lease sets are sampled every few ms too.
const ACCOUNT_CAP = 6;
const CAMPAIGN_CAP = 4;

describe.each(['vapi', 'retell'] as const)('live-call leases across 4 worker processes (%s)', (provider) => {
  let h: DialingHarness<DialFake>;
  let pool: WorkerPool | undefined;
  beforeAll(async () => {
    h = await createDialingHarness({
      provider,
      fake:
        provider === 'retell'
          ? { concurrencyLimit: 50, outcomeMix: { answered: 1 }, durations: { ringSec: [1, 3], talkSec: [40, 90], analysisDelaySec: [0.5, 1] } }
          : { concurrencyLimit: 50, outcomeMix: { answered: 1 }, durations: { queuedSec: [0, 0.1], ringSec: [1, 3], talkSec: [40, 90], reportDelaySec: [0.5, 1] } },
      portal: { maxConcurrentCalls: ACCOUNT_CAP, callsPerMinute: 600 },
    });
  });
  afterAll(async () => {
    await pool?.stopAll();
    await h.close();
  });

  it('keeps the account and each campaign at or under their caps, and releases every lease', async () => {
    const campaigns: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { tag } = await h.seedContacts(20);
      campaigns.push(await h.createCampaign({ tag, maxConcurrent: CAMPAIGN_CAP, callsPerMinute: 600, maxAttempts: 1 }));
    }
    const portal = await h.ctx.deps.db.portal.findUniqueOrThrow({ where: { id: h.portalId } });
    const voice = createVoiceRouter(h.ctx.deps).forPortal(portal);
    if (!voice.ok) throw new Error(voice.reason);
    const d = h.dialing();
    const accountKey = d.leases.accountKeyOf(voice.voice.accountKey);
    const campaignKeys = campaigns.map((c) => d.leases.campaignKeyOf(c));

    // The recovery grace stays above the provider request timeout (10 s) across processes.
    pool = new WorkerPool(childEnvFor(h.ctx.config, h.ctx.database.url), { prefix: h.ctx.redisPrefix, policy: { ...h.ctx.deps.dialingPolicy, dialGraceMs: 12_000 } });
    await pool.start(4);
    for (const c of campaigns) await request(h.ctx.app).post(`/api/v1/campaigns/${c}/start`).set(h.auth).expect(200);

    const peak = { account: 0, campaign: [0, 0] };
    const deadline = Date.now() + 120_000;
    let finals = 0;
    while (Date.now() < deadline) {
      const [a, ...cs] = await Promise.all([h.ctx.deps.redis.zcard(accountKey), ...campaignKeys.map((k) => h.ctx.deps.redis.zcard(k))]);
      peak.account = Math.max(peak.account, a!);
      cs.forEach((n, i) => (peak.campaign[i] = Math.max(peak.campaign[i]!, n)));
      const progress = await Promise.all(campaigns.map((c) => campaignProgress(h.ctx.deps.db, c)));
      finals = progress.reduce((n, p) => n + p.final, 0);
      if (finals === 40) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect({ finals, stderr: finals === 40 ? '' : pool.stderr() }).toEqual({ finals: 40, stderr: '' });
    await h.fake.waitForIdle(10_000);

    // As the provider saw it, and as our own lease sets held it.
    expect(h.fake.state.maxLive).toBeLessThanOrEqual(ACCOUNT_CAP);
    expect(peak.account).toBeLessThanOrEqual(ACCOUNT_CAP);
    for (const p of peak.campaign) expect(p).toBeLessThanOrEqual(CAMPAIGN_CAP);
    // The caps were actually reached (the test could have caught a breach).
    expect(h.fake.state.maxLive).toBe(ACCOUNT_CAP);
    expect(peak.account).toBe(ACCOUNT_CAP);
    expect(Math.max(...peak.campaign)).toBe(CAMPAIGN_CAP);
    // Every contact was called exactly once, and no lease outlived its call.
    expect(h.fake.state.duplicates()).toEqual([]);
    expect(h.fake.state.counters.dialed).toBe(40);
    const byState = await h.ctx.deps.db.campaignContact.groupBy({ by: ['state', 'attempts'], where: { campaignId: { in: campaigns } }, _count: { _all: true } });
    expect(byState.map((r) => [r.state, r.attempts, r._count._all])).toEqual([['done', 1, 40]]);
    expect(await Promise.all([accountKey, ...campaignKeys].map((k) => h.ctx.deps.redis.zcard(k)))).toEqual([0, 0, 0]);
  }, 300_000);
});
