import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { startVapiFake, type VapiFake } from '../../fakes/vapi/vapi-fake';
import type { VapiFakeOptions } from '../../fakes/vapi/fake-options';
import { createVapiProvider } from '../../backend/src/providers/voice/vapi/vapi.provider';
import { buildNextStepTool } from '../../backend/src/providers/voice/vapi/vapi-script.mapper';
import { verifyVapiWebhook } from '../../backend/src/providers/voice/vapi/vapi-webhook-auth';
import { parseVapiEvent } from '../../backend/src/providers/voice/vapi/vapi-event.mapper';
import type { CallPlan, VoiceEvent, VoiceProvider } from '../../backend/src/providers/voice/voice-provider';

// The fake's webhooks, received by a small HTTP receiver, checked with our own verifier and
// parser, and compared with the shapes of the real captured payloads.

const SECRET = 'whsec-fake-0123456789';
const KEY = 'test-vapi-key';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  json: any;
}

async function startReceiver(answerTool?: (body: any, index: number) => unknown) {
  const received: Received[] = [];
  let toolIndex = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const json = JSON.parse(raw.toString('utf8'));
      received.push({ path: req.url ?? '', headers: req.headers, raw, json });
      res.writeHead(200, { 'content-type': 'application/json' });
      if (json.message?.type === 'tool-calls' && answerTool) {
        const id = json.message.toolCallList[0].id;
        res.end(JSON.stringify({ results: [{ name: 'next_step', toolCallId: id, result: answerTool(json, toolIndex++) }] }));
      } else res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    url: `${base}/webhooks/vapi`,
    received,
    types: () => received.map((r) => r.json.message.type + (r.json.message.status ? `:${r.json.message.status}` : '')),
    events: () => received.map((r) => parsedEvent(r.json)),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

function parsedEvent(json: unknown): VoiceEvent {
  const p = parseVapiEvent(json);
  if (!p.ok) throw new Error(p.issue);
  return p.event;
}

let counter = 0;
const planFor = (over: Partial<CallPlan> = {}): CallPlan => ({
  attemptId: `att-w-${++counter}`,
  agent: { kind: 'saved', assistantId: 'asst-1' },
  callerId: 'pn-1',
  customer: { number: '+15555550199', name: 'Zed' },
  ...over,
});

let fake: VapiFake;
let receiver: Receiver;
let vapi: VoiceProvider;
async function setup(options: VapiFakeOptions, answerTool?: (body: any, i: number) => unknown) {
  receiver = await startReceiver(answerTool);
  fake = await startVapiFake({
    timeScale: 0.0005,
    durations: { reportDelaySec: [10, 10] },
    outcomeMix: { answered: 1 },
    ...options,
    webhook: { url: receiver.url, auth: { type: 'secret', secret: SECRET }, ...options.webhook },
  });
  vapi = createVapiProvider({ apiKey: KEY, baseUrl: fake.url });
}
afterEach(async () => {
  await fake?.close();
  await receiver?.close();
});

const fixture = (name: string): any => JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/vapi', name), 'utf8'));

describe('Vapi fake webhooks: shapes and authentication', () => {
  it('an answered call posts ringing, in-progress, transcripts, ended, then the end-of-call report, all verifiable', async () => {
    await setup({ outcomeMix: { answered: 1 } });
    const plan = planFor({ overrides: { serverMessages: ['status-update', 'end-of-call-report', 'transcript'] } });
    const placed = await vapi.placeCall(plan);
    expect(placed.kind).toBe('placed');
    await fake.waitForIdle(10_000);

    const types = receiver.types();
    const statuses = types.filter((t) => t.startsWith('status-update'));
    expect(statuses).toEqual(['status-update:ringing', 'status-update:in-progress', 'status-update:ended']);
    expect(types.at(-1)).toBe('end-of-call-report');
    expect(types.indexOf('end-of-call-report')).toBeGreaterThan(types.indexOf('status-update:ended'));
    expect(types.filter((t) => t === 'transcript').length).toBeGreaterThanOrEqual(3);

    for (const r of receiver.received) {
      expect(r.headers['x-vapi-secret']).toBe(SECRET);
      expect(verifyVapiWebhook(r.raw, r.headers, { secret: SECRET })).toEqual({ ok: true, method: 'secret' });
      expect(verifyVapiWebhook(r.raw, r.headers, { secret: 'another-secret' })).toEqual({ ok: false, reason: 'mismatch' });
    }

    const events = receiver.events();
    expect(new Set(events.map((e) => e.dedupeKey)).size).toBe(events.length);
    expect(events.every((e) => e.attemptId === plan.attemptId && placed.kind === 'placed' && e.providerCallId === placed.providerCallId)).toBe(true);
    const ended = events.find((e) => e.kind === 'ended');
    if (ended?.kind !== 'ended') throw new Error('no report');
    expect(ended.report).toMatchObject({ outcome: 'completed', endedReason: 'customer-ended-call', optOutRequested: false });
    expect(ended.report.durationSec).toBeGreaterThan(0);
    expect(ended.report.transcript).toMatch(/^AI: /);
    expect(ended.report.recordingUrl).toMatch(/^https:\/\//);
    expect(ended.report.messages.length).toBeGreaterThanOrEqual(4);
  });

  it('message and call keys cover those of the captured payloads', async () => {
    await setup({ outcomeMix: { voicemail: 1 } });
    await vapi.placeCall(planFor());
    await fake.waitForIdle(10_000);
    const report = receiver.received.find((r) => r.json.message.type === 'end-of-call-report')!.json.message;
    const status = receiver.received.find((r) => r.json.message.type === 'status-update')!.json.message;
    const realReport = fixture('vapi-end-of-call-report.outbound-voicemail.SYNTHESIZED.json').message;
    const realStatus = fixture('vapi-status-update.in-progress.finzie.json').message;
    const missing = (real: object, ours: object) => Object.keys(real).filter((k) => !(k in ours));
    expect(missing(realReport, report)).toEqual([]);
    expect(missing(realReport.call, report.call)).toEqual([]);
    expect(missing(realReport.analysis, report.analysis)).toEqual([]);
    expect(missing(realReport.artifact, report.artifact)).toEqual([]);
    expect(missing(realStatus, status).filter((k) => k !== 'assistant')).toEqual([]); // saved assistant: Vapi omits it too
    expect(report.call.status).toBe('queued'); // creation snapshot, as in real reports
    expect(report.endedReason).toBe('voicemail');

    const got = await vapi.getCall(report.call.id);
    const realGet = fixture('vapi-get-call-outbound-voicemail.autolynx.json');
    const body = (await (await fetch(`${fake.url}/call/${report.call.id}`, { headers: { authorization: `Bearer ${KEY}` } })).json()) as object;
    expect(missing(realGet, body).filter((k) => k !== 'phoneCallProviderDetails')).toEqual([]);
    expect(got).toMatchObject({ status: 'ended', report: { outcome: 'voicemail' } });
  });

  it('HMAC: x-signature over "{timestamp}.{body}" with a millisecond timestamp, verified by our verifier', async () => {
    await setup({ outcomeMix: { busy: 1 }, webhook: { auth: { type: 'hmac', secret: SECRET } } });
    await vapi.placeCall(planFor());
    await fake.waitForIdle(10_000);
    expect(receiver.received.length).toBeGreaterThanOrEqual(3);
    for (const r of receiver.received) {
      expect(r.headers['x-vapi-secret']).toBeUndefined();
      expect(Math.abs(Number(r.headers['x-timestamp']) - Date.now())).toBeLessThan(60_000);
      expect(verifyVapiWebhook(r.raw, r.headers, { secret: SECRET, mode: 'hmac' })).toEqual({ ok: true, method: 'hmac' });
      expect(verifyVapiWebhook(r.raw, r.headers, { secret: 'wrong-secret-123' })).toEqual({ ok: false, reason: 'mismatch' });
    }
  });

  it("Vapi's default serverMessages send no transcripts; a server URL on the call wins over the org's", async () => {
    await setup({ outcomeMix: { answered: 1 } });
    const other = await startReceiver();
    try {
      await vapi.placeCall(planFor({ overrides: { server: { url: other.url, headers: { 'x-tenant': 'p1' } } } }));
      await fake.waitForIdle(10_000);
      expect(receiver.received).toHaveLength(0);
      expect(other.types()).toEqual(['status-update:ringing', 'status-update:in-progress', 'status-update:ended', 'end-of-call-report']);
      expect(other.received.every((r) => r.headers['x-tenant'] === 'p1' && r.headers['x-vapi-secret'] === SECRET)).toBe(true);
    } finally {
      await other.close();
    }
  });
});

describe('Vapi fake webhooks: outcomes', () => {
  it('each simulated outcome ends with the endedReason our table maps to the right outcome', async () => {
    const numbers = { '+15555550001': 'no_answer', '+15555550002': 'busy', '+15555550003': 'voicemail', '+15555550004': 'failed', '+15555550005': 'opt_out', '+15555550006': 'answered' } as const;
    await setup({ scriptFor: (c) => numbers[c.number as keyof typeof numbers] });
    for (const number of Object.keys(numbers)) await vapi.placeCall(planFor({ customer: { number } }));
    await fake.waitForIdle(10_000);
    const reports = receiver.events().filter((e) => e.kind === 'ended');
    const byOutcome = Object.fromEntries(
      reports.map((e) => (e.kind === 'ended' ? [fake.state.calls.get(e.providerCallId!)!.request.customer.number, e.report] : [])),
    );
    expect(byOutcome['+15555550001']).toMatchObject({ endedReason: 'customer-did-not-answer', outcome: 'no_answer', durationSec: 0, transcript: '' });
    expect(byOutcome['+15555550002']).toMatchObject({ endedReason: 'customer-busy', outcome: 'busy' });
    expect(byOutcome['+15555550003']).toMatchObject({ endedReason: 'voicemail', outcome: 'voicemail' });
    expect(byOutcome['+15555550004']).toMatchObject({ endedReason: 'twilio-failed-to-connect-call', outcome: 'failed_transient' });
    expect(byOutcome['+15555550005']).toMatchObject({ outcome: 'completed', optOutRequested: true, structuredOutputs: { optOut: true } });
    expect(byOutcome['+15555550006']).toMatchObject({ outcome: 'completed', optOutRequested: false });
    // A call that was never answered has no in-progress status.
    const noAnswerId = [...fake.state.calls.values()].find((c) => c.request.customer.number === '+15555550001')!.id;
    expect(receiver.events().filter((e) => e.providerCallId === noAnswerId && e.kind === 'status').map((e) => e.kind === 'status' && e.status)).toEqual(['ringing', 'ended']);
  });

  it('the outcome mix is seeded: the same seed gives the same sequence', async () => {
    const sequence = async (seed: number) => {
      const f = await startVapiFake({ seed, timeScale: 0, outcomeMix: { answered: 1, no_answer: 1, busy: 1, voicemail: 1 } });
      const p = createVapiProvider({ apiKey: KEY, baseUrl: f.url });
      for (let i = 0; i < 12; i++) await p.placeCall(planFor());
      const out = [...f.state.calls.values()].map((c) => c.outcome);
      await f.close();
      return out;
    };
    await setup({});
    const a = await sequence(7);
    expect(await sequence(7)).toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(1);
  });

  it('without a configured mix, applies its documented default (6 answered : 2 no answer : 1 busy : 1 voicemail)', async () => {
    const f = await startVapiFake({ seed: 3, timeScale: 0 });
    try {
      const p = createVapiProvider({ apiKey: KEY, baseUrl: f.url });
      for (let i = 0; i < 40; i++) await p.placeCall(planFor());
      const counts: Record<string, number> = {};
      for (const c of f.state.calls.values()) counts[String(c.outcome)] = (counts[String(c.outcome)] ?? 0) + 1;
      expect(Object.keys(counts).sort()).toEqual(['answered', 'busy', 'no_answer', 'voicemail']);
      expect(counts.answered).toBeGreaterThan(counts.no_answer!);
    } finally {
      await f.close();
    }
  });
});

describe('Vapi fake: walking the script tool against our backend', () => {
  const ask = 'Say: "How many panels do you have?" Then wait for their reply and call next_step with answer set to a number. If at any point they ask not to be called again, call next_step with optOut set to true instead.';
  const end = 'Say: "Thanks, goodbye." Then end the call using endCall.';

  it('posts tool-calls to the next_step server with the answers, follows instructions to the end', async () => {
    await setup({ outcomeMix: { answered: 1 } }, (_body, i) => (i === 0 ? ask : end));
    const tool = buildNextStepTool(receiver.base, SECRET);
    const plan = planFor({ overrides: { firstMessage: 'Hi, is this Zed? Do you own your home?', 'tools:append': [tool, { type: 'endCall' }] } });
    await vapi.placeCall(plan);
    await fake.waitForIdle(10_000);

    const toolEvents = receiver.events().filter((e) => e.kind === 'tool_calls');
    expect(toolEvents).toHaveLength(2);
    expect(toolEvents.map((e) => e.kind === 'tool_calls' && e.toolCalls[0])).toEqual([
      { id: expect.any(String), name: 'next_step', arguments: { answer: 'yes' } },
      { id: expect.any(String), name: 'next_step', arguments: { answer: 3 } },
    ]);
    expect(toolEvents.every((e) => e.attemptId === plan.attemptId)).toBe(true);
    const toolPosts = receiver.received.filter((r) => r.json.message.type === 'tool-calls');
    expect(toolPosts.every((r) => r.path === '/webhooks/vapi' && verifyVapiWebhook(r.raw, r.headers, { secret: SECRET }).ok)).toBe(true);
    // The docs spelling and the SDK spelling are both present.
    expect(toolPosts[0]!.json.message.toolCallList[0]).toMatchObject({ name: 'next_step', parameters: { answer: 'yes' }, function: { name: 'next_step' } });

    const report = receiver.events().find((e) => e.kind === 'ended');
    if (report?.kind !== 'ended') throw new Error('no report');
    expect(report.report.endedReason).toBe('assistant-ended-call');
    expect(report.report.transcript).toContain('AI: How many panels do you have?');
    expect(report.report.transcript).toContain('User: 3');
    expect(report.report.transcript).toContain('AI: Thanks, goodbye.');
  });

  it('an opt-out caller reports optOut through the tool', async () => {
    await setup({ outcomeMix: { opt_out: 1 } }, () => 'Say: "Understood, we will not call again." Then end the call using endCall.');
    await vapi.placeCall(planFor({ overrides: { 'tools:append': [buildNextStepTool(receiver.base, SECRET)] } }));
    await fake.waitForIdle(10_000);
    const tools = receiver.events().filter((e) => e.kind === 'tool_calls');
    expect(tools.map((e) => e.kind === 'tool_calls' && e.toolCalls[0]!.arguments)).toEqual([{ optOut: true }]);
  });

  it('scripted answers per call are used first', async () => {
    await setup({ scriptFor: () => ({ outcome: 'answered', answers: ['no', 'maybe later'] }) }, (_b, i) => (i === 0 ? ask : i === 1 ? ask : end));
    await vapi.placeCall(planFor({ overrides: { 'tools:append': [buildNextStepTool(receiver.base)] } }));
    await fake.waitForIdle(10_000);
    const args = receiver.events().flatMap((e) => (e.kind === 'tool_calls' ? [e.toolCalls[0]!.arguments] : []));
    expect(args).toEqual([{ answer: 'no' }, { answer: 'maybe later' }, { answer: 3 }]);
  });

  it('a tool answer without a result ends the walk; the call still ends and reports', async () => {
    await setup({ outcomeMix: { answered: 1 } }, () => undefined);
    const placed = await vapi.placeCall(planFor({ overrides: { 'tools:append': [buildNextStepTool(receiver.base)] } }));
    await fake.waitForIdle(10_000);
    if (placed.kind !== 'placed') throw new Error();
    expect(fake.state.calls.get(placed.providerCallId)!.toolSteps).toHaveLength(1);
    expect(receiver.types().at(-1)).toBe('end-of-call-report');
  });
});

describe('Vapi fake webhooks: delivery chaos for ingestion tests', () => {
  it('duplicateRate 1 delivers every message twice with the same dedupe key', async () => {
    await setup({ outcomeMix: { busy: 1 }, webhook: { duplicateRate: 1 } });
    await vapi.placeCall(planFor());
    await fake.waitForIdle(10_000);
    const keys = receiver.events().map((e) => e.dedupeKey);
    expect(keys.length).toBe(6); // ringing, ended, report — twice each
    expect(new Set(keys).size).toBe(3);
  });

  it('dropTypes loses the end-of-call report (the reconciler case); GET /call still has the facts', async () => {
    await setup({ outcomeMix: { answered: 1 }, webhook: { dropTypes: ['end-of-call-report'] } });
    const placed = await vapi.placeCall(planFor());
    await fake.waitForIdle(10_000);
    expect(receiver.types()).not.toContain('end-of-call-report');
    if (placed.kind !== 'placed') throw new Error();
    expect(await vapi.getCall(placed.providerCallId)).toMatchObject({ status: 'ended', report: { outcome: 'completed' } });
  });
});
