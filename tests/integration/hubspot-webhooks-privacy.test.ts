import request from 'supertest';
import { createTestContext, TEST_CLIENT_SECRET, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';
import { signV2, signV3 } from '../../backend/src/hubspot/signature';
import { VAPI_SECRET, endOfCallReport, postVapi, randomPhone, seedPlacedCall, statusUpdate, startApplyWorker } from './results-test-support';
import { createContact } from '../support/factories';
import { HANDLED_HUBSPOT_EVENTS } from '../../backend/src/domain/privacy/hubspot-webhook-events';

// POST /hubspot/webhooks: v3-signed arrays of HubSpot events. Deletions erase the contact's
// personal data (calls keep anonymous figures), a phone change updates the contact, every
// event applies once by its id.

const URL = 'https://calls.example.test/hubspot/webhooks';
let ctx: TestContext;
let applier: ReturnType<typeof startApplyWorker>;
let portalId: string;
let auth: Record<string, string>;
let hubId: number;
let eventSeq = 1000;

beforeAll(async () => {
  ctx = await createTestContext({ VAPI_WEBHOOK_SECRET: VAPI_SECRET });
  applier = startApplyWorker(ctx);
  const p = await createPortalWithKey(ctx.deps.db);
  portalId = p.portal.id;
  auth = p.auth;
  hubId = Number(p.portal.hubId);
});
afterAll(async () => {
  await applier.close();
  await ctx.close();
});

function send(events: unknown[], opts: { sign?: 'v3' | 'v2' | 'none' | 'bad' } = {}) {
  const body = JSON.stringify(events);
  const ts = String(Date.now());
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.sign === 'v2') Object.assign(headers, { 'X-HubSpot-Signature': signV2(TEST_CLIENT_SECRET, 'POST', URL, body), 'X-HubSpot-Signature-Version': 'v2' });
  else if (opts.sign !== 'none') Object.assign(headers, { 'X-HubSpot-Signature-v3': signV3(opts.sign === 'bad' ? 'nope' : TEST_CLIENT_SECRET, 'POST', URL, body, ts), 'X-HubSpot-Request-Timestamp': ts });
  return request(ctx.app).post('/hubspot/webhooks').set(headers).send(body);
}

const event = (subscriptionType: string, objectId: string, extra: Record<string, unknown> = {}) => ({
  eventId: ++eventSeq,
  subscriptionId: 77,
  portalId: hubId,
  appId: 424242,
  occurredAt: Date.now(),
  subscriptionType,
  attemptNumber: 0,
  objectId: Number(objectId),
  changeSource: 'CRM_UI',
  ...extra,
});

/** A contact HubSpot knows, with a finished call (transcript, summary, recording) and a waiting attempt elsewhere. */
async function contactWithHistory(hubspotContactId: string) {
  const db = ctx.deps.db;
  const c = await seedPlacedCall(db, { portalId });
  await db.contact.update({ where: { id: c.contactId }, data: { hubspotContactId, firstName: `Grace-${hubspotContactId}`, lastName: 'Hopper', email: `grace-${hubspotContactId}@example.test`, company: 'Navy', properties: { favourite: 'COBOL' } } });
  await postVapi(ctx.app, statusUpdate(c, 'in-progress', Date.parse('2026-11-20T15:00:10Z')));
  await postVapi(ctx.app, endOfCallReport(c, { durationSeconds: 42, cost: 0.07, summary: `Summary about ${hubspotContactId}.` }));
  const other = await db.campaign.create({ data: { portalId, name: 'Other', state: 'running' } });
  const waiting = await db.campaignContact.create({ data: { portalId, campaignId: other.id, contactId: c.contactId, state: 'retry_wait' } });
  return { ...c, waitingCcId: waiting.id };
}

it('refuses unsigned, wrongly signed and v2-signed deliveries, and a body that is not an event array', async () => {
  const c = await contactWithHistory('5001');
  for (const sign of ['none', 'bad', 'v2'] as const) expect((await send([event('contact.deletion', '5001')], { sign })).status).toBe(401);
  expect((await send({ not: 'an array' } as unknown as unknown[])).status).toBe(400);
  expect((await ctx.deps.db.contact.findUniqueOrThrow({ where: { id: c.contactId } })).firstName).toBe('Grace-5001');
  expect(await ctx.deps.db.providerEvent.count({ where: { provider: 'hubspot' } })).toBe(0);
});

