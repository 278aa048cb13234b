import crypto from 'node:crypto';
import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';
import { listen } from '../../backend/src/http-server';
import { startVapiFake, type VapiFake } from '../../fakes/vapi/vapi-fake';
import { createVapiProvider } from '../../backend/src/providers/voice/vapi/vapi.provider';
import type { VoiceProvider } from '../../backend/src/providers/voice/voice-provider';
import type { VoiceRouter } from '../../backend/src/domain/dialing/dialing-port';
import { reconcileCalls } from '../../backend/src/domain/calls/call-reconcile.service';
import { LiveCallLeases } from '../../backend/src/domain/dialing/live-call-leases';
import type { ResultsDeps } from '../../backend/src/domain/calls/results-deps';
import { registerSchedulers } from '../../backend/src/queues/schedulers';
import { VAPI_SECRET, endOfCallReport, resultsDepsFor, seedPlacedCall } from './results-test-support';

// The reconciler against the Vapi fake (Vapi does not retry webhooks): the fake posts every
// status update to our real HTTP endpoint but drops the end-of-call report; the reconciler asks
// the fake (GET /call/:id) and closes the call the same way a report would have.

const KEY = 'test-vapi-key';
let ctx: TestContext;
let server: Awaited<ReturnType<typeof listen>>;
let fake: VapiFake;
let vapi: VoiceProvider;
let portalId: string;

const router: VoiceRouter = {
  forPortal: () => ({
    ok: true,
    voice: { provider: vapi, accountKey: 'vapi-test-account', accountConcurrency: 10, accountCallsPerMinute: 60, buildPlan: () => { throw new Error('not used'); } },
  }),
};

beforeAll(async () => {
  ctx = await createTestContext({ VAPI_WEBHOOK_SECRET: VAPI_SECRET });
  server = await listen(ctx.app, 0, '127.0.0.1');
  fake = await startVapiFake({
    apiKeys: [KEY],
    timeScale: 0.0005,
    durations: { reportDelaySec: [5, 5] },
    outcomeMix: { answered: 1 },
    webhook: { url: `http://127.0.0.1:${server.port}/webhooks/vapi`, auth: { type: 'secret', secret: VAPI_SECRET }, dropTypes: ['end-of-call-report'] },
  });
  vapi = createVapiProvider({ apiKey: KEY, baseUrl: fake.url });
  portalId = (await createPortalWithKey(ctx.deps.db)).portal.id;
});
afterAll(async () => {
  await fake.close();
  await server.close();
  await ctx.close();
});

/** Results services whose clock is `aheadMs` in the future (the report's grace period has passed). */
const depsAhead = (aheadMs: number): ResultsDeps => {
  const d = resultsDepsFor(ctx, router);
  return { ...d, now: () => new Date(Date.now() + aheadMs) };
};

/** Places a call at the fake for a planned attempt, as the dialer would, and records the provider's id. */
async function placeAtFake() {
  const c = await seedPlacedCall(ctx.deps.db, { portalId, providerCallId: null, status: 'pending' });
  const placed = await vapi.placeCall({ attemptId: c.callId, agent: { kind: 'saved', assistantId: 'asst-1' }, callerId: 'pn-1', customer: { number: c.phone }, metadata: { portalId } });
  if (placed.kind !== 'placed') throw new Error(`fake refused: ${placed.kind}`);
  await ctx.deps.db.call.updateMany({ where: { id: c.callId, providerCallId: null }, data: { providerCallId: placed.providerCallId, placedAt: new Date() } });
  await ctx.deps.db.call.updateMany({ where: { id: c.callId, status: 'pending' }, data: { status: 'queued' } });
  return { ...c, providerCallId: placed.providerCallId };
}

it('closes a call whose end-of-call report was dropped, from the provider, exactly like a report would', async () => {
  const c = await placeAtFake();
  await fake.waitForIdle(15_000);
  let call = await ctx.deps.db.call.findUniqueOrThrow({ where: { id: c.callId } });
  // Every status update arrived, the report did not: ended, but no facts yet.
  expect([call.status, call.outcome]).toEqual(['ended', null]);
  expect(await ctx.deps.db.providerEvent.count({ where: { callId: c.callId, type: 'end-of-call-report' } })).toBe(0);

  // Within the report's grace period nothing is asked.
  expect((await reconcileCalls(depsAhead(0))).asked).toBe(0);
  const summary = await reconcileCalls(depsAhead(3 * 60_000));
  expect(summary).toMatchObject({ asked: 1, closed: 1, notFound: 0 });
  call = await ctx.deps.db.call.findUniqueOrThrow({ where: { id: c.callId } });
  const remote = await vapi.getCall(c.providerCallId);
  expect(call).toMatchObject({ status: 'ended', outcome: 'completed', endedReason: 'customer-ended-call', disposition: 'completed' });
  expect(call.durationSec).toBeCloseTo(remote!.report!.durationSec!, 3);
  expect(call.transcript).toBe(remote!.report!.transcript);
  expect(call.summary).toBe(remote!.report!.summary);
  const cc = await ctx.deps.db.campaignContact.findUniqueOrThrow({ where: { id: c.campaignContactId } });
  expect(cc.state).toBe('done');
  // A second run finds nothing more to do.
  expect((await reconcileCalls(depsAhead(3 * 60_000))).asked).toBe(0);
}, 30_000);

