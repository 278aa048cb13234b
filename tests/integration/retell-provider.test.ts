import crypto from 'node:crypto';
import request from 'supertest';
import { startRetellFake, type RetellFake } from '../../fakes/retell/retell-fake';
import { createRetellProvider } from '../../backend/src/providers/voice/retell/retell.provider';
import { signRetellPayload } from '../../backend/src/providers/voice/retell/retell-webhook-auth';
import type { CallPlan, VoiceProvider } from '../../backend/src/providers/voice/voice-provider';
import { findCallsByAttemptId } from '../../backend/src/providers/voice/find-calls-by-attempt';
import { createDialingHarness, RETELL_KEY, type DialFake, type DialingHarness } from '../support/dialing-harness';
import { dialAttempt } from '../../backend/src/domain/dialing/dial-attempt.service';
import { planDueAttempts } from '../../backend/src/domain/dialing/attempt-planner.service';
import { startApplyWorker } from './results-test-support';

// The Retell adapter against the Retell fake over real HTTP (the real retell-sdk client pointed at
// it by base URL), then the whole loop: a campaign call placed on Retell, the fake's signed
// webhooks and next_step function calls answered by our backend, the call finalised.

const KEY = 'test-retell-key';
const plan = (over: Partial<CallPlan> = {}): CallPlan => ({
  attemptId: crypto.randomUUID(),
  agent: { kind: 'saved', assistantId: 'agent_1' },
  callerId: '+14155550100',
  customer: { number: '+12125550123' },
  overrides: { dynamicVariables: { script_first_message: 'Hi', script_version: 2 } },
  metadata: { portalId: 'p1' },
  ...over,
});

describe('Retell adapter against the fake', () => {
  let fake: RetellFake;
  let provider: VoiceProvider;
  beforeAll(async () => {
    fake = await startRetellFake({ apiKeys: [KEY], timeScale: 0.001, outcomeMix: { answered: 1 }, durations: { talkSec: [600, 600] } });
    provider = createRetellProvider({ apiKey: KEY, baseUrl: fake.url, timeoutMs: 1_000 });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.clearFaults();
    fake.configure({ concurrencyLimit: 20, rateLimit: null });
  });

  it('places a call with our attempt id and string dynamic variables, reads it back and finds it by attempt id', async () => {
    const p = plan();
    const placed = await provider.placeCall(p);
    expect(placed).toMatchObject({ kind: 'placed', status: 'queued' });
    const id = (placed as { providerCallId: string }).providerCallId;
    const sent = fake.state.calls.get(id)!.request;
    expect(sent).toMatchObject({ from_number: '+14155550100', to_number: '+12125550123', override_agent_id: 'agent_1', metadata: { attemptId: p.attemptId, portalId: 'p1' } });
    expect(sent.retell_llm_dynamic_variables).toEqual({ script_first_message: 'Hi', script_version: '2' });
    expect(await provider.getCall(id)).toMatchObject({ providerCallId: id, attemptId: p.attemptId, report: null });
    expect(await provider.getCall('no-such-call')).toBeNull();
    const found = await findCallsByAttemptId(provider, { attemptId: p.attemptId, from: new Date(Date.now() - 60_000), to: new Date() });
    expect(found).toEqual({ calls: [expect.objectContaining({ providerCallId: id })], complete: true, requests: 1 });
    expect(fake.state.ledger.get(p.attemptId)?.created).toBe(1);
  });

  it('turns a concurrency refusal into capacity, without a call', async () => {
    fake.configure({ concurrencyLimit: 0 });
    const p = plan();
    expect(await provider.placeCall(p)).toEqual({ kind: 'capacity', signal: 'http_400' });
    expect(fake.state.ledger.get(p.attemptId)).toMatchObject({ created: 0, refused: 1 });
    // The other form: the call is created but already over with concurrency_limit_reached.
    fake.configure({ refusal: 'ended-reason' });
    const q = plan();
    const refused = await provider.placeCall(q);
    fake.configure({ refusal: 'http-429' });
    expect(refused).toMatchObject({ kind: 'capacity', signal: 'ended_reason', providerCallId: expect.any(String) });
    expect(fake.state.ledger.get(q.attemptId)).toMatchObject({ created: 1, dialed: 0, refused: 1 });
  });

  it('turns a 429 into rate_limited with Retry-After, a 401 into an account problem, a 5xx after create into transient (and the call is found)', async () => {
    fake.configure({ rateLimit: { max: 1, windowMs: 60_000 } });
    expect((await provider.placeCall(plan())).kind).toBe('placed');
    const limited = await provider.placeCall(plan());
    expect(limited).toMatchObject({ kind: 'rate_limited' });
    expect((limited as { retryAfterMs: number }).retryAfterMs).toBeGreaterThanOrEqual(1_000);
    fake.configure({ rateLimit: null });

    const wrongKey = createRetellProvider({ apiKey: 'not-a-key', baseUrl: fake.url });
    expect(await wrongKey.placeCall(plan())).toMatchObject({ kind: 'account', problem: 'unauthorized' });

    fake.setFaults([{ route: 'create', fault: { kind: 'status', status: 503, afterCreate: true } }]);
    const p = plan();
    expect(await provider.placeCall(p)).toMatchObject({ kind: 'transient', error: { code: 'http_503', status: 503 } });
    const found = await findCallsByAttemptId(provider, { attemptId: p.attemptId, from: new Date(Date.now() - 60_000), to: new Date() });
    expect(found.calls).toHaveLength(1);

    // A hung create is ambiguous too. (Under Node the SDK raises APIConnectionTimeoutError → code
    // "timeout"; inside Jest's VM the abort DOMException comes from another realm, the SDK's
    // castToError loses its name, and it surfaces as a connection error → "network".)
    fake.setFaults([{ route: 'create', fault: { kind: 'timeout', holdMs: 5_000 } }]);
    const hung = await provider.placeCall(plan());
    expect(hung.kind).toBe('transient');
    expect(['timeout', 'network']).toContain((hung as { error: { code: string } }).error.code);
  });

  it('rejects a plan Retell cannot dial before sending anything', async () => {
    const before = fake.state.counters.createRequests;
    expect(await provider.placeCall(plan({ callerId: 'phone-number-id' }))).toMatchObject({ kind: 'rejected', error: { code: 'invalid_plan' } });
    expect(await provider.placeCall(plan({ agent: { kind: 'transient', assistant: {} } }))).toMatchObject({ kind: 'rejected', error: { code: 'invalid_plan' } });
    expect(fake.state.counters.createRequests).toBe(before);
  });
});