it.each(['contact.privacyDeletion', 'contact.deletion'])('%s erases the personal data and keeps the anonymous figures', async (type) => {
  const hsId = String(6000 + eventSeq);
  const c = await contactWithHistory(hsId);
  const db = ctx.deps.db;
  const statsBefore = await db.callStat.findMany({ where: { campaignId: c.campaignId } });
  const res = await send([event(type, hsId)]);
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ received: 1, duplicates: 0, applied: 1 });

  const contact = await db.contact.findUniqueOrThrow({ where: { id: c.contactId } });
  expect(contact).toMatchObject({ phone: `erased:${c.contactId}`, firstName: null, lastName: null, email: null, company: null, hubspotContactId: null, properties: {}, source: 'erased' });
  const call = await db.call.findUniqueOrThrow({ where: { id: c.callId } });
  expect(call).toMatchObject({ transcript: null, summary: null, messages: null, structuredOutputs: null, recordingUrl: null, toPhone: 'erased', answers: {}, scriptPath: [] });
  // The anonymous figures stay, and so do the analytics.
  expect(call).toMatchObject({ outcome: 'completed', durationSec: 42, status: 'ended' });
  expect(Number(call.cost)).toBeCloseTo(0.07, 4);
  expect(await db.callStat.findMany({ where: { campaignId: c.campaignId } })).toEqual(statsBefore);
  const payloads = await db.providerEvent.findMany({ where: { callId: c.callId } });
  expect(payloads.length).toBe(2);
  expect(payloads.every((e) => JSON.stringify(e.payload) === '{"erased":true}')).toBe(true);
  expect((await db.campaignContact.findUniqueOrThrow({ where: { id: c.waitingCcId } })).state).toBe('cancelled');
  // Nothing personal is left anywhere in the database about this contact.
  const dump = JSON.stringify(await Promise.all([db.contact.findMany(), db.call.findMany({ where: { contactId: c.contactId } }), db.providerEvent.findMany(), db.outbox.findMany()]), (_k, v) =>
    typeof v === 'bigint' ? String(v) : v,
  );
  for (const needle of [`Grace-${hsId}`, `grace-${hsId}@example.test`, c.phone, `Summary about ${hsId}`, 'storage.example.test/' + c.providerCallId]) expect(dump).not.toContain(needle);
});

it('applies a phone change in E.164, once per event id, and never an older change over a newer one', async () => {
  const hsId = '7001';
  const c = await contactWithHistory(hsId);
  const db = ctx.deps.db;
  const newer = event('contact.propertyChange', hsId, { propertyName: 'phone', propertyValue: '(202) 555-0142', occurredAt: Date.now() });
  const res = await send([newer]);
  expect(res.body).toEqual({ received: 1, duplicates: 0, applied: 1 });
  expect((await db.contact.findUniqueOrThrow({ where: { id: c.contactId } })).phone).toBe('+12025550142');
  // HubSpot retries the same delivery: a no-op.
  expect((await send([newer])).body).toEqual({ received: 1, duplicates: 1, applied: 0 });
  // A change that happened earlier, delivered late, is not applied.
  const older = event('object.propertyChange', hsId, { objectTypeId: '0-1', propertyName: 'phone', propertyValue: '+1 202 555 0199', occurredAt: Date.now() - 60_000 });
  expect((await send([older])).body).toEqual({ received: 1, duplicates: 0, applied: 0 });
  expect((await db.contact.findUniqueOrThrow({ where: { id: c.contactId } })).phone).toBe('+12025550142');
  // The stored events keep only a hash of the number.
  const stored = await db.providerEvent.findMany({ where: { provider: 'hubspot', providerCallId: hsId } });
  // (Look for the numbers' own digits: a bare '555' can turn up inside an occurredAt timestamp.)
  const storedText = JSON.stringify(stored.map((s) => s.payload));
  for (const digits of ['5550142', '5550199', '555-0142', '555 0199']) expect(storedText).not.toContain(digits);
  // Another property, or an unknown record, is stored and ignored.
  expect((await send([event('contact.propertyChange', hsId, { propertyName: 'firstname', propertyValue: 'G' }), event('contact.deletion', '999999')])).body).toEqual({ received: 2, duplicates: 0, applied: 0 });
});

// Every event the webhooks component subscribes to (the project test holds the two equal) is one
// this route acts on, in the shape HubSpot sends it: generic object.* events carry objectTypeId.
const described = (h: (typeof HANDLED_HUBSPOT_EVENTS)[number]) => `${h.group} ${h.subscriptionType}${h.objectType ? ` (${h.objectType})` : ''}${h.propertyName ? ` on ${h.propertyName}` : ''}`;
it.each(HANDLED_HUBSPOT_EVENTS.map((h) => [described(h), h] as const))('acts on %s, as subscribed in webhooks-hsmeta.json', async (_name, handled) => {
  const db = ctx.deps.db;
  const hsId = String(9000 + eventSeq);
  const contact = await createContact(db, portalId, { phone: randomPhone(), firstName: 'Ada' });
  await db.contact.update({ where: { id: contact.id }, data: { hubspotContactId: hsId } });
  const newPhone = randomPhone();
  const extra = { ...(handled.objectType ? { objectTypeId: '0-1' } : {}), ...(handled.propertyName ? { propertyName: handled.propertyName, propertyValue: newPhone } : {}) };
  expect((await send([event(handled.subscriptionType, hsId, extra)])).body).toEqual({ received: 1, duplicates: 0, applied: 1 });
  const after = await db.contact.findUniqueOrThrow({ where: { id: contact.id } });
  if (handled.action.kind === 'erase') expect(after).toMatchObject({ source: 'erased', firstName: null, hubspotContactId: null });
  else expect(after.phone).toBe(newPhone);
});

