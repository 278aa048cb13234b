// The classes the client throws: those of the SDK bundle vapi.client.ts uses.
import { VapiError, VapiTimeoutError } from '../../backend/src/generated/vapi-sdk';
import { classifyCreateError, retryAfterMs, toReadError } from '../../backend/src/providers/voice/vapi/vapi-errors';
import { createVapiProvider } from '../../backend/src/providers/voice/vapi/vapi.provider';
import type { VapiApi } from '../../backend/src/providers/voice/vapi/vapi.client';
import type { CallPlan } from '../../backend/src/providers/voice/voice-provider';

const raw = (status: number, headers: Record<string, string> = {}) =>
  ({ headers: new Headers(headers), redirected: false, status, statusText: '', type: 'basic', url: 'http://x/call' }) as any;
const nest = (status: number, message: string | string[], error = 'Bad Request') => ({ message, error, statusCode: status });
const httpError = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new VapiError({ statusCode: status, body, rawResponse: raw(status, headers) });
// What the SDK's declared errors (Vapi.BadRequestError, …) are: a VapiError named after the class.
const declaredError = (name: string, status: number, body: unknown) => new VapiError({ message: name, statusCode: status, body, rawResponse: raw(status) });

describe('Vapi create errors → PlaceCallResult', () => {
  it('400 "Over Concurrency Limit" → capacity (requeue, not an attempt)', () => {
    const err = declaredError('BadRequestError', 400, nest(400, ['Over Concurrency Limit.']));
    expect(classifyCreateError(err)).toEqual({ kind: 'capacity', signal: 'http_400' });
  });

  it('429 → rate_limited with Retry-After in seconds or as a date; 1 s when absent', () => {
    expect(classifyCreateError(httpError(429, nest(429, 'Rate limit exceeded', 'Too Many Requests'), { 'Retry-After': '7' }))).toEqual({
      kind: 'rate_limited',
      retryAfterMs: 7000,
    });
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(retryAfterMs(httpError(429, {}, { 'retry-after': 'Tue, 01 Jan 2030 00:00:03 GMT' }), now)).toBe(3000);
    expect(classifyCreateError(httpError(429, {}))).toEqual({ kind: 'rate_limited', retryAfterMs: 1000 });
    expect(retryAfterMs(httpError(429, {}, { 'retry-after': 'soon' }))).toBe(1000);
    expect(retryAfterMs(httpError(429, {}, { 'retry-after': '999999' }))).toBe(600_000);
  });

  it('5xx, timeouts and network failures → transient (ambiguous: reconcile)', () => {
    expect(classifyCreateError(declaredError('InternalServerError', 500, nest(500, 'Internal server error')))).toMatchObject({
      kind: 'transient',
      error: { status: 500, code: 'http_500' },
    });
    expect(classifyCreateError(httpError(503, '<html>upstream</html>'))).toMatchObject({ kind: 'transient', error: { code: 'http_503' } });
    expect(classifyCreateError(httpError(408, {}))).toMatchObject({ kind: 'transient', error: { code: 'http_408' } });
    expect(classifyCreateError(new VapiTimeoutError('Timeout exceeded when calling POST /call.'))).toMatchObject({ kind: 'transient', error: { code: 'timeout' } });
    // What SDK 2.0.1 actually throws on Node 20 when its abort timer fires.
    expect(classifyCreateError(new VapiError({ message: '"timeout"', cause: 'timeout' }))).toMatchObject({ kind: 'transient', error: { code: 'timeout' } });
    const refused = new VapiError({ message: 'fetch failed', cause: Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }) });
    expect(classifyCreateError(refused)).toMatchObject({ kind: 'transient', error: { code: 'ECONNREFUSED' } });
    expect(classifyCreateError(new Error('boom'))).toMatchObject({ kind: 'transient', error: { code: 'network' } });
  });

  it.each([
    [401, nest(401, 'Unauthorized', 'Unauthorized'), 'unauthorized'],
    [402, nest(402, 'Payment Required', 'Payment Required'), 'payment_required'],
    [403, nest(403, 'Forbidden', 'Forbidden'), 'forbidden'],
    [400, nest(400, ['Wallet Balance is below zero. Please add credits.']), 'insufficient_credits'],
    [400, nest(400, ["Couldn't Get Phone Number. Phone number not found."]), 'invalid_phone_number'],
    [400, nest(400, ['phoneNumberId must be a UUID']), 'invalid_phone_number'],
    [404, nest(404, ['Assistant not found'], 'Not Found'), 'invalid_assistant'],
    [400, nest(400, ['Subscription is frozen']), 'account_suspended'],
  ])('%i %j → account (%s): pause the campaign', (status, body, problem) => {
    const result = classifyCreateError(httpError(status, body));
    expect(result).toMatchObject({ kind: 'account', problem });
    if (result.kind === 'account') expect(result.reason).toMatch(new RegExp(`HTTP ${status}`));
  });

  it('400 validation about this call → rejected (definitive, no call exists)', () => {
    const bad = httpError(400, nest(400, ['customer.number must be a valid phone number in the E.164 format.']));
    expect(classifyCreateError(bad)).toMatchObject({ kind: 'rejected', error: { status: 400, code: 'http_400', message: expect.stringMatching(/E\.164/) } });
    expect(classifyCreateError(httpError(400, nest(400, ['property foo should not exist'])))).toMatchObject({ kind: 'rejected' });
    expect(classifyCreateError(httpError(422, {}))).toMatchObject({ kind: 'rejected' });
  });
});