it('closes as failed_transient a long-placed call the provider does not know', async () => {
  const lost = await seedPlacedCall(ctx.deps.db, { portalId, providerCallId: `never-created-${crypto.randomUUID()}` });
  const summary = await reconcileCalls(depsAhead(20 * 60_000));
  expect(summary.notFound).toBeGreaterThanOrEqual(1);
  const call = await ctx.deps.db.call.findUniqueOrThrow({ where: { id: lost.callId } });
  expect(call).toMatchObject({ status: 'ended', outcome: 'failed_transient', endedReason: 'reconciler-call-not-found' });
  const cc = await ctx.deps.db.campaignContact.findUniqueOrThrow({ where: { id: lost.campaignContactId } });
  expect(cc.state).toBe('retry_wait');
});

it('asks about an attempt whose live-call lease expired, even before its expected end', async () => {
  const c = await placeAtFake();
  await fake.waitForIdle(15_000);
  const leases = new LiveCallLeases(ctx.deps.redis, ctx.deps.queues.prefix);
  const scope = { accountKey: 'vapi-test-account', accountCap: 10, campaignId: c.campaignId, campaignCap: 10 };
  await leases.acquire(scope, c.callId, 1, Date.now() - 10);
  // The next acquire sweeps expired leases aside, where the reconciler takes them.
  await leases.acquire(scope, crypto.randomUUID(), 60_000);
  const summary = await reconcileCalls(depsAhead(0));
  expect(summary.closed).toBeGreaterThanOrEqual(1);
  expect((await ctx.deps.db.call.findUniqueOrThrow({ where: { id: c.callId } })).outcome).toBe('completed');
}, 30_000);

it('applies again a stored report whose first apply failed, and finishes an attempt left in a call', async () => {
  const db = ctx.deps.db;
  // A report stored but never applied (the process died mid-apply).
  const c = await seedPlacedCall(db, { portalId });
  const body = endOfCallReport(c, { endedReason: 'voicemail' });
  await db.providerEvent.create({
    data: { portalId, provider: 'vapi', dedupeKey: `end-of-call-report:${c.providerCallId}`, type: 'end-of-call-report', providerCallId: c.providerCallId, callId: c.callId, payload: JSON.parse(JSON.stringify(body)), receivedAt: new Date(Date.now() - 5 * 60_000) },
  });
  // A call final in our rows whose contact the dialer was never told about.
  const stuck = await seedPlacedCall(db, { portalId });
  await db.$executeRaw`UPDATE "Call" SET "status" = 'ended', "outcome" = 'no_answer', "endedReason" = 'customer-did-not-answer', "updatedAt" = now() - interval '5 minutes' WHERE "id" = ${stuck.callId}::uuid`;

  const summary = await reconcileCalls(resultsDepsFor(ctx, router));
  expect(summary.reportsRetried).toBe(1);
  expect(summary.attemptsFinished).toBeGreaterThanOrEqual(1);
  expect(await db.call.findUniqueOrThrow({ where: { id: c.callId } })).toMatchObject({ outcome: 'voicemail', status: 'ended' });
  expect((await db.providerEvent.findFirstOrThrow({ where: { callId: c.callId } })).processedAt).not.toBeNull();
  expect((await db.campaignContact.findUniqueOrThrow({ where: { id: stuck.campaignContactId } })).state).toBe('retry_wait');
});

it('leaves a call the provider says is still live open, only moving its status forward', async () => {
  fake.configure({ timeScale: 1 });
  const live = await placeAtFake();
  await ctx.deps.db.call.update({ where: { id: live.callId }, data: { placedAt: new Date(Date.now() - 30 * 60_000) } });
  const summary = await reconcileCalls(depsAhead(0));
  expect(summary.stillLive).toBe(1);
  const call = await ctx.deps.db.call.findUniqueOrThrow({ where: { id: live.callId } });
  expect(call.outcome).toBeNull();
  expect(['queued', 'ringing', 'in_progress']).toContain(call.status);
  expect((await ctx.deps.db.campaignContact.findUniqueOrThrow({ where: { id: live.campaignContactId } })).state).toBe('in_call');
});

it('registers the reconciler schedule idempotently (every worker may do it at start)', async () => {
  await registerSchedulers(ctx.deps.queues, { sweepEveryMs: 1_000, reconcileEveryMs: 30_000 });
  await registerSchedulers(ctx.deps.queues, { sweepEveryMs: 1_000, reconcileEveryMs: 30_000 });
  const schedulers = await ctx.deps.queues.get('results').getJobSchedulers();
  expect(schedulers.map((s) => [s.key, s.name, s.every])).toEqual([['calls.reconcile', 'calls.reconcile', 30_000]]);
});
