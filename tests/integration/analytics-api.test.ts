import request from 'supertest';
import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';
import { graphWith } from '../fixtures/scripts/script-samples';
import { endOfCallReport, postVapi, seedPlacedCall, VAPI_SECRET, startApplyWorker } from './results-test-support';

// The analytics and call-history API over calls finished through the real webhook: every figure
// below is worked out by hand from the eight calls seeded here.

let ctx: TestContext;
let applier: ReturnType<typeof startApplyWorker>;
let auth: Record<string, string>;
let portalId: string;
let campaignId: string;
let variantA: string;
let variantB: string;
const callIds: Record<string, string> = {};
let contactA1: string;

beforeAll(async () => {
  ctx = await createTestContext({ VAPI_WEBHOOK_SECRET: VAPI_SECRET });
  applier = startApplyWorker(ctx);
  const p = await createPortalWithKey(ctx.deps.db);
  auth = p.auth;
  portalId = p.portal.id;
  const db = ctx.deps.db;
  // A script whose rule turns an interested callee into "qualified" (a conversion by default).
  const graph = graphWith([{ id: 'start', type: 'say', text: 'Hi there.', next: 'bye' }, { id: 'bye', type: 'end', disposition: 'completed_call' }], {
    dispositionRules: [{ when: { '==': [{ var: 'structured.interested' }, true] }, outcome: 'qualified' }],
  });
  const script = await request(ctx.app).post('/api/v1/scripts').set(auth).send({ name: 'Analytics', graph }).expect(201);
  const versionId = (await request(ctx.app).post(`/api/v1/scripts/${script.body.id}/publish`).set(auth).send({}).expect(201)).body.version.id;
  const campaign = await db.campaign.create({ data: { portalId, name: 'Spring', state: 'running' } });
  campaignId = campaign.id;
  variantA = (await db.campaignVariant.create({ data: { portalId, campaignId, scriptVersionId: versionId, label: 'A' } })).id;
  variantB = (await db.campaignVariant.create({ data: { portalId, campaignId, scriptVersionId: versionId, label: 'B' } })).id;

  const day1 = new Date('2026-11-20T15:00:00Z');
  const day2 = new Date('2026-11-21T15:00:00Z');
  const interested = { s1: { name: 'interested', result: true } };
  const plan: Array<[string, string, Date, Parameters<typeof endOfCallReport>[1]]> = [
    ['A1', variantA, day1, { durationSeconds: 30.4, cost: 0.1, structuredOutputs: interested }],
    ['A2', variantA, day1, { durationSeconds: 61.9, cost: 0.2 }],
    ['A3', variantA, day1, { endedReason: 'voicemail', durationSeconds: 20, cost: 0.05 }],
    ['B1', variantB, day2, { durationSeconds: 125, cost: 0.3, structuredOutputs: interested }],
    ['B2', variantB, day2, { endedReason: 'customer-did-not-answer', durationSeconds: 0, cost: 0.01 }],
    ['B3', variantB, day2, { endedReason: 'customer-busy', durationSeconds: 0, cost: 0 }],
    ['B4', variantB, day2, { durationSeconds: 45.2, cost: 0.15, structuredOutputs: { ...interested, o: { name: 'optOut', result: true } } }],
    ['B5', variantB, day2, { endedReason: 'twilio-failed-to-connect-call', durationSeconds: 0, cost: 0.03 }],
  ];
  for (const [name, variantId, placedAt, report] of plan) {
    const c = await seedPlacedCall(db, { portalId, campaignId, variantId, placedAt, scriptVersionId: versionId });
    callIds[name] = c.callId;
    if (name === 'A1') contactA1 = c.contactId;
    expect((await postVapi(ctx.app, endOfCallReport(c, report))).status).toBe(200);
  }
  // Still talking: dialed, not finished.
  await seedPlacedCall(db, { portalId, campaignId, variantId: variantA, placedAt: day1 });
  // A dial-time refusal kept as audit: never dialed, never counted.
  const skipped = await seedPlacedCall(db, { portalId, campaignId, providerCallId: null, placedAt: null });
  await db.call.update({ where: { id: skipped.callId }, data: { status: 'ended', outcome: 'skipped_dnc', endedReason: 'skipped:dnc' } });
  // An earlier call of A1's contact that was never dialed, for the history's includeSkipped.
  await db.call.create({ data: { portalId, contactId: contactA1, idempotencyKey: 'skip-a1', toPhone: '+12025550000', status: 'ended', outcome: 'skipped_window', createdAt: new Date('2026-11-19T00:00:00Z') } });
});
afterAll(async () => {
  await applier.close();
  await ctx.close();
});

