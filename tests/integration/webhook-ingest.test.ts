import request from 'supertest';
import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';
import { signVapiPayload } from '../../backend/src/providers/voice/vapi/vapi-webhook-auth';
import statusFixture from '../fixtures/vapi/vapi-status-update.in-progress.finzie.json';
import webcallReport from '../fixtures/vapi/vapi-end-of-call-report.webcall.finzie.json';
import voicemailReport from '../fixtures/vapi/vapi-end-of-call-report.outbound-voicemail.SYNTHESIZED.json';
import { VAPI_SECRET, endOfCallReport, postVapi, seedPlacedCall, statusUpdate, startApplyWorker } from './results-test-support';

// POST /webhooks/vapi for everything but tool calls: authentication before anything is stored,
// bad input refused with nothing written, every message stored once under its dedupe key,
// repeats acknowledged as no-ops, and the captured payloads applied to the call they name.

let ctx: TestContext;
let applier: ReturnType<typeof startApplyWorker>;
let portalId: string;

beforeAll(async () => {
  ctx = await createTestContext({ VAPI_WEBHOOK_SECRET: VAPI_SECRET });
  applier = startApplyWorker(ctx);
  portalId = (await createPortalWithKey(ctx.deps.db)).portal.id;
});
afterAll(async () => {
  await applier.close();
  await ctx.close();
});

const events = () => ctx.deps.db.providerEvent.count();

describe('authentication and bad input', () => {
  it('refuses unsigned, wrongly signed and stale messages with 401 and stores nothing', async () => {
    const c = await seedPlacedCall(ctx.deps.db, { portalId });
    const body = statusUpdate(c, 'ringing', Date.now());
    const raw = JSON.stringify(body);
    const before = await events();
    const stale = String(Math.floor(Date.now() / 1000) - 600);
    const now = String(Math.floor(Date.now() / 1000));
    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'VAPI_WEBHOOK_MISSING'],
      [{ 'X-Vapi-Secret': 'not-the-secret' }, 'VAPI_WEBHOOK_MISMATCH'],
      [{ Authorization: 'Bearer wrong' }, 'VAPI_WEBHOOK_MISMATCH'],
      [{ 'x-signature': signVapiPayload('other-secret', now, raw), 'x-timestamp': now }, 'VAPI_WEBHOOK_MISMATCH'],
      [{ 'x-signature': signVapiPayload(VAPI_SECRET, stale, raw), 'x-timestamp': stale }, 'VAPI_WEBHOOK_STALE_TIMESTAMP'],
    ];
    for (const [headers, code] of cases) {
      const res = await request(ctx.app).post('/webhooks/vapi').set({ 'content-type': 'application/json', ...headers }).send(raw);
      expect([res.status, res.body.error?.code]).toEqual([401, code]);
    }
    expect(await events()).toBe(before);
    expect((await ctx.deps.db.call.findUniqueOrThrow({ where: { id: c.callId } })).status).toBe('queued');
    // The right HMAC over the same bytes is accepted.
    const ok = await request(ctx.app).post('/webhooks/vapi').set({ 'content-type': 'application/json', 'x-signature': signVapiPayload(VAPI_SECRET, now, raw), 'x-timestamp': now }).send(raw);
    expect(ok.status).toBe(200);
    expect((await ctx.deps.db.call.findUniqueOrThrow({ where: { id: c.callId } })).status).toBe('ringing');
  });

  it('answers malformed JSON 400, a 10 MB body 413 and a non-Vapi body 400, storing nothing and staying up', async () => {
    const before = await events();
    const malformed = await request(ctx.app).post('/webhooks/vapi').set({ 'content-type': 'application/json', 'X-Vapi-Secret': VAPI_SECRET }).send('{"message": {"type": ');
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'MALFORMED_JSON']);
    const huge = JSON.stringify({ message: { type: 'status-update', status: 'ringing', padding: 'x'.repeat(10 * 1024 * 1024) } });
    const big = await request(ctx.app).post('/webhooks/vapi').set({ 'content-type': 'application/json', 'X-Vapi-Secret': VAPI_SECRET }).send(huge);
    expect([big.status, big.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const notVapi = await postVapi(ctx.app, { hello: 'world' });
    expect([notVapi.status, notVapi.body.error.code]).toEqual([400, 'VAPI_MESSAGE_INVALID']);
    expect(await events()).toBe(before);
    expect((await request(ctx.app).get('/healthz')).status).toBe(200);
  });

  it('stores an unknown message type, answers 200 and applies nothing', async () => {
    const c = await seedPlacedCall(ctx.deps.db, { portalId });
    const res = await postVapi(ctx.app, { message: { type: 'speech-update', status: 'started', role: 'assistant', timestamp: Date.now(), call: { id: c.providerCallId } } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true });
    const stored = await ctx.deps.db.providerEvent.findMany({ where: { providerCallId: c.providerCallId } });
    expect(stored.map((e) => [e.type, e.callId, e.portalId, e.processedAt !== null])).toEqual([['speech-update', c.callId, portalId, true]]);
    const call = await ctx.deps.db.call.findUniqueOrThrow({ where: { id: c.callId } });
    expect([call.status, call.outcome]).toEqual(['queued', null]);
  });
});

