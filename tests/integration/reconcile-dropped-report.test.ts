import crypto from 'node:crypto';
import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';
import { listen } from '../../backend/src/http-server';
import { startVapiFake } from '../../fakes/vapi/vapi-fake';
import { startRetellFake, type RetellFake } from '../../fakes/retell/retell-fake';
import { createVapiProvider } from '../../backend/src/providers/voice/vapi/vapi.provider';
import { createRetellProvider } from '../../backend/src/providers/voice/retell/retell.provider';
import type { DialFake, VoiceProviderName } from '../support/dialing-harness';
import type { VoiceProvider } from '../../backend/src/providers/voice/voice-provider';
import type { VoiceRouter } from '../../backend/src/domain/dialing/dialing-port';
import { reconcileCalls } from '../../backend/src/domain/calls/call-reconcile.service';
import { LiveCallLeases } from '../../backend/src/domain/dialing/live-call-leases';
import type { ResultsDeps } from '../../backend/src/domain/calls/results-deps';
import { registerSchedulers } from '../../backend/src/queues/schedulers';
import { VAPI_SECRET, endOfCallReport, resultsDepsFor, seedPlacedCall } from './results-test-support';

// The reconciler against each provider's fake. Vapi does not retry webhooks; Retell does, but a
// webhook whose retries all fail is lost just the same. The fake posts the call's early events to
// our real HTTP endpoint and drops the final report (Vapi's end-of-call-report, Retell's
// call_analyzed; on Retell also call_ended, in one case); the reconciler asks the fake (Vapi
// GET /call/:id, Retell GET /v2/get-call/:id) and closes the call the same way a report would have.

const VAPI_KEY = 'test-vapi-key';
const RETELL_KEY = 'test-retell-key';
const RETELL_AGENT = 'agent_reconcile';
const RETELL_FROM = '+14155550100';

/** One provider's fake, adapter and test database, behind the reconciler's voice router. */
interface Stack {
  ctx: TestContext;
  server: Awaited<ReturnType<typeof listen>>;
  fake: DialFake;
  voice: VoiceProvider;
  portalId: string;
  router: VoiceRouter;
}

/** The wire facts each provider's adapter reports for an answered call. */
const WIRE = {
  vapi: { report: 'end-of-call-report', answered: 'customer-ended-call' },
  retell: { report: 'call_analyzed', answered: 'user_hangup' },
} as const;

function useStack(provider: VoiceProviderName): Stack {
  const s = {} as Stack;
  beforeAll(async () => {
    s.ctx = await createTestContext({ VAPI_WEBHOOK_SECRET: VAPI_SECRET, RETELL_API_KEY: RETELL_KEY });
    s.server = await listen(s.ctx.app, 0, '127.0.0.1');
    const base = `http://127.0.0.1:${s.server.port}`;
    if (provider === 'retell') {
      const fake = await startRetellFake({
        apiKeys: [RETELL_KEY],
        timeScale: 0.0005,
        durations: { analysisDelaySec: [5, 5] },
        outcomeMix: { answered: 1 },
        webhook: { url: `${base}/webhooks/retell`, dropEvents: ['call_analyzed'] },
      });
      s.fake = fake;
      s.voice = createRetellProvider({ apiKey: RETELL_KEY, baseUrl: fake.url });
    } else {
      const fake = await startVapiFake({
        apiKeys: [VAPI_KEY],
        timeScale: 0.0005,
        durations: { reportDelaySec: [5, 5] },
        outcomeMix: { answered: 1 },
        webhook: { url: `${base}/webhooks/vapi`, auth: { type: 'secret', secret: VAPI_SECRET }, dropTypes: ['end-of-call-report'] },
      });
      s.fake = fake;
      s.voice = createVapiProvider({ apiKey: VAPI_KEY, baseUrl: fake.url });
    }
    s.router = {
      forPortal: () => ({
        ok: true,
        voice: { provider: s.voice, accountKey: `${provider}-test-account`, accountConcurrency: 10, accountCallsPerMinute: 60, buildPlan: () => { throw new Error('not used'); } },
      }),
    };
    s.portalId = (await createPortalWithKey(s.ctx.deps.db)).portal.id;
    await s.ctx.deps.db.portal.update({ where: { id: s.portalId }, data: { voiceProvider: provider } });
  });
  afterAll(async () => {
    await s.fake.close();
    await s.server.close();
    await s.ctx.close();
  });
  return s;
}

/** Results services whose clock is `aheadMs` in the future (the report's grace period has passed). */
const depsAhead = (s: Stack, aheadMs: number): ResultsDeps => {
  const d = resultsDepsFor(s.ctx, s.router);
  return { ...d, now: () => new Date(Date.now() + aheadMs) };
};