it('gives a campaign its totals, rates, durations, cost, days, variants and ended reasons', async () => {
  const res = await request(ctx.app).get(`/api/v1/analytics/campaigns/${campaignId}`).set(auth).expect(200);
  const a = res.body;
  expect(a.campaign).toMatchObject({ id: campaignId, name: 'Spring' });
  expect(a.totals).toEqual({ dialed: 9, finished: 8, inProgress: 1, connected: 4, voicemail: 1, noAnswer: 1, busy: 1, failed: 1, cancelled: 0, capacity: 0, optedOut: 1, converted: 2 });
  expect(a.rates).toEqual({ connected: 0.5, voicemail: 0.125, noAnswer: 0.125, busy: 0.125, failed: 0.125, optedOut: 0.125, converted: 0.25, convertedOfConnected: 0.5 });
  // Connected calls: 30.4, 61.9, 125 and 45.2 s → whole seconds 30, 45, 61, 125.
  expect(a.duration).toEqual({ connectedSec: 262.5, avgSec: 65.625, p50Sec: 45, p90Sec: 125, p99Sec: 125 });
  expect(a.cost).toEqual({ totalUsd: 0.84, perCallUsd: 0.105, perConnectedUsd: 0.21 });
  expect(a.byOutcome).toEqual({ completed: 4, voicemail: 1, no_answer: 1, busy: 1, failed_transient: 1 });
  // A2 never reached the script's end node (no tool calls), so its class name stands.
  expect(a.byDisposition).toEqual({ qualified: 2, completed: 1, opted_out: 1, voicemail: 1, no_answer: 1, busy: 1, failed_transient: 1 });
  expect(a.byDay.map((d: any) => [d.day, d.finished, d.connected, d.converted, d.costUsd])).toEqual([
    ['2026-11-20', 3, 2, 1, 0.35],
    ['2026-11-21', 5, 2, 1, 0.49],
  ]);
  const byLabel = Object.fromEntries(a.byVariant.map((v: any) => [v.label, v]));
  expect(byLabel.A).toMatchObject({ variantId: variantA, finished: 3, connected: 2, converted: 1, optedOut: 0, duration: { p50Sec: 30, p90Sec: 61, avgSec: 46.15 } });
  expect(byLabel.B).toMatchObject({ variantId: variantB, finished: 5, connected: 2, converted: 1, optedOut: 1, duration: { p50Sec: 45, p99Sec: 125 } });
  expect(a.topEndedReasons[0]).toEqual({ endedReason: 'customer-ended-call', outcome: 'completed', calls: 4 });
  expect(a.topEndedReasons).toHaveLength(5);
  expect(a.byCampaign).toBeUndefined();
});

it('narrows to a range of days, percentiles included', async () => {
  const a = (await request(ctx.app).get(`/api/v1/analytics/campaigns/${campaignId}?from=2026-11-21&to=2026-11-21`).set(auth).expect(200)).body;
  expect(a.range).toEqual({ from: '2026-11-21', to: '2026-11-21' });
  expect(a.totals).toMatchObject({ finished: 5, inProgress: 0, connected: 2 });
  expect(a.duration).toMatchObject({ p50Sec: 45, p90Sec: 125 });
  const bad = await request(ctx.app).get(`/api/v1/analytics/campaigns/${campaignId}?from=2026-11-22&to=2026-11-21`).set(auth).expect(400);
  expect(bad.body.error.code).toBe('VALIDATION_FAILED');
});

it('sums the portal, with a per-campaign breakdown', async () => {
  const a = (await request(ctx.app).get('/api/v1/analytics/portal').set(auth).expect(200)).body;
  expect(a.totals).toMatchObject({ dialed: 9, finished: 8, converted: 2 });
  expect(a.byCampaign).toEqual([expect.objectContaining({ campaignId, name: 'Spring', finished: 8, connected: 4 })]);
});

it("reads one call in full, and a contact's history with summaries and transcripts", async () => {
  const call = (await request(ctx.app).get(`/api/v1/calls/${callIds.A1}`).set(auth).expect(200)).body;
  expect(call).toMatchObject({ id: callIds.A1, outcome: 'completed', disposition: 'qualified', durationSec: 30.4, costUsd: 0.1, dialed: true });
  expect(call.transcript).toMatch(/^AI: /);
  expect(call.messages).toHaveLength(2);
  expect(call.structuredOutputs).toEqual({ interested: true });
  const history = (await request(ctx.app).get(`/api/v1/contacts/${contactA1}/calls`).set(auth).expect(200)).body;
  expect(history.items.map((c: any) => [c.id, c.summary])).toEqual([[callIds.A1, 'The contact wants a quote next week.']]);
  const withSkipped = (await request(ctx.app).get(`/api/v1/contacts/${contactA1}/calls?includeSkipped=true&limit=1`).set(auth).expect(200)).body;
  expect(withSkipped.items).toHaveLength(1);
  const next = (await request(ctx.app).get(`/api/v1/contacts/${contactA1}/calls?includeSkipped=true&limit=1&cursor=${withSkipped.nextCursor}`).set(auth).expect(200)).body;
  expect(next.items.map((c: any) => [c.outcome, c.dialed])).toEqual([['skipped_window', false]]);
  expect(next.nextCursor).toBeNull();
  await request(ctx.app).get('/api/v1/calls/00000000-0000-4000-8000-000000000000').set(auth).expect(404);
});
