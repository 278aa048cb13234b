import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { startHubSpotHarness, TEST_CLIENT_ID, type HubSpotHarness } from './hubspot-test-support';
import { seedContacts } from '../../fakes/hubspot/seed';
import { writebackOf } from '../../fakes/hubspot/routes/writeback.routes';
import { saveInstall } from '../../backend/src/hubspot/oauth/token-store';
import { finalizeCall } from '../../backend/src/domain/calls/call-finalize.service';
import { sendOutboxRow } from '../../backend/src/domain/outbox/outbox-sender.service';
import { createOutboxSenderDeps } from '../../backend/src/outbox-deps.factory';
import { outboxDrain } from '../../worker/src/processors/outbox-drain.processor';
import { parseVapiEvent } from '../../backend/src/providers/voice/vapi/vapi-event.mapper';
import type { CallReport } from '../../backend/src/providers/voice/voice-provider';
import { HUBSPOT_SCOPES } from '../../backend/src/hubspot/scopes';
import { TEST_REDIS_URL } from '../support/test-redis';
import { VAPI_SECRET, endOfCallReport, postVapi, resultsDepsFor, seedPlacedCall, startApplyWorker, type ReportOptions, type SeededCall } from './results-test-support';

// HubSpot write-back through the outbox, against the HubSpot fake with the real SDK: a Call
// engagement on the contact (association 194), our contact properties in our own group, an app
// timeline event when configured, CSV contacts matched by phone; and after 429s, 5xx and a
// lost answer, exactly one engagement.

let h: HubSpotHarness;
let applier: ReturnType<typeof startApplyWorker>;
let hubSeq = 770000;
// What the app asks for at install (scopes.ts), plus `timeline`, granted only to apps HubSpot approved for app events.
const SCOPES = [...HUBSPOT_SCOPES, 'timeline'];

beforeAll(async () => {
  h = await startHubSpotHarness({ VAPI_WEBHOOK_SECRET: VAPI_SECRET });
  applier = startApplyWorker(h.ctx);
});
afterAll(async () => {
  await applier.close();
  await h.close();
});

async function installedPortal(settings: Record<string, unknown> = {}, scopes: string[] = SCOPES) {
  const hubId = ++hubSeq;
  const grant = { hubId, scopes, clientId: TEST_CLIENT_ID, userId: 1, user: 'owner@fake.test' };
  h.fake.state.account(hubId);
  const tokens = { accessToken: h.fake.state.issueAccessToken(grant).token, refreshToken: h.fake.state.issueRefreshToken(grant), expiresInSec: 1800 };
  const { portalId } = await saveInstall(h.ctx.deps.db, h.ctx.deps.cipher, { hubId, name: `Hub ${hubId}`, tokens, scopes });
  await h.ctx.deps.db.portal.update({ where: { id: portalId }, data: { settings: JSON.parse(JSON.stringify(settings)) } });
  return { hubId, portalId };
}

/** A placed call for a contact HubSpot knows (or, with hubspotContactId null, one from a CSV). */
async function placedCallFor(portalId: string, hubId: number, opts: { inHubSpot?: boolean; linked?: boolean } = {}) {
  const c = await seedPlacedCall(h.ctx.deps.db, { portalId });
  let hubspotContactId: string | null = null;
  if (opts.inHubSpot ?? true) {
    hubspotContactId = seedContacts(h.fake.state, hubId, [{ firstname: 'Ada', phone: c.phone, email: `ada-${c.callId}@example.test` }])[0]!.id;
    if (opts.linked ?? true) await h.ctx.deps.db.contact.update({ where: { id: c.contactId }, data: { hubspotContactId } });
  }
  return { ...c, hubspotContactId };
}

const reportOf = (c: SeededCall, o: ReportOptions = {}): CallReport => {
  const parsed = parseVapiEvent(endOfCallReport(c, o));
  if (!parsed.ok || parsed.event.kind !== 'ended') throw new Error('bad report');
  return parsed.event.report;
};

