import crypto from 'node:crypto';
import http from 'node:http';
import request from 'supertest';
import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';
import { listen } from '../../backend/src/http-server';
import { rebuildCallRollups } from '../../backend/src/domain/analytics/call-rollup-rebuild';
import { VAPI_SECRET, endOfCallReport, startApplyWorker, statusUpdate } from './results-test-support';
import { signRetellPayload } from '../../backend/src/providers/voice/retell/retell-webhook-auth';

// A webhook storm, per provider: every call's messages (Vapi: status updates, transcripts,
// reports; Retell: call_started, call_ended, call_analyzed and transcript_updated, which is stored
// and ignored), 30% of them delivered twice, all shuffled and posted 8 at a time over real HTTP.
// The analytics must come out exactly as the calls were generated, and the rollups built
// incrementally must equal a rebuild from the call rows. 1,000 calls per provider (measured: about
// 20-25 s each on 2 shared cores).

const RETELL_KEY = 'storm-retell-key';
let ctx: TestContext;
let server: Awaited<ReturnType<typeof listen>>;
let applier: ReturnType<typeof startApplyWorker>;

beforeAll(async () => {
  ctx = await createTestContext({ VAPI_WEBHOOK_SECRET: VAPI_SECRET, RETELL_API_KEY: RETELL_KEY });
  server = await listen(ctx.app, 0, '127.0.0.1');
  applier = startApplyWorker(ctx);
});
afterAll(async () => {
  await applier.close();
  await server.close();
  await ctx.close();
});

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

type Kind = 'answered' | 'opt_out' | 'no_answer' | 'busy' | 'voicemail' | 'failed';
type Provider = 'vapi' | 'retell';
const REASONS: Record<Provider, Record<Kind, string>> = {
  vapi: {
    answered: 'customer-ended-call',
    opt_out: 'assistant-ended-call',
    no_answer: 'customer-did-not-answer',
    busy: 'customer-busy',
    voicemail: 'voicemail',
    failed: 'twilio-failed-to-connect-call',
  },
  retell: {
    answered: 'user_hangup',
    opt_out: 'agent_hangup',
    no_answer: 'dial_no_answer',
    busy: 'dial_busy',
    voicemail: 'voicemail_reached',
    failed: 'dial_failed',
  },
};

function post(agent: http.Agent, provider: Provider, body: string): Promise<number> {
  // Retell signs each delivery when it sends it (the timestamp is inside the signature).
  const auth = provider === 'retell' ? { 'x-retell-signature': signRetellPayload(RETELL_KEY, body) } : { 'x-vapi-secret': VAPI_SECRET };
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path: `/webhooks/${provider}`, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...auth } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** One Retell call object as its webhooks carry it, at the given stage. */
function retellCall(s: { callId: string; providerCallId: string; kind: Kind; connected: boolean; duration: number; cost: number }, t0: number, stage: 'started' | 'ended' | 'analyzed') {
  const reason = REASONS.retell[s.kind];
  const reached = s.connected || s.kind === 'voicemail';
  const base: Record<string, unknown> = { call_id: s.providerCallId, call_type: 'phone_call', direction: 'outbound', agent_id: 'agent_storm', from_number: '+14155550100', to_number: '+13035550000', metadata: { attemptId: s.callId } };
  if (stage === 'started') return { ...base, call_status: 'ongoing', start_timestamp: t0 + 8_000 };
  const ended = {
    ...base,
    call_status: reached ? 'ended' : 'not_connected',
    disconnection_reason: reason,
    ...(reached ? { start_timestamp: t0 + 8_000 } : {}),
    end_timestamp: t0 + 9_000 + s.duration * 1000,
    duration_ms: Math.round(s.duration * 1000),
    // Retell states cost in cents.
    call_cost: { combined_cost: Math.round(s.cost * 100 * 100) / 100, product_costs: [], total_duration_seconds: Math.round(s.duration), total_duration_unit_price: 0.1 },
    transcript: reached ? 'Agent: Hello.\nUser: Hi.' : '',
  };
  if (stage === 'ended') return ended;
  return { ...ended, call_analysis: { call_summary: 'Summary.', call_successful: s.kind === 'answered', in_voicemail: s.kind === 'voicemail', user_sentiment: 'Neutral', custom_analysis_data: s.kind === 'opt_out' ? { optOut: true } : {} } };
}