describe('Vapi read errors → VoiceProviderError', () => {
  it.each([
    [httpError(429, {}, { 'retry-after': '2' }), 'rate_limited', { retryAfterMs: 2000 }],
    [httpError(401, nest(401, 'Unauthorized')), 'account', { problem: 'unauthorized' }],
    [httpError(502, 'bad gateway'), 'transient', { status: 502 }],
    [new VapiTimeoutError('t'), 'transient', { code: 'timeout' }],
    [httpError(400, nest(400, ['limit must not be greater than 1000'])), 'rejected', { status: 400 }],
  ])('%#', (error, kind, details) => {
    const e = toReadError(error);
    expect(e.kind).toBe(kind);
    expect(e.details).toMatchObject(details);
  });
});

describe('Vapi provider: reading a 201', () => {
  const plan: CallPlan = { attemptId: 'att-1', agent: { kind: 'saved', assistantId: 'asst' }, callerId: 'pn', customer: { number: '+15555550100' } };
  const providerAnswering = (body: unknown) => {
    const client: VapiApi = { createCall: async () => body, getCall: async () => body, listCalls: async () => [] };
    return createVapiProvider({ apiKey: 'k', baseUrl: 'http://unused', client });
  };

  it('placed: id and status', async () => {
    await expect(providerAnswering({ id: 'c1', status: 'queued' }).placeCall(plan)).resolves.toEqual({ kind: 'placed', providerCallId: 'c1', status: 'queued' });
  });

  it('subscriptionLimits.concurrencyBlocked → capacity, keeping the id', async () => {
    const body = { id: 'c2', status: 'queued', subscriptionLimits: { concurrencyBlocked: true, concurrencyLimit: 10, remainingConcurrentCalls: 0 } };
    await expect(providerAnswering(body).placeCall(plan)).resolves.toEqual({ kind: 'capacity', signal: 'concurrency_blocked', providerCallId: 'c2' });
  });

  it('a call already ended with the concurrency reason → capacity', async () => {
    const body = { id: 'c3', status: 'ended', endedReason: 'call.start.error-subscription-concurrency-limit-reached' };
    await expect(providerAnswering(body).placeCall(plan)).resolves.toEqual({ kind: 'capacity', signal: 'ended_reason', providerCallId: 'c3' });
  });

  it('a call ended at start for an account reason → account', async () => {
    const body = { id: 'c4', status: 'ended', endedReason: 'call.start.error-subscription-insufficient-credits' };
    await expect(providerAnswering(body).placeCall(plan)).resolves.toMatchObject({ kind: 'account', problem: 'insufficient_credits' });
  });

  it('a 2xx without an id is ambiguous → transient', async () => {
    await expect(providerAnswering({ status: 'queued' }).placeCall(plan)).resolves.toMatchObject({ kind: 'transient', error: { code: 'bad_response' } });
  });

  it('an invalid plan is rejected before any request', async () => {
    let calls = 0;
    const client: VapiApi = { createCall: async () => (calls++, { id: 'x' }), getCall: async () => null, listCalls: async () => [] };
    const provider = createVapiProvider({ apiKey: 'k', baseUrl: 'http://unused', client });
    await expect(provider.placeCall({ ...plan, customer: { number: '555-0100' } })).resolves.toMatchObject({ kind: 'rejected', error: { code: 'invalid_plan' } });
    expect(calls).toBe(0);
  });
});
