import request from 'supertest';
import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';
import { solarGraph } from '../fixtures/scripts/script-samples';
import { endOfCallReport, postVapi, seedPlacedCall, VAPI_SECRET, startApplyWorker } from './results-test-support';

// An opt-out heard on a call (design.md §4.4): the number goes on the portal's DNC list and the
// contact's waiting attempts in every campaign of the portal are cancelled, in the transaction
// that finalises the call. Three ways to hear it: a structured output, the script's next_step
// tool with optOut, and (implicitly) the script's opt_out node that tool leads to.

let ctx: TestContext;
let applier: ReturnType<typeof startApplyWorker>;
let portalId: string;
let auth: Record<string, string>;

beforeAll(async () => {
  ctx = await createTestContext({ VAPI_WEBHOOK_SECRET: VAPI_SECRET });
  applier = startApplyWorker(ctx);
  ({ auth } = await createPortalWithKey(ctx.deps.db));
  portalId = (await ctx.deps.db.apiKey.findFirstOrThrow({ orderBy: { createdAt: 'desc' } })).portalId;
});
afterAll(async () => {
  await applier.close();
  await ctx.close();
});

/** The same contact waiting in three other campaigns (pending, queued with a planned call, retry_wait) and dialing in a fourth. */
async function otherCampaigns(contactId: string) {
  const db = ctx.deps.db;
  const states = ['pending', 'queued', 'retry_wait', 'dialing'] as const;
  const out: Record<string, { ccId: string; plannedCallId?: string }> = {};
  for (const state of states) {
    const campaign = await db.campaign.create({ data: { portalId, name: `Other ${state}`, state: 'running' } });
    const cc = await db.campaignContact.create({ data: { portalId, campaignId: campaign.id, contactId, state, nextAttemptAt: state === 'retry_wait' ? new Date(Date.now() + 3_600_000) : null } });
    const contact = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
    const planned =
      state === 'queued' || state === 'dialing'
        ? await db.call.create({
            data: { portalId, campaignId: campaign.id, campaignContactId: cc.id, contactId, idempotencyKey: `planned-${cc.id}`, toPhone: contact.phone, ...(state === 'dialing' ? { dialStartedAt: new Date() } : {}) },
          })
        : undefined;
    out[state] = { ccId: cc.id, plannedCallId: planned?.id };
  }
  return out;
}

async function expectOptedOut(c: { callId: string; campaignContactId: string; contactId: string; phone: string }, others: Awaited<ReturnType<typeof otherCampaigns>>) {
  const db = ctx.deps.db;
  const call = await db.call.findUniqueOrThrow({ where: { id: c.callId } });
  expect([call.isOptOut, call.disposition, call.outcome]).toEqual([true, 'opted_out', 'completed']);
  const dnc = await db.dncEntry.findUniqueOrThrow({ where: { portalId_phone: { portalId, phone: c.phone } } });
  expect([dnc.source, dnc.createdBy]).toEqual(['call_opt_out', `call:${c.callId}`]);
  const own = await db.campaignContact.findUniqueOrThrow({ where: { id: c.campaignContactId } });
  expect([own.state, own.lastOutcome]).toEqual(['done', 'opted_out']);
  const states = Object.fromEntries(
    await Promise.all(Object.entries(others).map(async ([k, v]) => [k, await db.campaignContact.findUniqueOrThrow({ where: { id: v.ccId } })] as const)),
  );
  expect(Object.fromEntries(Object.entries(states).map(([k, v]) => [k, [v.state, v.skipReason]]))).toEqual({
    pending: ['cancelled', 'dnc'],
    queued: ['cancelled', 'dnc'],
    retry_wait: ['cancelled', 'dnc'],
    // Already claimed by a dial worker: left to its dial-time DNC check.
    dialing: ['dialing', null],
  });
  // The planned, never-claimed call went with its cancelled contact; the claimed one stays.
  expect(await db.call.count({ where: { id: others.queued!.plannedCallId } })).toBe(0);
  expect(await db.call.count({ where: { id: others.dialing!.plannedCallId } })).toBe(1);
}

it('a structured output optOut=true puts the number on DNC and cancels the waiting attempts everywhere', async () => {
  const c = await seedPlacedCall(ctx.deps.db, { portalId });
  const others = await otherCampaigns(c.contactId);
  const res = await postVapi(ctx.app, endOfCallReport(c, { structuredOutputs: { 'a1b2': { name: 'optOut', result: true } } }));
  expect(res.status).toBe(200);
  await expectOptedOut(c, others);
});

it('an opt-out heard by the script (next_step optOut) counts even when the report says nothing about it', async () => {
  const script = await request(ctx.app).post('/api/v1/scripts').set(auth).send({ name: 'Solar', graph: solarGraph() }).expect(201);
  const versionId = (await request(ctx.app).post(`/api/v1/scripts/${script.body.id}/publish`).set(auth).send({}).expect(201)).body.version.id;
  const c = await seedPlacedCall(ctx.deps.db, { portalId, scriptVersionId: versionId });
  const others = await otherCampaigns(c.contactId);
  const tool = await postVapi(ctx.app, {
    message: {
      type: 'tool-calls',
      timestamp: Date.now(),
      call: { id: c.providerCallId, assistantOverrides: { metadata: { attemptId: c.callId } } },
      toolCallList: [{ id: 'tc-opt', name: 'next_step', parameters: { optOut: true } }],
    },
  });
  expect(tool.status).toBe(200);
  expect(tool.body.results[0].result).toMatch(/won't call you again/);
  const res = await postVapi(ctx.app, endOfCallReport(c));
  expect(res.status).toBe(200);
  await expectOptedOut(c, others);
  // The tool-calls message itself was kept as the raw record too.
  await new Promise((r) => setTimeout(r, 100));
  expect(await ctx.deps.db.providerEvent.count({ where: { callId: c.callId, type: 'tool-calls' } })).toBe(1);
});

it('a call without an opt-out leaves DNC and the other campaigns alone', async () => {
  const c = await seedPlacedCall(ctx.deps.db, { portalId });
  const others = await otherCampaigns(c.contactId);
  await postVapi(ctx.app, endOfCallReport(c, { structuredOutputs: { x: { name: 'optOut', result: false } } }));
  expect(await ctx.deps.db.dncEntry.count({ where: { portalId, phone: c.phone } })).toBe(0);
  const pending = await ctx.deps.db.campaignContact.findUniqueOrThrow({ where: { id: others.pending!.ccId } });
  expect(pending.state).toBe('pending');
});
