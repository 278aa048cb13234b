import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';
import { endOfCallReport, postVapi, seedPlacedCall, statusUpdate, VAPI_SECRET, type SeededCall, startApplyWorker } from './results-test-support';

// Webhooks arrive out of order and more than once (design.md §4.5). Every ordering of one call's
// five messages must leave the same final call row, the same campaign-contact state and exactly
// one count in the analytics rollup.

let ctx: TestContext;
let applier: ReturnType<typeof startApplyWorker>;
let portalId: string;
let campaignId: string;

beforeAll(async () => {
  ctx = await createTestContext({ VAPI_WEBHOOK_SECRET: VAPI_SECRET });
  applier = startApplyWorker(ctx);
  portalId = (await createPortalWithKey(ctx.deps.db)).portal.id;
  campaignId = (await ctx.deps.db.campaign.create({ data: { portalId, name: 'Order', state: 'running' } })).id;
});
afterAll(async () => {
  await applier.close();
  await ctx.close();
});

const T0 = Date.parse('2026-11-20T15:00:00.000Z');
const messagesFor = (c: SeededCall) => [
  statusUpdate(c, 'queued', T0 + 100),
  statusUpdate(c, 'ringing', T0 + 2_000),
  statusUpdate(c, 'in-progress', T0 + 10_000),
  statusUpdate(c, 'ended', T0 + 85_500, { endedReason: 'customer-ended-call' }),
  endOfCallReport(c, { timestamp: T0 + 90_000 }),
];

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

// Everything that describes the call, without the ids that differ from one call to the next.
async function finalRow(c: SeededCall) {
  const { id: _id, providerCallId: _p, idempotencyKey: _k, campaignContactId: _cc, contactId: _ct, toPhone: _t, createdAt: _c, updatedAt: _u, lastEventAt: _l, recordingUrl, ...rest } =
    await ctx.deps.db.call.findUniqueOrThrow({ where: { id: c.callId } });
  const cc = await ctx.deps.db.campaignContact.findUniqueOrThrow({ where: { id: c.campaignContactId } });
  return { ...rest, cost: rest.cost?.toString(), recordingUrl: recordingUrl?.replace(c.providerCallId, 'X'), contactState: cc.state, lastOutcome: cc.lastOutcome };
}

it('gives the same final row for all 120 orders of queued, ringing, in-progress, ended and the report', async () => {
  const orders = permutations([0, 1, 2, 3, 4]);
  expect(orders).toHaveLength(120);
  // Each order is its own call, so four run side by side (each still in its own order): the
  // rollup rows they share are then also written concurrently, and the test takes a quarter of
  // the time on a loaded machine.
  const rows: Array<Awaited<ReturnType<typeof finalRow>>> = new Array(orders.length);
  let next = 0;
  const lane = async () => {
    for (let k = next++; k < orders.length; k = next++) {
      const c = await seedPlacedCall(ctx.deps.db, { portalId, campaignId });
      const msgs = messagesFor(c);
      for (const i of orders[k]!) expect((await postVapi(ctx.app, msgs[i])).status).toBe(200);
      rows[k] = await finalRow(c);
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
  const first = rows[0]!;
  expect(first).toMatchObject({
    status: 'ended',
    outcome: 'completed',
    disposition: 'completed',
    endedReason: 'customer-ended-call',
    startedAt: new Date('2026-11-20T15:00:10.000Z'),
    endedAt: new Date('2026-11-20T15:01:25.500Z'),
    durationSec: 75.5,
    cost: '0.1234',
    contactState: 'done',
    lastOutcome: 'completed',
  });
  rows.forEach((row, i) => expect({ order: orders[i], row }).toEqual({ order: orders[i], row: first }));
  const stats = await ctx.deps.db.callStat.findMany({ where: { campaignId } });
  expect(stats.reduce((n, s) => n + s.calls, 0)).toBe(120);
  const hist = await ctx.deps.db.callDurationStat.findMany({ where: { campaignId } });
  expect(hist.map((h) => [h.seconds, h.calls])).toEqual([[75, 120]]);
}, 240_000);

it('ignores repeats in any order: every message twice, interleaved, still one finalisation', async () => {
  const c = await seedPlacedCall(ctx.deps.db, { portalId });
  const msgs = messagesFor(c);
  for (const i of [4, 2, 4, 0, 3, 1, 2, 3, 0, 1]) expect((await postVapi(ctx.app, msgs[i])).status).toBe(200);
  expect(await ctx.deps.db.providerEvent.count({ where: { callId: c.callId } })).toBe(5);
  const stats = await ctx.deps.db.callStat.findMany({ where: { campaignId: c.campaignId } });
  expect(stats.map((s) => s.calls)).toEqual([1]);
  expect(await finalRow(c)).toMatchObject({ status: 'ended', outcome: 'completed', contactState: 'done' });
});

it('never moves a call backwards: a late ringing after in-progress leaves it in progress', async () => {
  const c = await seedPlacedCall(ctx.deps.db, { portalId });
  await postVapi(ctx.app, statusUpdate(c, 'in-progress', T0 + 10_000));
  await postVapi(ctx.app, statusUpdate(c, 'ringing', T0 + 2_000));
  await postVapi(ctx.app, statusUpdate(c, 'queued', T0 + 100));
  const call = await ctx.deps.db.call.findUniqueOrThrow({ where: { id: c.callId } });
  expect([call.status, call.startedAt?.toISOString()]).toEqual(['in_progress', new Date(T0 + 10_000).toISOString()]);
});