const outboxOf = (callId: string) => h.ctx.deps.db.outbox.findMany({ where: { aggregateId: callId }, orderBy: { kind: 'asc' } });
const sender = () => createOutboxSenderDeps(h.ctx.deps);
const callsOf = (hubId: number) => [...h.fake.state.account(hubId).calls.values()];

it('writes a Call engagement, our contact properties and a timeline event for a finished call', async () => {
  const { hubId, portalId } = await installedPortal({ hubspotTimelineEventTemplateId: 'tmpl-ai-call' });
  const c = await placedCallFor(portalId, hubId);
  expect((await postVapi(h.ctx.app, endOfCallReport(c, { durationSeconds: 75.5 }))).status).toBe(200);
  const rows = await outboxOf(c.callId);
  expect(rows.map((r) => [r.kind, r.status, r.dedupeKey])).toEqual([
    ['hubspot.call', 'pending', `hubspot.call:${c.callId}`],
    ['hubspot.contact', 'pending', `hubspot.contact:${c.callId}`],
    ['hubspot.timeline', 'pending', `hubspot.timeline:${c.callId}`],
  ]);
  for (const r of rows) expect(await sendOutboxRow(sender(), r.id, { finalTry: false })).toMatchObject({ kind: 'sent' });

  const [engagement, ...more] = callsOf(hubId);
  expect(more).toHaveLength(0);
  expect(engagement!.properties).toMatchObject({
    hs_call_direction: 'OUTBOUND',
    hs_call_status: 'COMPLETED',
    hs_call_duration: '75500',
    hs_call_external_id: `hac-${c.callId}`,
    hs_call_recording_url: `https://storage.example.test/${c.providerCallId}.wav`,
    hs_timestamp: '2026-11-20T15:00:10.000Z',
  });
  expect(engagement!.properties.hs_call_title).toBe(`AI call: Connected (${(await h.ctx.deps.db.campaign.findFirstOrThrow({ where: { portalId } })).name})`);
  expect(engagement!.properties.hs_call_body).toContain('The contact wants a quote next week.');
  expect(engagement!.properties.hs_call_body).toContain('Connected');
  expect(engagement!.properties.hs_call_body).not.toContain('User:');
  expect(h.fake.state.account(hubId).associations).toEqual([expect.objectContaining({ fromId: engagement!.id, toId: c.hubspotContactId, typeId: 194 })]);
  const sent = await outboxOf(c.callId);
  expect(sent.find((r) => r.kind === 'hubspot.call')!.hubspotObjectId).toBe(engagement!.id);

  const contact = h.fake.state.account(hubId).contacts.get(c.hubspotContactId!)!;
  expect(contact.properties).toMatchObject({ ai_call_count: '1', ai_opted_out: 'false', ai_last_call_outcome: 'completed', ai_last_call_at: '2026-11-20T15:00:00.000Z' });
  const w = writebackOf(h.fake.state, hubId);
  expect(w.groups.get('contacts')).toEqual(new Set(['ai_calling']));
  expect([...w.properties.get('contacts')!.keys()].sort()).toEqual(['ai_call_count', 'ai_last_call_at', 'ai_last_call_outcome', 'ai_opted_out']);
  expect([...w.timelineEvents.values()]).toEqual([expect.objectContaining({ id: `hac-${c.callId}`, eventTemplateId: 'tmpl-ai-call', objectId: c.hubspotContactId, tokens: expect.objectContaining({ outcome: 'Connected' }) })]);
});