it.each([
  ['vapi', 1_000],
  ['retell', 1_000],
] as const)('%s: turns shuffled, 30%%-duplicated events for %i calls into exact analytics', async (provider, CALLS) => {
  const REASON = REASONS[provider];
  const db = ctx.deps.db;
  const { portal, auth } = await createPortalWithKey(db);
  await db.portal.update({ where: { id: portal.id }, data: { settings: { conversionDispositions: ['completed'] } } });
  const campaign = await db.campaign.create({ data: { portalId: portal.id, name: 'Storm', state: 'running', maxAttempts: 1 } });
  const rand = rng(20261124);
  const kinds: Kind[] = ['answered', 'answered', 'answered', 'answered', 'opt_out', 'no_answer', 'no_answer', 'busy', 'voicemail', 'failed'];

  // The calls as the dialer leaves them: contact in a call, attempt queued at the provider.
  const specs = Array.from({ length: CALLS }, (_, i) => {
    const kind = kinds[Math.floor(rand() * kinds.length)]!;
    const connected = kind === 'answered' || kind === 'opt_out';
    const duration = connected ? Math.round((5 + rand() * 400) * 1000) / 1000 : kind === 'voicemail' ? 25 : 0;
    const cost = Math.round(rand() * 3000) / 10000;
    return { i, callId: crypto.randomUUID(), contactId: crypto.randomUUID(), ccId: crypto.randomUUID(), providerCallId: `storm-${provider}-${i}`, kind, connected, duration, cost, day: i % 2 ? '2026-11-20' : '2026-11-21', transcripts: 2 + Math.floor(rand() * 4) };
  });
  await db.contact.createMany({ data: specs.map((s) => ({ id: s.contactId, portalId: portal.id, phone: `+1303555${String(s.i).padStart(4, '0')}` })) });
  await db.campaignContact.createMany({ data: specs.map((s) => ({ id: s.ccId, portalId: portal.id, campaignId: campaign.id, contactId: s.contactId, state: 'in_call' as const, attempts: 1 })) });
  await db.call.createMany({
    data: specs.map((s) => ({
      id: s.callId,
      portalId: portal.id,
      campaignId: campaign.id,
      campaignContactId: s.ccId,
      contactId: s.contactId,
      idempotencyKey: `storm-${provider}-${s.i}`,
      provider,
      toPhone: `+1303555${String(s.i).padStart(4, '0')}`,
      providerCallId: s.providerCallId,
      status: 'queued' as const,
      placedAt: new Date(`${s.day}T12:00:00Z`),
    })),
  });

  // Every message of every call, then 30% of them again, all shuffled.
  const unique: string[] = [];
  for (const s of specs) {
    const c = { callId: s.callId, providerCallId: s.providerCallId };
    const t0 = Date.parse(`${s.day}T12:00:00Z`);
    if (provider === 'retell') {
      if (s.connected || s.kind === 'voicemail') unique.push(JSON.stringify({ event: 'call_started', call: retellCall(s, t0, 'started') }));
      // Not applied (only the three call events are); stored and acknowledged as ignored.
      for (let k = 0; k < s.transcripts; k++) unique.push(JSON.stringify({ event: 'transcript_updated', call: { ...retellCall(s, t0, 'started'), transcript: `line ${k}` } }));
      unique.push(JSON.stringify({ event: 'call_ended', call: retellCall(s, t0, 'ended') }));
      unique.push(JSON.stringify({ event: 'call_analyzed', call: retellCall(s, t0, 'analyzed') }));
      continue;
    }
    unique.push(JSON.stringify(statusUpdate(c, 'queued', t0 + 1)), JSON.stringify(statusUpdate(c, 'ringing', t0 + 2_000)));
    if (s.connected || s.kind === 'voicemail') unique.push(JSON.stringify(statusUpdate(c, 'in-progress', t0 + 8_000)));
    for (let k = 0; k < s.transcripts; k++) {
      unique.push(JSON.stringify({ message: { type: 'transcript', role: k % 2 ? 'user' : 'assistant', transcriptType: 'final', transcript: `line ${k}`, timestamp: t0 + 9_000 + k, call: { id: s.providerCallId, assistantOverrides: { metadata: { attemptId: s.callId } } } } }));
    }
    unique.push(JSON.stringify(statusUpdate(c, 'ended', t0 + 9_000 + s.duration * 1000, { endedReason: REASON[s.kind] })));
    unique.push(
      JSON.stringify(
        endOfCallReport(c, {
          endedReason: REASON[s.kind],
          durationSeconds: s.duration,
          cost: s.cost,
          ...(s.kind === 'opt_out' ? { structuredOutputs: { o: { name: 'optOut', result: true } } } : {}),
        }),
      ),
    );
  }
  const all = [...unique, ...unique.filter(() => rand() < 0.3)];
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  expect(all.length).toBeGreaterThanOrEqual(CALLS * (provider === 'vapi' ? 9 : 6));

  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const started = Date.now();
  let next = 0;
  const statuses: number[] = [];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < all.length) statuses.push(await post(agent, provider, all[next++]!));
    }),
  );
  agent.destroy();
  // Reports are finalised by the webhooks.apply worker; wait for it to catch up.
  await applier.settle(120_000);
  const seconds = (Date.now() - started) / 1000;
  expect(statuses.filter((s) => s !== 200)).toEqual([]);
  expect(await db.providerEvent.count({ where: { portalId: portal.id } })).toBe(unique.length);

  // What the generated calls say the analytics must be.
  const connected = specs.filter((s) => s.connected);
  const count = (k: Kind) => specs.filter((s) => s.kind === k).length;
  const floors = connected.map((s) => Math.floor(s.duration)).sort((a, b) => a - b);
  const rank = (p: number) => floors[Math.ceil((p / 100) * floors.length) - 1];
  const a = (await request(ctx.app).get(`/api/v1/analytics/campaigns/${campaign.id}`).set(auth).expect(200)).body;
  expect(a.totals).toEqual({
    dialed: CALLS,
    finished: CALLS,
    inProgress: 0,
    connected: connected.length,
    voicemail: count('voicemail'),
    noAnswer: count('no_answer'),
    busy: count('busy'),
    failed: count('failed'),
    cancelled: 0,
    capacity: 0,
    optedOut: count('opt_out'),
    converted: count('answered'),
  });
  expect([a.duration.p50Sec, a.duration.p90Sec, a.duration.p99Sec]).toEqual([rank(50), rank(90), rank(99)]);
  expect(a.duration.connectedSec).toBeCloseTo(connected.reduce((n, s) => n + s.duration, 0), 2);
  expect(a.cost.totalUsd).toBeCloseTo(specs.reduce((n, s) => n + s.cost, 0), 3);
  expect(a.byDay.map((d: any) => [d.day, d.finished])).toEqual([
    ['2026-11-20', specs.filter((s) => s.day === '2026-11-20').length],
    ['2026-11-21', specs.filter((s) => s.day === '2026-11-21').length],
  ]);
  const reasons = Object.fromEntries(a.topEndedReasons.map((r: any) => [r.endedReason, r.calls]));
  expect(reasons[REASON.busy]).toBe(count('busy'));
  expect(reasons[REASON.answered]).toBe(count('answered'));

  // Each contact moved on exactly once; the opt-outs are on the DNC list.
  const states = await db.campaignContact.groupBy({ by: ['state'], where: { campaignId: campaign.id }, _count: true });
  expect(states.reduce((n, s) => n + s._count, 0)).toBe(CALLS);
  expect(states.find((s) => s.state === 'in_call')).toBeUndefined();
  expect(await db.dncEntry.count({ where: { portalId: portal.id, source: 'call_opt_out' } })).toBe(count('opt_out'));

  // The incremental rollups equal a rebuild from the calls themselves.
  const snapshot = async () => ({
    stats: (await db.callStat.findMany({ where: { portalId: portal.id } }))
      .map((r) => ({ ...r, cost: r.cost.toFixed(4), durationSec: r.durationSec.toFixed(3), day: r.day.toISOString() }))
      .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
    hist: (await db.callDurationStat.findMany({ where: { portalId: portal.id } })).map((r) => ({ ...r, day: r.day.toISOString() })).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
  });
  const incremental = await snapshot();
  await rebuildCallRollups(db, portal.id);
  expect(await snapshot()).toEqual(incremental);
  console.log(`storm (${provider}): ${all.length} deliveries (${unique.length} unique) for ${CALLS} calls in ${seconds.toFixed(1)} s`);
}, 300_000);
