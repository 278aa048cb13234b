import { startVapiFake, type VapiFake } from '../../fakes/vapi/vapi-fake';
import { createVapiProvider } from '../../backend/src/providers/voice/vapi/vapi.provider';
import { createVapiProviderFromConfig } from '../../backend/src/providers/voice/vapi/vapi.provider';
import { findCallsByAttemptId } from '../../backend/src/providers/voice/find-calls-by-attempt';
import { parseConfig } from '../../backend/src/config/config';
import { findFreePort } from '../../backend/src/platform/free-port';
import { VoiceProviderError, type CallPlan, type VoiceProvider } from '../../backend/src/providers/voice/voice-provider';

// The real adapter (real @vapi-ai/server-sdk over HTTP) against the Vapi fake.

const KEY = 'test-vapi-key';
let counter = 0;
const planFor = (over: Partial<CallPlan> = {}): CallPlan => ({
  attemptId: `att-${++counter}`,
  agent: { kind: 'saved', assistantId: 'asst-1' },
  overrides: { variableValues: { firstName: 'Jane' } },
  callerId: 'pn-1',
  customer: { number: '+15555550123', name: 'Jane' },
  metadata: { portalId: 'portal-1' },
  ...over,
});

let fake: VapiFake;
let vapi: VoiceProvider;

beforeEach(async () => {
  // Calls last ~1.5 s of wall time (talk 1500 simulated s at 1/1000), long enough to hold slots.
  fake = await startVapiFake({ timeScale: 0.001, durations: { ringSec: [5, 5], talkSec: [1500, 1500] }, outcomeMix: { answered: 1 } });
  vapi = createVapiProvider({ apiKey: KEY, baseUrl: fake.url, timeoutMs: 2000 });
});
afterEach(async () => {
  await fake.close();
});
describe('Vapi adapter against the fake: place, get, list', () => {
  it('places a call with our attempt id, reads it back, lists it, and reconciles it by attempt id', async () => {
    const from = new Date(Date.now() - 1000);
    const plan = planFor();
    const placed = await vapi.placeCall(plan);
    expect(placed).toMatchObject({ kind: 'placed', status: 'queued' });
    if (placed.kind !== 'placed') throw new Error('not placed');

    const sent = fake.state.calls.get(placed.providerCallId)!.request;
    expect(sent.metadata).toBeUndefined();
    expect(sent.assistantOverrides.metadata).toEqual({ portalId: 'portal-1', attemptId: plan.attemptId });

    const got = await vapi.getCall(placed.providerCallId);
    expect(got).toMatchObject({ providerCallId: placed.providerCallId, attemptId: plan.attemptId, report: null });
    expect(['queued', 'ringing', 'in_progress']).toContain(got!.status);

    const listed = await vapi.listCalls({ createdAtGe: from, limit: 10 });
    expect(listed.map((c) => c.providerCallId)).toContain(placed.providerCallId);
    expect(await vapi.listCalls({ createdAtGe: new Date(Date.now() + 60_000) })).toEqual([]);

    const found = await findCallsByAttemptId(vapi, { attemptId: plan.attemptId, from, to: new Date() });
    expect(found.calls.map((c) => c.providerCallId)).toEqual([placed.providerCallId]);

    await fake.waitForIdle(10_000);
    const ended = await vapi.getCall(placed.providerCallId);
    expect(ended).toMatchObject({ status: 'ended', endedReason: 'customer-ended-call', report: { outcome: 'completed', attemptId: plan.attemptId } });
    expect(ended!.report!.durationSec).toBeGreaterThan(0);
    expect(await vapi.getCall('00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('builds from config: VAPI_BASE_URL and VAPI_API_KEY, or a portal key; webhooks to PUBLIC_BASE_URL', async () => {
    const config = parseConfig({ VAPI_BASE_URL: fake.url, VAPI_API_KEY: KEY, VAPI_WEBHOOK_SECRET: 'secret-123456', PUBLIC_BASE_URL: 'https://app.example.com/' });
    const placed = await createVapiProviderFromConfig(config).placeCall(planFor());
    if (placed.kind !== 'placed') throw new Error(placed.kind);
    expect(fake.state.calls.get(placed.providerCallId)!.request.assistantOverrides.server).toEqual({
      url: 'https://app.example.com/webhooks/vapi',
      headers: { 'X-Vapi-Secret': 'secret-123456' },
    });
    await expect(createVapiProviderFromConfig(config, { apiKey: 'someone-elses' }).placeCall(planFor())).resolves.toMatchObject({
      kind: 'account',
      problem: 'unauthorized',
    });
    expect(() => createVapiProviderFromConfig(parseConfig({ VAPI_BASE_URL: fake.url }))).toThrow(/VAPI_API_KEY/);
    expect(createVapiProviderFromConfig(config).verifyWebhook(Buffer.from('{}'), { 'x-vapi-secret': 'secret-123456' })).toEqual({ ok: true, method: 'secret' });
  });

  it('a wrong API key → account/unauthorized on create, and VoiceProviderError(account) on reads', async () => {
    const wrong = createVapiProvider({ apiKey: 'nope', baseUrl: fake.url });
    await expect(wrong.placeCall(planFor())).resolves.toMatchObject({ kind: 'account', problem: 'unauthorized', reason: expect.stringMatching(/API key/) });
    await expect(wrong.getCall('x')).rejects.toMatchObject({ kind: 'account' });
    await expect(wrong.listCalls({ createdAtGe: new Date(0) })).rejects.toBeInstanceOf(VoiceProviderError);
    expect(fake.state.counters.created).toBe(0);
  });

  it('validation 400s: a bad customer number is rejected; an unknown caller id pauses the campaign', async () => {
    // Our own plan check refuses a non-E.164 number before any request.
    await expect(vapi.placeCall(planFor({ customer: { number: '5550123' } }))).resolves.toMatchObject({ kind: 'rejected', error: { code: 'invalid_plan' } });
    expect(fake.state.counters.createRequests).toBe(0);
    fake.configure({ phoneNumberIds: ['pn-owned'] });
    await expect(vapi.placeCall(planFor({ callerId: 'pn-not-ours' }))).resolves.toMatchObject({ kind: 'account', problem: 'invalid_phone_number' });
    // The fake refuses what Vapi's DTO refuses: a top-level metadata property would be a 400.
    const raw = await fetch(`${fake.url}/call`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ assistantId: 'a', phoneNumberId: 'pn-owned', customer: { number: '+15555550123' }, metadata: { attemptId: 'x' } }),
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ message: ['property metadata should not exist'] });
  });
});