it('writes the engagement and contact properties with exactly the scopes the app asks for at install', async () => {
  const { hubId, portalId } = await installedPortal({}, [...HUBSPOT_SCOPES]);
  const c = await placedCallFor(portalId, hubId);
  expect((await postVapi(h.ctx.app, endOfCallReport(c))).status).toBe(200);
  const rows = await outboxOf(c.callId);
  expect(rows.map((r) => r.kind)).toEqual(['hubspot.call', 'hubspot.contact']);
  for (const r of rows) expect(await sendOutboxRow(sender(), r.id, { finalTry: false })).toMatchObject({ kind: 'sent' });
  expect(callsOf(hubId)).toHaveLength(1);
  expect(h.fake.state.account(hubId).contacts.get(c.hubspotContactId!)!.properties).toMatchObject({ ai_call_count: '1', ai_last_call_outcome: 'completed' });
  expect([...writebackOf(h.fake.state, hubId).properties.get('contacts')!.keys()]).toContain('ai_call_count');
});

it('never creates a second engagement: a retry after a lost answer finds the first by our external id', async () => {
  const { hubId, portalId } = await installedPortal({ hubspotTimelineEventTemplateId: 'tmpl-ai-call' });
  const c = await placedCallFor(portalId, hubId);
  const result = await finalizeCall(resultsDepsFor(h.ctx), { callId: c.callId, report: reportOf(c), source: 'webhook' });
  if (result.kind !== 'finalized') throw new Error(result.kind);
  for (const id of result.outboxIds) await sendOutboxRow(sender(), id, { finalTry: false });
  // The process died after HubSpot created everything but before our rows said so.
  await h.ctx.deps.db.outbox.updateMany({ where: { aggregateId: c.callId }, data: { status: 'pending', hubspotObjectId: null, sentAt: null } });
  for (const id of result.outboxIds) expect(await sendOutboxRow(sender(), id, { finalTry: false })).toMatchObject({ kind: 'sent' });
  expect(callsOf(hubId)).toHaveLength(1);
  expect(writebackOf(h.fake.state, hubId).timelineEvents.size).toBe(1);
  expect((await outboxOf(c.callId)).find((r) => r.kind === 'hubspot.call')!.hubspotObjectId).toBe(callsOf(hubId)[0]!.id);
  // Finalising again owes nothing more.
  expect((await finalizeCall(resultsDepsFor(h.ctx), { callId: c.callId, report: reportOf(c), source: 'reconciler' })).kind).toBe('already_final');
  expect(await h.ctx.deps.db.outbox.count({ where: { aggregateId: c.callId } })).toBe(3);
});