describe('Retell calls end to end (webhooks, next_step, results)', () => {
  let h: DialingHarness<DialFake>;
  let applier: ReturnType<typeof startApplyWorker>;
  beforeAll(async () => {
    h = await createDialingHarness({ provider: 'retell', fake: { durations: { ringSec: [1, 1], talkSec: [5, 5], analysisDelaySec: [1, 1] } } });
    applier = startApplyWorker(h.ctx);
  });
  afterAll(async () => {
    await applier.close();
    await h.close();
  });

  it('a Retell campaign call walks the script through next_step and is finalised from call_analyzed', async () => {
    const { tag } = await h.seedContacts(1);
    const campaignId = await h.createCampaign({ tag });
    await request(h.ctx.app).post(`/api/v1/campaigns/${campaignId}/start`).set(h.auth).expect(200);
    const d = h.dialing();
    const [id] = await planDueAttempts(d, campaignId);
    expect(await dialAttempt(d, id!)).toEqual({ kind: 'done', result: 'placed' });
    await h.fake.waitForIdle(60_000);
    await applier.settle(60_000);
    const fakeState = h.fake.state as RetellFake['state'];
    const webhookStatuses = fakeState.webhooks.map((w) => `${w.event}:${w.status}`);
    expect(webhookStatuses.filter((s) => !s.endsWith(':200'))).toEqual([]);
    expect(webhookStatuses).toEqual(expect.arrayContaining(['call_started:200', 'call_ended:200', 'call_analyzed:200', 'function:next_step:200']));
    const call = await h.ctx.deps.db.call.findUniqueOrThrow({ where: { id: id! }, include: { campaignContact: true } });
    expect(call).toMatchObject({ provider: 'retell', outcome: 'completed', status: 'ended' });
    expect(call.campaignContact?.state).not.toBe('in_call');
    // The script engine recorded each answered step on the call.
    expect(Array.isArray(call.scriptPath) && call.scriptPath.length).toBeGreaterThan(0);
    const events = await h.ctx.deps.db.providerEvent.findMany({ where: { callId: id! }, select: { provider: true, type: true } });
    expect(new Set(events.map((e) => e.provider))).toEqual(new Set(['retell']));
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['call_started', 'call_ended', 'call_analyzed', 'function_call']));
    expect(fakeState.duplicates()).toEqual([]);
  }, 120_000);

  it('recovers a claimed attempt on the provider that was asked, even after the portal switched providers', async () => {
    const { tag } = await h.seedContacts(1);
    const campaignId = await h.createCampaign({ tag });
    await request(h.ctx.app).post(`/api/v1/campaigns/${campaignId}/start`).set(h.auth).expect(200);
    const d = h.dialing();
    const [id] = await planDueAttempts(d, campaignId);
    h.fake.configure({ timeScale: 10 }); // the call stays queued at the fake: no webhook records it first
    h.fake.setFaults([{ route: 'create', times: 1, fault: { kind: 'status', status: 503, afterCreate: true } }]);
    expect(await dialAttempt(d, id!)).toMatchObject({ kind: 'later', result: 'ambiguous' });
    // This server has no Vapi account: were recovery to ask the portal's new provider, it could not.
    await h.ctx.deps.db.portal.update({ where: { id: h.portalId }, data: { voiceProvider: 'vapi' } });
    try {
      h.clock.now = new Date(Date.now() + 1_000);
      expect(await dialAttempt(d, id!)).toEqual({ kind: 'done', result: 'recovered_placed' });
      expect(h.fake.state.ledger.get(id!)?.created).toBe(1);
      expect((await h.ctx.deps.db.call.findUniqueOrThrow({ where: { id: id! } })).provider).toBe('retell');
    } finally {
      await h.ctx.deps.db.portal.update({ where: { id: h.portalId }, data: { voiceProvider: 'retell' } });
      h.fake.clearFaults();
      h.fake.configure({ timeScale: 0.01 });
    }
  });

  it('refuses unsigned, tampered and stale webhooks with a code, and states why an unknown event is ignored', async () => {
    const body = JSON.stringify({ event: 'call_started', call: { call_id: 'x1', call_status: 'ongoing', metadata: {} } });
    const post = (path: string, payload: string, headers: Record<string, string>) =>
      request(h.ctx.app).post(path).set({ 'content-type': 'application/json', ...headers }).send(payload);
    const unsigned = await post('/webhooks/retell', body, {});
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error.code).toBe('RETELL_WEBHOOK_MISSING');
    const tampered = await post('/webhooks/retell', body.replace('x1', 'x2'), { 'x-retell-signature': signRetellPayload(RETELL_KEY, body) });
    expect(tampered.body.error.code).toBe('RETELL_WEBHOOK_MISMATCH');
    const stale = await post('/webhooks/retell', body, { 'x-retell-signature': signRetellPayload(RETELL_KEY, body, Date.now() - 10 * 60_000) });
    expect([stale.status, stale.body.error.code]).toEqual([401, 'RETELL_WEBHOOK_STALE_TIMESTAMP']);
    const fn = await post('/webhooks/retell/functions/next_step', JSON.stringify({ name: 'next_step', args: {} }), {});
    expect([fn.status, fn.body.error.code]).toEqual([401, 'RETELL_WEBHOOK_MISSING']);

    const unknown = JSON.stringify({ event: 'transcript_updated', call: { call_id: 'x1' } });
    const ignored = await post('/webhooks/retell', unknown, { 'x-retell-signature': signRetellPayload(RETELL_KEY, unknown) });
    expect(ignored.status).toBe(200);
    expect(ignored.body.ignored).toMatch(/transcript_updated.*not applied/);
    // A portal with its own Retell key: its calls' webhooks are signed with that key.
    const own = await h.ctx.deps.db.portal.create({
      data: { hubId: BigInt(Date.now()), name: 'Own Retell', voiceProvider: 'retell', providerCredentialsEnc: h.ctx.deps.cipher.encrypt(JSON.stringify({ apiKey: 'portal-own-retell-key' })) },
    });
    const ownBody = JSON.stringify({ event: 'call_started', call: { call_id: 'own-1', call_status: 'ongoing', metadata: { portalId: own.id } } });
    const viaOwn = await post('/webhooks/retell', ownBody, { 'x-retell-signature': signRetellPayload('portal-own-retell-key', ownBody) });
    expect(viaOwn.status).toBe(200);
    const otherBody = ownBody.replace(own.id, h.portalId);
    const wrongPortal = await post('/webhooks/retell', otherBody, { 'x-retell-signature': signRetellPayload('portal-own-retell-key', otherBody) });
    expect([wrongPortal.status, wrongPortal.body.error.code]).toEqual([401, 'RETELL_WEBHOOK_MISMATCH']);

    const notJson = JSON.stringify({ hello: 'world' });
    const bad = await post('/webhooks/retell', notJson, { 'x-retell-signature': signRetellPayload(RETELL_KEY, notJson) });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'RETELL_EVENT_INVALID']);
  });
});