describe('Vapi adapter against the fake: concurrency and rate limits', () => {
  it('over the concurrency limit, each refusal form → capacity (or, for the ended-reason form, a capacity outcome)', async () => {
    fake.configure({ concurrencyLimit: 2, refusal: 'http-400' });
    expect((await vapi.placeCall(planFor())).kind).toBe('placed');
    expect((await vapi.placeCall(planFor())).kind).toBe('placed');
    expect(fake.state.liveCalls()).toBe(2);

    await expect(vapi.placeCall(planFor())).resolves.toEqual({ kind: 'capacity', signal: 'http_400' });

    fake.configure({ refusal: 'blocked' });
    const blocked = await vapi.placeCall(planFor());
    expect(blocked).toMatchObject({ kind: 'capacity', signal: 'concurrency_blocked', providerCallId: expect.any(String) });

    fake.configure({ refusal: 'ended-reason' });
    const late = await vapi.placeCall(planFor());
    expect(late.kind).toBe('placed'); // this form is only visible once the call ends
    if (late.kind !== 'placed') throw new Error();
    await fake.waitForIdle(10_000);
    expect(await vapi.getCall(late.providerCallId)).toMatchObject({
      status: 'ended',
      endedReason: 'call.start.error-subscription-concurrency-limit-reached',
      report: { outcome: 'capacity' },
    });
    expect(fake.state.stats()).toMatchObject({ refusedHttp400: 1, refusedBlocked: 1, refusedEndedReason: 1, dialed: 2, maxLive: 2 });
  });

  it('rotate cycles the three forms', async () => {
    fake.configure({ concurrencyLimit: 0, refusal: 'rotate' });
    const kinds = [];
    for (let i = 0; i < 3; i++) {
      const r = await vapi.placeCall(planFor());
      kinds.push(r.kind === 'capacity' ? r.signal : r.kind);
    }
    expect(kinds).toEqual(['http_400', 'concurrency_blocked', 'placed']);
  });

  it('429 with Retry-After → rate_limited, and the SDK did not retry on its own', async () => {
    fake.configure({ rateLimit: { max: 2, windowMs: 60_000 } });
    expect((await vapi.placeCall(planFor())).kind).toBe('placed');
    expect((await vapi.placeCall(planFor())).kind).toBe('placed');
    const limited = await vapi.placeCall(planFor());
    expect(limited.kind).toBe('rate_limited');
    if (limited.kind !== 'rate_limited') throw new Error();
    expect(limited.retryAfterMs).toBeGreaterThan(50_000);
    expect(limited.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(fake.state.counters.createRequests).toBe(3);
    expect(fake.state.counters.rateLimited).toBe(1);
  });
});

describe('Vapi adapter against the fake: faults', () => {
  it('5xx before creating → transient, and nothing was created', async () => {
    fake.setFaults([{ fault: { kind: 'status', status: 503, body: 'upstream unavailable' } }]);
    const plan = planFor();
    await expect(vapi.placeCall(plan)).resolves.toMatchObject({ kind: 'transient', error: { status: 503, code: 'http_503' } });
    expect(fake.state.ledger.get(plan.attemptId)).toMatchObject({ requests: 1, created: 0, dialed: 0 });
    expect(fake.state.counters.createRequests).toBe(1); // maxRetries: 0 held
  });

  it('500 after creating → transient; the call exists and reconciliation finds it', async () => {
    fake.setFaults([{ fault: { kind: 'status', status: 500, afterCreate: true } }]);
    const plan = planFor();
    const from = new Date(Date.now() - 1000);
    await expect(vapi.placeCall(plan)).resolves.toMatchObject({ kind: 'transient', error: { status: 500 } });
    expect(fake.state.ledger.get(plan.attemptId)).toMatchObject({ requests: 1, created: 1, dialed: 1 });
    const found = await findCallsByAttemptId(vapi, { attemptId: plan.attemptId, from, to: new Date() });
    expect(found.calls).toHaveLength(1);
    expect(found.calls[0]!.attemptId).toBe(plan.attemptId);
  });

  it('a timeout after creating (the ambiguous case) → transient/timeout within our request timeout', async () => {
    const quick = createVapiProvider({ apiKey: KEY, baseUrl: fake.url, timeoutMs: 300 });
    fake.setFaults([{ fault: { kind: 'timeout', afterCreate: true } }]);
    const plan = planFor();
    const t0 = Date.now();
    await expect(quick.placeCall(plan)).resolves.toMatchObject({ kind: 'transient', error: { code: 'timeout' } });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(fake.state.ledger.get(plan.attemptId)).toMatchObject({ created: 1, dialed: 1 });
    const found = await findCallsByAttemptId(quick, { attemptId: plan.attemptId, from: new Date(t0 - 1000), to: new Date() });
    expect(found.calls).toHaveLength(1);
  });

  // SDK 2.0.1 does not clear its timeout timer when fetch itself fails, so the timer outlives the
  // request by up to timeoutMs; a short timeout keeps these tests from holding jest open.
  it('a dropped connection → transient (network), reads too', async () => {
    fake.setFaults([{ fault: { kind: 'reset' } }, { route: 'get', fault: { kind: 'reset' } }]);
    vapi = createVapiProvider({ apiKey: KEY, baseUrl: fake.url, timeoutMs: 300 });
    const placed = await vapi.placeCall(planFor());
    expect(placed).toMatchObject({ kind: 'transient' });
    expect(placed.kind === 'transient' && placed.error.code).not.toBe('timeout');
    await expect(vapi.getCall('any')).rejects.toMatchObject({ kind: 'transient' });
  });

  it('nothing listening → transient with the socket error code', async () => {
    const port = await findFreePort(); // nothing listens there
    const nowhere = createVapiProvider({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 300 });
    await expect(nowhere.placeCall(planFor())).resolves.toMatchObject({ kind: 'transient', error: { code: 'ECONNREFUSED' } });
  });

  it('latency is only latency; a 502 on a read → VoiceProviderError(transient)', async () => {
    fake.setFaults([{ fault: { kind: 'latency', ms: 150 } }, { route: 'list', fault: { kind: 'status', status: 502 } }]);
    const t0 = Date.now();
    expect((await vapi.placeCall(planFor())).kind).toBe('placed');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    await expect(vapi.listCalls({ createdAtGe: new Date(0) })).rejects.toMatchObject({ kind: 'transient', details: { status: 502 } });
  });

  it('an account out of credits: the call ends at start → account result', async () => {
    fake.configure({ account: 'insufficient_credits' });
    // The 201 comes back before the start failure is known; the ended call then says why.
    const placed = await vapi.placeCall(planFor());
    expect(placed.kind).toBe('placed');
    if (placed.kind !== 'placed') throw new Error();
    await fake.waitForIdle(10_000);
    expect(await vapi.getCall(placed.providerCallId)).toMatchObject({ report: { outcome: 'account_blocked', endedReason: 'call.start.error-subscription-insufficient-credits' } });
    expect(fake.state.counters.dialed).toBe(0);
  });
});

describe('the fake counts every call it was asked to place', () => {
  it('per attempt id: requests, created, dialed; duplicates are the attempts dialed twice', async () => {
    const a = planFor();
    const b = planFor();
    await vapi.placeCall(a);
    await vapi.placeCall(b);
    await vapi.placeCall(a); // a second dial of the same attempt: what the dialer must never do
    fake.configure({ concurrencyLimit: 0 });
    const c = planFor();
    await vapi.placeCall(c); // refused: asked for, never dialed
    expect(fake.state.ledger.get(a.attemptId)).toMatchObject({ requests: 2, created: 2, dialed: 2 });
    expect(fake.state.ledger.get(b.attemptId)).toMatchObject({ requests: 1, created: 1, dialed: 1 });
    expect(fake.state.ledger.get(c.attemptId)).toMatchObject({ requests: 1, created: 0, dialed: 0, refused: 1 });
    expect(fake.state.duplicates()).toEqual([a.attemptId]);
    const panel = await (await fetch(`${fake.url}/__fake/state`)).json();
    expect(panel).toMatchObject({ duplicates: [a.attemptId], stats: { createRequests: 4, dialed: 3 } });
  });
});