it('rides out 429s and 5xx through the queue, with BullMQ retries, and ends with exactly one engagement', async () => {
  const { hubId, portalId } = await installedPortal();
  const c = await placedCallFor(portalId, hubId);
  const since = h.fake.state.requests.length;
  h.fake.state.failNext({ status: 429, method: 'POST', path: /^\/crm\/v3\/objects\/calls$/, retryAfterSeconds: 1 });
  h.fake.state.failNext({ status: 503, method: 'POST', path: /^\/crm\/v3\/objects\/calls$/ });
  h.fake.state.failNext({ status: 500, method: 'POST', path: /^\/crm\/v3\/objects\/calls$/ });
  h.fake.state.failNext({ status: 502, method: 'PATCH', path: /^\/crm\/v3\/objects\/contacts\// });
  const results = resultsDepsFor(h.ctx);
  // Same jobs as production, with the catalog's backoff shortened for the test.
  results.kickOutbox = async (ids) => {
    for (const outboxId of ids) await h.ctx.deps.queues.enqueue('outbox.drain', { outboxId }, { jobId: `outbox-${outboxId}`, backoff: { type: 'fixed', delay: 100 } });
  };
  const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const worker = new Worker(
    'hubspot',
    (job: Job, token?: string) => outboxDrain(job.data, { deps: h.ctx.deps, job, token, rateLimit: async () => undefined, dialing: () => { throw new Error('unused'); } } as never),
    { connection, prefix: h.ctx.deps.queues.prefix, concurrency: 2 },
  );
  try {
    await finalizeCall(results, { callId: c.callId, report: reportOf(c), source: 'webhook' });
    const deadline = Date.now() + 20_000;
    let rows = await outboxOf(c.callId);
    while (rows.some((r) => r.status !== 'sent') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      rows = await outboxOf(c.callId);
    }
    expect(rows.map((r) => [r.kind, r.status])).toEqual([['hubspot.call', 'sent'], ['hubspot.contact', 'sent']]);
    const callRow = rows.find((r) => r.kind === 'hubspot.call')!;
    // Four tries: the 429 (a wait, not a spent BullMQ attempt), the 503, the 500, then the create.
    expect(callRow.attempts).toBe(4);
    expect(h.fake.state.requests.slice(since).filter((r) => r.method === 'POST' && r.path === '/crm/v3/objects/calls').map((r) => r.status)).toEqual([429, 503, 500, 201]);
    expect(callsOf(hubId)).toHaveLength(1);
    expect(h.fake.state.account(hubId).contacts.get(c.hubspotContactId!)!.properties.ai_call_count).toBe('1');
  } finally {
    await worker.close();
    connection.disconnect();
  }
}, 30_000);

it('matches a CSV contact by phone when the portal asks for it, and leaves it unsynced otherwise', async () => {
  const matching = await installedPortal({ hubspotMatchCsvContacts: true });
  const c = await placedCallFor(matching.portalId, matching.hubId, { linked: false });
  await postVapi(h.ctx.app, endOfCallReport(c));
  for (const r of await outboxOf(c.callId)) expect(await sendOutboxRow(sender(), r.id, { finalTry: false })).toMatchObject({ kind: 'sent' });
  expect((await h.ctx.deps.db.contact.findUniqueOrThrow({ where: { id: c.contactId } })).hubspotContactId).toBe(c.hubspotContactId);
  expect(h.fake.state.account(matching.hubId).associations.map((a) => a.toId)).toEqual([c.hubspotContactId]);

  const notMatching = await installedPortal();
  const d = await placedCallFor(notMatching.portalId, notMatching.hubId, { linked: false });
  await postVapi(h.ctx.app, endOfCallReport(d));
  expect(await outboxOf(d.callId)).toEqual([]);
  expect((await h.ctx.deps.db.call.findUniqueOrThrow({ where: { id: d.callId } })).outcome).toBe('completed');

  // Matching on, but HubSpot has no such contact: the rows fail with a reason, nothing is written.
  const e = await placedCallFor(matching.portalId, matching.hubId, { inHubSpot: false });
  await postVapi(h.ctx.app, endOfCallReport(e));
  for (const r of await outboxOf(e.callId)) expect(await sendOutboxRow(sender(), r.id, { finalTry: false })).toEqual({ kind: 'failed', reason: 'no HubSpot contact has this phone number or email' });
});

it('fails a row for good on a 4xx that retrying cannot fix, and owes nothing for a capacity refusal', async () => {
  const { hubId, portalId } = await installedPortal();
  const c = await placedCallFor(portalId, hubId);
  h.fake.state.failNext({ status: 400, method: 'POST', path: /^\/crm\/v3\/objects\/calls$/ });
  await postVapi(h.ctx.app, endOfCallReport(c));
  const row = (await outboxOf(c.callId)).find((r) => r.kind === 'hubspot.call')!;
  const outcome = await sendOutboxRow(sender(), row.id, { finalTry: false });
  expect(outcome).toMatchObject({ kind: 'failed' });
  expect((await h.ctx.deps.db.outbox.findUniqueOrThrow({ where: { id: row.id } })).lastError).toMatch(/HTTP 400/);
  expect(callsOf(hubId)).toHaveLength(0);

  const refused = await placedCallFor(portalId, hubId);
  await postVapi(h.ctx.app, endOfCallReport(refused, { endedReason: 'call.start.error-subscription-concurrency-limit-reached' }));
  expect(await outboxOf(refused.callId)).toEqual([]);
});