it('DELETE /api/v1/contacts/:contactId erases the contact from every table personal-data.ts lists, and only that contact', async () => {
  const db = ctx.deps.db;
  const hsId = String(8000 + eventSeq);
  const c = await contactWithHistory(hsId);
  const otherHsId = String(8500 + eventSeq);
  const other = await contactWithHistory(otherHsId);
  const contact = await db.contact.findUniqueOrThrow({ where: { id: c.contactId } });
  const digits = contact.phone.replace(/\D/g, '');
  const national = `(${digits.slice(-10, -7)}) ${digits.slice(-7, -4)}-${digits.slice(-4)}`;
  // The file the contact came in with, and rows of it that were rejected (found by email or number in any format).
  const imp = await db.import.create({ data: { portalId, source: 'csv', status: 'completed', fileName: 'list.csv' } });
  await db.importContact.create({ data: { importId: imp.id, contactId: c.contactId, portalId } });
  await db.importUploadChunk.create({ data: { importId: imp.id, seq: 0, portalId, data: Buffer.from(`phone,email\n${contact.phone},${contact.email}\n`) } });
  await db.importRejectedRow.createMany({
    data: [
      { importId: imp.id, portalId, rowNumber: 3, reason: 'duplicate', raw: `${national},Grace` },
      { importId: imp.id, portalId, rowNumber: 4, reason: 'bad phone', raw: `12,${contact.email!.toUpperCase()}` },
      { importId: imp.id, portalId, rowNumber: 5, reason: 'bad phone', raw: '12,someone-else@example.test' },
    ],
  });
  await db.workflowCallback.create({ data: { portalId, callbackId: `cb-${hsId}`, contactId: c.contactId, payload: { inputFields: { phone: contact.phone } } } });
  await db.workflowCallback.create({ data: { portalId, callbackId: `cb-other-${hsId}`, contactId: other.contactId, payload: { inputFields: { note: 'keep me' } } } });
  await db.dncEntry.create({ data: { portalId, phone: contact.phone, reason: 'asked', source: 'manual' } });
  await send([event('contact.propertyChange', hsId, { propertyName: 'firstname', propertyValue: 'Grace' })]);

  // Another portal cannot erase it (404, as for an id that is no contact).
  const stranger = await createPortalWithKey(db);
  expect((await request(ctx.app).delete(`/api/v1/contacts/${c.contactId}`).set(stranger.auth)).status).toBe(404);
  expect((await request(ctx.app).delete('/api/v1/contacts/not-a-uuid').set(auth)).status).toBe(404);
  expect((await db.contact.findUniqueOrThrow({ where: { id: c.contactId } })).email).toBe(contact.email);

  const res = await request(ctx.app).delete(`/api/v1/contacts/${c.contactId}`).set(auth).expect(200);
  expect(res.body).toMatchObject({ contactId: c.contactId, contacts: 1, cancelledAttempts: 1, rows: { Contact: 1, Call: 1, WorkflowCallback: 1, ImportRejectedRow: 2, ImportUploadChunk: 1, DncEntry: 0 } });
  expect(res.body.rows.ProviderEvent).toBe(3); // two Vapi webhooks of the call, one HubSpot event about the record

  expect(await db.importUploadChunk.count({ where: { importId: imp.id } })).toBe(0);
  expect((await db.importRejectedRow.findMany({ where: { importId: imp.id }, orderBy: { rowNumber: 'asc' } })).map((r) => r.raw)).toEqual(['erased', 'erased', '12,someone-else@example.test']);
  expect((await db.workflowCallback.findUniqueOrThrow({ where: { callbackId: `cb-other-${hsId}` } })).payload).toEqual({ inputFields: { note: 'keep me' } });
  // The obligation not to call the number stays.
  expect(await db.dncEntry.count({ where: { portalId, phone: contact.phone } })).toBe(1);
  // The other contact is untouched.
  expect((await db.contact.findUniqueOrThrow({ where: { id: other.contactId } })).firstName).toBe(`Grace-${otherHsId}`);
  expect((await db.call.findUniqueOrThrow({ where: { id: other.callId } })).transcript).not.toBeNull();

  const dump = JSON.stringify(
    await Promise.all([
      db.contact.findMany({ where: { portalId } }),
      db.call.findMany({ where: { contactId: c.contactId } }),
      db.providerEvent.findMany({ where: { portalId } }),
      db.outbox.findMany({ where: { portalId } }),
      db.workflowCallback.findMany({ where: { portalId } }),
      db.importRejectedRow.findMany({ where: { portalId } }),
    ]),
    (_k, v) => (typeof v === 'bigint' ? String(v) : v),
  );
  for (const needle of [`Grace-${hsId}`, contact.email!, contact.phone, national, `Summary about ${hsId}`]) expect(dump).not.toContain(needle);
  // Twice is harmless.
  expect((await request(ctx.app).delete(`/api/v1/contacts/${c.contactId}`).set(auth)).status).toBe(200);
});