/** Places a call at the fake for a planned attempt, as the dialer would, and records the provider's id. */
async function placeAtFake(s: Stack, provider: VoiceProviderName) {
  const { db } = s.ctx.deps;
  const c = await seedPlacedCall(db, { portalId: s.portalId, providerCallId: null, status: 'pending' });
  // The reconciler asks the provider that placed the call (Call.provider).
  await db.call.update({ where: { id: c.callId }, data: { provider } });
  const plan =
    provider === 'retell'
      ? { attemptId: c.callId, agent: { kind: 'saved' as const, assistantId: RETELL_AGENT }, callerId: RETELL_FROM, customer: { number: c.phone }, metadata: { portalId: s.portalId } }
      : { attemptId: c.callId, agent: { kind: 'saved' as const, assistantId: 'asst-1' }, callerId: 'pn-1', customer: { number: c.phone }, metadata: { portalId: s.portalId } };
  const placed = await s.voice.placeCall(plan);
  if (placed.kind !== 'placed') throw new Error(`fake refused: ${placed.kind}`);
  await db.call.updateMany({ where: { id: c.callId, providerCallId: null }, data: { providerCallId: placed.providerCallId, placedAt: new Date() } });
  await db.call.updateMany({ where: { id: c.callId, status: 'pending' }, data: { status: 'queued' } });
  return { ...c, providerCallId: placed.providerCallId };
}

/** The call closed from the provider's own record of it, as its report would have closed it. */
async function expectClosedFromProvider(s: Stack, provider: VoiceProviderName, c: { callId: string; providerCallId: string; campaignContactId: string }) {
  const call = await s.ctx.deps.db.call.findUniqueOrThrow({ where: { id: c.callId } });
  const remote = await s.voice.getCall(c.providerCallId);
  expect(call).toMatchObject({ status: 'ended', outcome: 'completed', endedReason: WIRE[provider].answered, disposition: 'completed' });
  expect(call.durationSec).toBeCloseTo(remote!.report!.durationSec!, 3);
  expect(call.transcript).toBe(remote!.report!.transcript);
  expect(call.summary).toBe(remote!.report!.summary);
  const cc = await s.ctx.deps.db.campaignContact.findUniqueOrThrow({ where: { id: c.campaignContactId } });
  expect(cc.state).toBe('done');
}

describe.each(['vapi', 'retell'] as const)('reconciler against the %s fake', (provider) => {
  const s = useStack(provider);

  it('closes a call whose final report was dropped, from the provider, exactly like a report would', async () => {
    const c = await placeAtFake(s, provider);
    await s.fake.waitForIdle(15_000);
    const call = await s.ctx.deps.db.call.findUniqueOrThrow({ where: { id: c.callId } });
    // Every status event arrived (Retell: call_started, call_ended), the report did not: ended, but no facts yet.
    expect([call.status, call.outcome]).toEqual(['ended', null]);
    expect(await s.ctx.deps.db.providerEvent.count({ where: { callId: c.callId, type: WIRE[provider].report } })).toBe(0);

    // Within the report's grace period nothing is asked.
    expect((await reconcileCalls(depsAhead(s, 0))).asked).toBe(0);
    const summary = await reconcileCalls(depsAhead(s, 3 * 60_000));
    expect(summary).toMatchObject({ asked: 1, closed: 1, notFound: 0 });
    await expectClosedFromProvider(s, provider, c);
    // A second run finds nothing more to do.
    expect((await reconcileCalls(depsAhead(s, 3 * 60_000))).asked).toBe(0);
  }, 30_000);

  if (provider === 'retell') {
    // Retell-only: Vapi's fake drops by message type, and dropping its status updates would drop
    // the early ones too; Retell's call_ended is one event of its own.
    it('closes a call whose call_ended and call_analyzed were both dropped, once it must have ended', async () => {
      const fake = s.fake as unknown as RetellFake;
      fake.configure({ webhook: { ...fake.options.webhook, dropEvents: ['call_ended', 'call_analyzed'] } });
      try {
        const c = await placeAtFake(s, provider);
        await s.fake.waitForIdle(15_000);
        const call = await s.ctx.deps.db.call.findUniqueOrThrow({ where: { id: c.callId } });
        // Only call_started arrived: in progress as far as we know.
        expect([call.status, call.outcome]).toEqual(['in_progress', null]);
        // Not overdue yet: a call may last the policy's longest call plus the lease margin.
        expect((await reconcileCalls(depsAhead(s, 3 * 60_000))).asked).toBe(0);
        const { maxCallDurationMs, leaseMarginMs } = resultsDepsFor(s.ctx, s.router).dialing.policy;
        const summary = await reconcileCalls(depsAhead(s, maxCallDurationMs + leaseMarginMs + 60_000));
        expect(summary).toMatchObject({ asked: 1, closed: 1, notFound: 0 });
        await expectClosedFromProvider(s, provider, c);
      } finally {
        fake.configure({ webhook: { ...fake.options.webhook, dropEvents: ['call_analyzed'] } });
      }
    }, 30_000);
  }

  it('closes as failed_transient a long-placed call the provider does not know', async () => {
    const lost = await seedPlacedCall(s.ctx.deps.db, { portalId: s.portalId, providerCallId: `never-created-${crypto.randomUUID()}` });
    await s.ctx.deps.db.call.update({ where: { id: lost.callId }, data: { provider } });
    const summary = await reconcileCalls(depsAhead(s, 20 * 60_000));
    expect(summary.notFound).toBeGreaterThanOrEqual(1);
    const call = await s.ctx.deps.db.call.findUniqueOrThrow({ where: { id: lost.callId } });
    expect(call).toMatchObject({ status: 'ended', outcome: 'failed_transient', endedReason: 'reconciler-call-not-found' });
    const cc = await s.ctx.deps.db.campaignContact.findUniqueOrThrow({ where: { id: lost.campaignContactId } });
    expect(cc.state).toBe('retry_wait');
  });

  it('asks about an attempt whose live-call lease expired, even before its expected end', async () => {
    const c = await placeAtFake(s, provider);
    await s.fake.waitForIdle(15_000);
    const leases = new LiveCallLeases(s.ctx.deps.redis, s.ctx.deps.queues.prefix);
    const scope = { accountKey: `${provider}-test-account`, accountCap: 10, campaignId: c.campaignId, campaignCap: 10 };
    await leases.acquire(scope, c.callId, 1, Date.now() - 10);
    // The next acquire sweeps expired leases aside, where the reconciler takes them.
    await leases.acquire(scope, crypto.randomUUID(), 60_000);
    const summary = await reconcileCalls(depsAhead(s, 0));
    expect(summary.closed).toBeGreaterThanOrEqual(1);
    expect((await s.ctx.deps.db.call.findUniqueOrThrow({ where: { id: c.callId } })).outcome).toBe('completed');
  }, 30_000);

  it('leaves a call the provider says is still live open, only moving its status forward', async () => {
    s.fake.configure({ timeScale: 1 });
    const live = await placeAtFake(s, provider);
    await s.ctx.deps.db.call.update({ where: { id: live.callId }, data: { placedAt: new Date(Date.now() - 30 * 60_000) } });
    const summary = await reconcileCalls(depsAhead(s, 0));
    expect(summary.stillLive).toBe(1);
    const call = await s.ctx.deps.db.call.findUniqueOrThrow({ where: { id: live.callId } });
    expect(call.outcome).toBeNull();
    expect(['queued', 'ringing', 'in_progress']).toContain(call.status);
    expect((await s.ctx.deps.db.campaignContact.findUniqueOrThrow({ where: { id: live.campaignContactId } })).state).toBe('in_call');
  });
});