describe('storing and applying', () => {
  it('treats a repeated delivery as a 200 no-op: one stored event, one finalisation', async () => {
    const c = await seedPlacedCall(ctx.deps.db, { portalId });
    const report = endOfCallReport(c);
    const first = await postVapi(ctx.app, report);
    const again = await postVapi(ctx.app, report);
    expect([first.status, first.body]).toEqual([200, { received: true }]);
    expect([again.status, again.body]).toEqual([200, { received: true, duplicate: true }]);
    expect(await ctx.deps.db.providerEvent.count({ where: { callId: c.callId } })).toBe(1);
    const stats = await ctx.deps.db.callStat.findMany({ where: { campaignId: c.campaignId } });
    expect(stats.map((s) => s.calls)).toEqual([1]);
  });

  it('applies a report to a call found by our attempt id before the dialer saved the provider id', async () => {
    const c = await seedPlacedCall(ctx.deps.db, { portalId, providerCallId: null, status: 'pending' });
    expect(await ctx.deps.db.call.findUniqueOrThrow({ where: { id: c.callId } })).toMatchObject({ providerCallId: null, placedAt: null });
    const res = await postVapi(ctx.app, endOfCallReport(c, { endedReason: 'customer-busy' }));
    expect(res.status).toBe(200);
    const call = await ctx.deps.db.call.findUniqueOrThrow({ where: { id: c.callId } });
    expect(call).toMatchObject({ providerCallId: c.providerCallId, status: 'ended', outcome: 'busy', disposition: 'busy', endedReason: 'customer-busy' });
    expect(call.placedAt).not.toBeNull();
    // A call nobody answered keeps no (model-invented) summary.
    expect(call.summary).toBeNull();
    const cc = await ctx.deps.db.campaignContact.findUniqueOrThrow({ where: { id: c.campaignContactId } });
    expect([cc.state, cc.lastOutcome]).toEqual(['retry_wait', 'busy']);
  });

  it('replays the captured status update and end-of-call report onto the call they name', async () => {
    const providerCallId = statusFixture.message.call.id;
    const c = await seedPlacedCall(ctx.deps.db, { portalId, providerCallId });
    expect((await postVapi(ctx.app, statusFixture)).status).toBe(200);
    let call = await ctx.deps.db.call.findUniqueOrThrow({ where: { id: c.callId } });
    expect(call.status).toBe('in_progress');
    expect((await postVapi(ctx.app, webcallReport)).status).toBe(200);
    call = await ctx.deps.db.call.findUniqueOrThrow({ where: { id: c.callId } });
    const m = webcallReport.message;
    expect(call).toMatchObject({ status: 'ended', outcome: 'completed', endedReason: 'customer-ended-call', durationSec: m.durationSeconds, transcript: m.artifact.transcript, summary: m.analysis.summary });
    expect(Number(call.cost)).toBeCloseTo(m.cost, 4);
    expect(call.recordingUrl).toBe(m.artifact.recordingUrl);
    expect(Array.isArray(call.messages) && call.messages.length).toBe(m.artifact.messages.length);
    expect(await ctx.deps.db.providerEvent.count({ where: { callId: c.callId } })).toBe(2);
  });

  it('keeps a signed report whose text Postgres cannot store, with those characters replaced (Vapi does not retry)', async () => {
    const c = await seedPlacedCall(ctx.deps.db, { portalId });
    const report = endOfCallReport(c, { transcript: 'AI: Hello\u0000 there \ud800.\nUser: Hi 😀\n', summary: 'Wants a call\u0000back.' });
    const res = await postVapi(ctx.app, report);
    expect(res.status).toBe(200);
    const call = await ctx.deps.db.call.findUniqueOrThrow({ where: { id: c.callId } });
    expect(call).toMatchObject({ status: 'ended', outcome: 'completed', transcript: 'AI: Hello\ufffd there \ufffd.\nUser: Hi 😀\n', summary: 'Wants a call\ufffdback.' });
    const stored = await ctx.deps.db.providerEvent.findFirstOrThrow({ where: { callId: c.callId, type: 'end-of-call-report' } });
    expect(JSON.stringify(stored.payload)).toContain('Hello\ufffd there');
    // Anywhere else such a body is still refused (it is not a provider's event).
    const { auth } = await createPortalWithKey(ctx.deps.db);
    const api = await request(ctx.app).post('/api/v1/segments').set(auth).send({ name: 'a\u0000b', rule: { '==': [1, 1] } });
    expect([api.status, api.body.error.code]).toEqual([400, 'JSON_TEXT_INVALID']);
  });

  it('replays the synthesized voicemail report: voicemail outcome, no summary kept', async () => {
    const c = await seedPlacedCall(ctx.deps.db, { portalId, providerCallId: voicemailReport.message.call.id });
    expect((await postVapi(ctx.app, voicemailReport)).status).toBe(200);
    const call = await ctx.deps.db.call.findUniqueOrThrow({ where: { id: c.callId } });
    expect(call).toMatchObject({ status: 'ended', outcome: 'voicemail', summary: null, endedReason: 'voicemail' });
    expect(call.transcript).toBeTruthy();
  });

  it('keeps an ended status without a report as ended, waiting for the facts', async () => {
    const c = await seedPlacedCall(ctx.deps.db, { portalId });
    await postVapi(ctx.app, statusUpdate(c, 'ended', Date.parse('2026-11-20T15:03:00Z'), { endedReason: 'customer-did-not-answer' }));
    const call = await ctx.deps.db.call.findUniqueOrThrow({ where: { id: c.callId } });
    expect(call).toMatchObject({ status: 'ended', outcome: null, endedReason: 'customer-did-not-answer' });
    const cc = await ctx.deps.db.campaignContact.findUniqueOrThrow({ where: { id: c.campaignContactId } });
    expect(cc.state).toBe('in_call');
  });
});