// The sweeps that never ask a provider: a stored report applied again (Vapi's payload here; a
// stored Retell call_analyzed goes through the same retry with Retell's parser), an attempt left
// "in a call" after its call is final, and the reconciler's schedule.
describe('reconciler sweeps', () => {
  const s = useStack('vapi');

  it('applies again a stored report whose first apply failed, and finishes an attempt left in a call', async () => {
    const { db } = s.ctx.deps;
    const { portalId } = s;
    // A report stored but never applied (the process died mid-apply).
    const c = await seedPlacedCall(db, { portalId });
    const body = endOfCallReport(c, { endedReason: 'voicemail' });
    await db.providerEvent.create({
      data: { portalId, provider: 'vapi', dedupeKey: `end-of-call-report:${c.providerCallId}`, type: 'end-of-call-report', providerCallId: c.providerCallId, callId: c.callId, payload: JSON.parse(JSON.stringify(body)), receivedAt: new Date(Date.now() - 5 * 60_000) },
    });
    // A call final in our rows whose contact the dialer was never told about.
    const stuck = await seedPlacedCall(db, { portalId });
    await db.$executeRaw`UPDATE "Call" SET "status" = 'ended', "outcome" = 'no_answer', "endedReason" = 'customer-did-not-answer', "updatedAt" = now() - interval '5 minutes' WHERE "id" = ${stuck.callId}::uuid`;

    const summary = await reconcileCalls(resultsDepsFor(s.ctx, s.router));
    expect(summary.reportsRetried).toBe(1);
    expect(summary.attemptsFinished).toBeGreaterThanOrEqual(1);
    expect(await db.call.findUniqueOrThrow({ where: { id: c.callId } })).toMatchObject({ outcome: 'voicemail', status: 'ended' });
    expect((await db.providerEvent.findFirstOrThrow({ where: { callId: c.callId } })).processedAt).not.toBeNull();
    expect((await db.campaignContact.findUniqueOrThrow({ where: { id: stuck.campaignContactId } })).state).toBe('retry_wait');
  });

  it('registers the reconciler schedule idempotently (every worker may do it at start)', async () => {
    await registerSchedulers(s.ctx.deps.queues, { sweepEveryMs: 1_000, reconcileEveryMs: 30_000 });
    await registerSchedulers(s.ctx.deps.queues, { sweepEveryMs: 1_000, reconcileEveryMs: 30_000 });
    const schedulers = await s.ctx.deps.queues.get('results').getJobSchedulers();
    expect(schedulers.map((j) => [j.key, j.name, j.every])).toEqual([['calls.reconcile', 'calls.reconcile', 30_000]]);
  });
});
