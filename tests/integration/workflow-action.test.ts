import request from 'supertest';
import { startWorkers, type WorkerHost } from '../../worker/src/worker-host';
import { TEST_REDIS_URL } from '../support/test-redis';
import { createDialingHarness, zoneAtLocalHour, type DialingHarness } from '../support/dialing-harness';
import { TEST_CLIENT_SECRET } from '../support/test-app';
import { startHubSpotFake, type HubSpotFake } from '../../fakes/hubspot/server';
import { enrollCallback } from '../../fakes/hubspot/seed';
import { signV2, signV3 } from '../../backend/src/hubspot/signature';
import { saveInstall } from '../../backend/src/hubspot/oauth/token-store';
import { createHubSpotServices } from '../../backend/src/hubspot/hubspot-services';
import { planDueAttempts } from '../../backend/src/domain/dialing/attempt-planner.service';
import { dialAttempt } from '../../backend/src/domain/dialing/dial-attempt.service';
import { sweepWorkflowCallbacks, completeWorkflowCallbacksForCall, type WorkflowCallbackDeps } from '../../backend/src/domain/workflows/workflow-callbacks.service';
import { HUBSPOT_SCOPES } from '../../backend/src/hubspot/scopes';
import { BLOCK_EXPIRY_MS } from '../../backend/src/domain/workflows/workflow-action.schemas';

// "Call with AI" end to end: HubSpot (the fake) posts a signed execution, we answer BLOCK and
// enroll the contact; the real dialer places the call on the Vapi fake, whose end-of-call report
// comes back through /webhooks/vapi; the callback sweep then completes the execution through
// HubSpot's callbacks API exactly once, with the call's outputs.

const CLIENT_ID = 'test-client-id';
const SCOPES = [...HUBSPOT_SCOPES];

describe('Call with AI workflow action', () => {
  let h: DialingHarness;
  // End-of-call reports may be applied by a queued job: run those queues (no schedulers, no dialing jobs).
  let results: WorkerHost;
  let hubspot: HubSpotFake;
  let hubId: number;
  let callbacks: WorkflowCallbackDeps;
  let phoneSeq = 3000;
  const clock = { now: new Date() };

  beforeAll(async () => {
    h = await createDialingHarness({
      fake: { scriptFor: () => ({ outcome: 'answered' }), durations: { queuedSec: [0, 0], ringSec: [1, 1], talkSec: [42, 42], reportDelaySec: [0, 0] } },
    });
    results = startWorkers(h.ctx.deps, { redisUrl: TEST_REDIS_URL, prefix: h.ctx.redisPrefix, queues: ['results', 'webhooks'], schedulers: false });
    hubspot = await startHubSpotFake({ clientId: CLIENT_ID, clientSecret: TEST_CLIENT_SECRET });
    const portal = await h.ctx.deps.db.portal.findUniqueOrThrow({ where: { id: h.portalId } });
    hubId = Number(portal.hubId);
    const grant = { hubId, scopes: SCOPES, clientId: CLIENT_ID, userId: 1, user: 'owner@fake.test' };
    const accessToken = hubspot.state.issueAccessToken(grant).token;
    const refreshToken = hubspot.state.issueRefreshToken(grant);
    await saveInstall(h.ctx.deps.db, h.ctx.deps.cipher, { hubId, name: portal.name, tokens: { accessToken, refreshToken, expiresInSec: 1800 }, scopes: SCOPES });
    const config = { ...h.ctx.config, hubspot: { ...h.ctx.config.hubspot, apiBaseUrl: hubspot.url, clientId: CLIENT_ID } };
    const services = createHubSpotServices({ config, db: h.ctx.deps.db, redis: h.ctx.deps.redis, cipher: h.ctx.deps.cipher, keyPrefix: h.ctx.redisPrefix });
    callbacks = { db: h.ctx.deps.db, gateway: services.gateway, now: () => clock.now };
  });
  afterAll(async () => {
    await results.close();
    await hubspot.close();
    await h.close();
  });
  beforeEach(() => {
    clock.now = new Date();
    h.clock.now = new Date();
  });

  const nextPhone = () => `+1212555${String(++phoneSeq).padStart(4, '0')}`;
  const completions = () => hubspot.state.account(hubId).completedCallbacks;

  async function workflowCampaign(state: 'running' | 'completed' = 'running'): Promise<string> {
    const campaignId = await h.createCampaign({ tag: `wf-${Date.now()}-${Math.random()}` });
    await h.ctx.deps.db.campaign.update({ where: { id: campaignId }, data: { state } });
    return campaignId;
  }

  function execution(o: { callbackId: string; campaignId: string; objectId?: number; phone?: string | null; portal?: number; inputPhone?: string; legalBasis?: string }) {
    return {
      callbackId: o.callbackId,
      origin: { portalId: o.portal ?? hubId, actionDefinitionId: 10860211, actionDefinitionVersion: 1 },
      context: { source: 'WORKFLOWS', workflowId: 192814114, actionId: 3 },
      object: { objectId: o.objectId ?? 614, objectType: 'CONTACT', properties: {
          phone: o.phone === undefined ? nextPhone() : o.phone,
          firstname: 'Ada',
          lastname: 'Lovelace',
          email: 'ada@example.test',
          hs_legal_basis: o.legalBasis ?? 'Freely given consent from contact',
        },
      },
      inputFields: { campaignId: o.campaignId, ...(o.inputPhone ? { phone: o.inputPhone } : {}) },
    };
  }

  /** POSTs as HubSpot does: v3 signature over the public URL, raw body and timestamp. */
  function signedPost(path: string, payload: unknown, version: 'v3' | 'v2' = 'v3') {
    const body = JSON.stringify(payload);
    const url = `${h.baseUrl}${path}`;
    const ts = String(Date.now());
    const headers =
      version === 'v3'
        ? { 'X-HubSpot-Signature-v3': signV3(TEST_CLIENT_SECRET, 'POST', url, body, ts), 'X-HubSpot-Request-Timestamp': ts }
        : { 'X-HubSpot-Signature': signV2(TEST_CLIENT_SECRET, 'POST', url, body), 'X-HubSpot-Signature-Version': 'v2' };
    return request(h.ctx.app).post(path).set('Content-Type', 'application/json').set(headers).send(body);
  }
  const enroll = (payload: unknown, version: 'v3' | 'v2' = 'v3') => signedPost('/hubspot/workflow-actions/enroll', payload, version);

  async function waitForContactState(ccId: string, states: string[], timeoutMs = 15_000) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const cc = await h.ctx.deps.db.campaignContact.findUniqueOrThrow({ where: { id: ccId } });
      if (states.includes(cc.state)) return cc;
      if (Date.now() > until) throw new Error(`campaign contact stayed ${cc.state}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('enroll → BLOCK → the call ends → the callback is completed once with the outcome', async () => {
    const campaignId = await workflowCampaign();
    const callbackId = enrollCallback(hubspot.state, hubId);
    const payload = execution({ callbackId, campaignId, objectId: 614 });

    const first = await enroll(payload).expect(200);
    expect(first.body).toEqual({ outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P1D' } });
    // HubSpot retries the same execution: same answer, still one enrollment.
    const again = await enroll(payload, 'v2').expect(200);
    expect(again.body).toEqual(first.body);
    const db = h.ctx.deps.db;
    expect(await db.workflowCallback.count({ where: { callbackId } })).toBe(1);
    const contact = await db.contact.findFirstOrThrow({ where: { portalId: h.portalId, hubspotContactId: '614' } });
    expect(contact).toMatchObject({ phone: payload.object.properties.phone, firstName: 'Ada', source: 'hubspot_workflow', consentType: 'express', consentSource: 'hubspot:hs_legal_basis' });
    const cc = await db.campaignContact.findUniqueOrThrow({ where: { campaignId_contactId: { campaignId, contactId: contact.id } } });
    expect(cc.state).toBe('pending');
    // The number is in New York; the test runs at any hour, so the contact lives where it is 14:00.
    await db.contact.update({ where: { id: contact.id }, data: { timeZone: zoneAtLocalHour(14) } });

    // Nothing final yet: the sweep leaves it blocked and HubSpot hears nothing.
    expect(await sweepWorkflowCallbacks(callbacks)).toMatchObject({ completed: 0 });
    expect(completions().filter((c) => c.callbackId === callbackId)).toHaveLength(0);

    // The real dialer: plan, dial on the Vapi fake; the report arrives by webhook.
    const d = h.dialing();
    const ids = await planDueAttempts(d, campaignId);
    expect(ids).toHaveLength(1);
    expect(await dialAttempt(d, ids[0]!)).toEqual({ kind: 'done', result: 'placed' });
    await waitForContactState(cc.id, ['done', 'failed', 'retry_wait']);
    const call = await db.call.findUniqueOrThrow({ where: { id: ids[0]! } });
    expect(call.outcome).toBe('completed');
    // The contact's audit trail names the workflow that put them into the campaign.
    const audit = await request(h.ctx.app).get(`/api/v1/contacts/${contact.id}/audit`).set(h.auth).expect(200);
    expect(audit.body.items).toEqual([expect.objectContaining({ attemptId: call.id, enrolledBy: 'hubspot-workflow:192814114' })]);

    expect(await sweepWorkflowCallbacks(callbacks)).toMatchObject({ completed: 1 });
    const done = completions().filter((c) => c.callbackId === callbackId);
    expect(done).toHaveLength(1);
    expect(done[0]!.outputFields).toMatchObject({
      hs_execution_state: 'SUCCESS',
      outcome: 'completed',
      disposition: call.disposition ?? '',
      durationSeconds: String(Math.round(call.durationSec ?? 0)),
      skipReason: '',
    });
    expect(Number(done[0]!.outputFields.durationSeconds)).toBeGreaterThan(0);
    expect(done[0]!.outputFields.summary).toBe(call.summary ?? '');

    // Once: neither another sweep nor the end-of-call hook completes it again.
    expect(await sweepWorkflowCallbacks(callbacks)).toMatchObject({ completed: 0 });
    expect(await completeWorkflowCallbacksForCall(callbacks, call.id)).toMatchObject({ completed: 0 });
    expect(completions().filter((c) => c.callbackId === callbackId)).toHaveLength(1);
    expect(await db.workflowCallback.findUniqueOrThrow({ where: { callbackId } })).toMatchObject({ status: 'completed' });
  });

  it('a contact on the do-not-call list is answered at once with the reason, and never queued', async () => {
    const campaignId = await workflowCampaign();
    const phone = nextPhone();
    await h.ctx.deps.db.dncEntry.create({ data: { portalId: h.portalId, phone, reason: 'asked', source: 'manual' } });
    const callbackId = enrollCallback(hubspot.state, hubId);
    const res = await enroll(execution({ callbackId, campaignId, objectId: 615, phone })).expect(200);
    expect(res.body.outputFields).toMatchObject({ hs_execution_state: 'SUCCESS', outcome: 'skipped', skipReason: 'dnc', durationSeconds: '0' });
    expect(res.body.outputFields.summary).toMatch(/do-not-call/);
    const cc = await h.ctx.deps.db.campaignContact.findFirstOrThrow({ where: { campaignId } });
    expect(cc).toMatchObject({ state: 'skipped', skipReason: 'dnc' });
    expect(await planDueAttempts(h.dialing(), campaignId)).toEqual([]);
    // Answered synchronously: there is no callback to complete later.
    await sweepWorkflowCallbacks(callbacks);
    expect(completions().filter((c) => c.callbackId === callbackId)).toHaveLength(0);
  });

  it('a contact without consent (HubSpot lawful basis is not consent) is skipped at once with that reason', async () => {
    const campaignId = await workflowCampaign();
    const res = await enroll(execution({ callbackId: enrollCallback(hubspot.state, hubId), campaignId, objectId: 624, legalBasis: 'Legitimate interest – prospect/lead' })).expect(200);
    expect(res.body.outputFields).toMatchObject({ hs_execution_state: 'SUCCESS', outcome: 'skipped', skipReason: 'no_consent' });
    expect(await h.ctx.deps.db.campaignContact.findFirstOrThrow({ where: { campaignId } })).toMatchObject({ state: 'skipped', skipReason: 'no_consent' });
  });

  it('a contact skipped at dial time (added to DNC after enrolling) is completed with the reason', async () => {
    const campaignId = await workflowCampaign();
    const phone = nextPhone();
    const callbackId = enrollCallback(hubspot.state, hubId);
    await enroll(execution({ callbackId, campaignId, objectId: 616, phone })).expect(200);
    const d = h.dialing();
    const [id] = await planDueAttempts(d, campaignId);
    await h.ctx.deps.db.dncEntry.create({ data: { portalId: h.portalId, phone, reason: 'asked', source: 'manual' } });
    expect(await dialAttempt(d, id!)).toEqual({ kind: 'done', result: 'check_dnc' });

    expect(await sweepWorkflowCallbacks(callbacks)).toMatchObject({ completed: 1 });
    const done = completions().filter((c) => c.callbackId === callbackId);
    expect(done).toHaveLength(1);
    expect(done[0]!.outputFields).toMatchObject({ hs_execution_state: 'SUCCESS', outcome: 'skipped', skipReason: 'dnc' });
  });

  it('uses the phone input over the record property, and refuses a contact without a number', async () => {
    const campaignId = await workflowCampaign();
    const inputPhone = nextPhone();
    const res = await enroll(execution({ callbackId: enrollCallback(hubspot.state, hubId), campaignId, objectId: 617, inputPhone })).expect(200);
    expect(res.body.outputFields.hs_execution_state).toBe('BLOCK');
    expect(await h.ctx.deps.db.contact.count({ where: { portalId: h.portalId, phone: inputPhone, hubspotContactId: '617' } })).toBe(1);

    const none = await enroll(execution({ callbackId: enrollCallback(hubspot.state, hubId), campaignId, objectId: 618, phone: null })).expect(200);
    expect(none.body.outputFields).toMatchObject({ hs_execution_state: 'SUCCESS', outcome: 'skipped', skipReason: 'no_phone' });
    const bad = await enroll(execution({ callbackId: enrollCallback(hubspot.state, hubId), campaignId, objectId: 619, phone: '12' })).expect(200);
    expect(bad.body.outputFields).toMatchObject({ outcome: 'skipped', skipReason: 'invalid_number' });
  });

  it('fails-and-continues for an unknown or ended campaign and an account without the app', async () => {
    const ended = await workflowCampaign('completed');
    const missing = await enroll(execution({ callbackId: 'ap-x-1', campaignId: '00000000-0000-4000-8000-000000000000' })).expect(200);
    expect(missing.body.outputFields).toMatchObject({ hs_execution_state: 'FAIL_CONTINUE', skipReason: 'campaign_not_found' });
    const notUuid = await enroll(execution({ callbackId: 'ap-x-2', campaignId: 'campaign-1' })).expect(200);
    expect(notUuid.body.outputFields.skipReason).toBe('campaign_not_found');
    const over = await enroll(execution({ callbackId: 'ap-x-3', campaignId: ended })).expect(200);
    expect(over.body.outputFields).toMatchObject({ hs_execution_state: 'FAIL_CONTINUE', skipReason: 'campaign_ended' });
    expect(await h.ctx.deps.db.campaignContact.count({ where: { campaignId: ended } })).toBe(0);
    const stranger = await enroll(execution({ callbackId: 'ap-x-4', campaignId: ended, portal: 777777777 })).expect(200);
    expect(stranger.body.outputFields).toMatchObject({ hs_execution_state: 'FAIL_CONTINUE', skipReason: 'app_not_installed' });
  });

  it('refuses unsigned and malformed executions without enrolling anyone', async () => {
    const campaignId = await workflowCampaign();
    const body = execution({ callbackId: 'ap-unsigned', campaignId });
    const unsigned = await request(h.ctx.app).post('/hubspot/workflow-actions/enroll').send(body);
    expect(unsigned.status).toBe(401);
    const malformed = await enroll({ callbackId: 'ap-bad', origin: { portalId: hubId } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
    expect(await h.ctx.deps.db.workflowCallback.count({ where: { callbackId: { in: ['ap-unsigned', 'ap-bad'] } } })).toBe(0);
    expect(await h.ctx.deps.db.campaignContact.count({ where: { campaignId } })).toBe(0);
  });

  it('near HubSpot’s expiry, withdraws a contact not yet dialed and completes with "expired"; past it, only marks', async () => {
    const campaignId = await workflowCampaign();
    const callbackId = enrollCallback(hubspot.state, hubId);
    await enroll(execution({ callbackId, campaignId, objectId: 620 })).expect(200);
    const row = await h.ctx.deps.db.workflowCallback.findUniqueOrThrow({ where: { callbackId } });

    const statusOf = async (id: string) => (await h.ctx.deps.db.workflowCallback.findUniqueOrThrow({ where: { callbackId: id } })).status;
    // Other tests' executions are in the same table; every assertion below names this one.
    clock.now = new Date(row.createdAt.getTime() + BLOCK_EXPIRY_MS - 60 * 60_000); // an hour before: still waiting
    await sweepWorkflowCallbacks(callbacks);
    expect(await statusOf(callbackId)).toBe('blocked');
    clock.now = new Date(row.createdAt.getTime() + BLOCK_EXPIRY_MS - 5 * 60_000);
    expect((await sweepWorkflowCallbacks(callbacks)).expired).toBeGreaterThanOrEqual(1);
    expect(await statusOf(callbackId)).toBe('completed');
    const done = completions().filter((c) => c.callbackId === callbackId);
    expect(done).toHaveLength(1);
    expect(done[0]!.outputFields).toMatchObject({ outcome: 'expired', skipReason: 'workflow_expired' });
    const cc = await h.ctx.deps.db.campaignContact.findFirstOrThrow({ where: { campaignId } });
    expect(cc).toMatchObject({ state: 'cancelled', skipReason: 'workflow_expired' });

    // A contact on the phone when HubSpot gives up: marked expired, HubSpot not called.
    const live = enrollCallback(hubspot.state, hubId);
    await enroll(execution({ callbackId: live, campaignId, objectId: 621 })).expect(200);
    const liveRow = await h.ctx.deps.db.workflowCallback.findUniqueOrThrow({ where: { callbackId: live } });
    await h.ctx.deps.db.campaignContact.updateMany({ where: { campaignId, contactId: liveRow.contactId! }, data: { state: 'in_call' } });
    clock.now = new Date(liveRow.createdAt.getTime() + BLOCK_EXPIRY_MS - 5 * 60_000);
    await sweepWorkflowCallbacks(callbacks);
    expect(await statusOf(live)).toBe('blocked');
    clock.now = new Date(liveRow.createdAt.getTime() + BLOCK_EXPIRY_MS + 1000);
    await sweepWorkflowCallbacks(callbacks);
    expect(await statusOf(live)).toBe('expired');
    expect(completions().filter((c) => c.callbackId === live)).toHaveLength(0);
    expect(await h.ctx.deps.db.campaignContact.findFirstOrThrow({ where: { campaignId, contactId: liveRow.contactId! } })).toMatchObject({ state: 'in_call' });
  });

  it('retries a completion HubSpot could not take (503), and gives up on one it refuses (404)', async () => {
    const campaignId = await workflowCampaign();
    const phone = nextPhone();
    const callbackId = enrollCallback(hubspot.state, hubId);
    await enroll(execution({ callbackId, campaignId, objectId: 622, phone })).expect(200);
    await h.ctx.deps.db.campaignContact.updateMany({ where: { campaignId }, data: { state: 'skipped', skipReason: 'max_attempts' } });

    const statusOf = async (id: string) => (await h.ctx.deps.db.workflowCallback.findUniqueOrThrow({ where: { callbackId: id } })).status;
    hubspot.state.failNext({ status: 503, path: new RegExp(`/automation/v4/actions/callbacks/${callbackId}/complete`) });
    await sweepWorkflowCallbacks(callbacks);
    expect(await statusOf(callbackId)).toBe('blocked');
    expect(completions().filter((c) => c.callbackId === callbackId)).toHaveLength(0);
    await sweepWorkflowCallbacks(callbacks);
    expect(await statusOf(callbackId)).toBe('completed');
    expect(completions().filter((c) => c.callbackId === callbackId)).toHaveLength(1);

    // A callback HubSpot never issued (or already closed): 404, recorded as failed, not retried.
    const campaign2 = await workflowCampaign();
    await enroll(execution({ callbackId: 'ap-never-issued', campaignId: campaign2, objectId: 623 })).expect(200);
    await h.ctx.deps.db.campaignContact.updateMany({ where: { campaignId: campaign2 }, data: { state: 'skipped', skipReason: 'dnc' } });
    await sweepWorkflowCallbacks(callbacks);
    expect(await statusOf('ap-never-issued')).toBe('failed');
    const tries = hubspot.state.count('POST', '/automation/v4/actions/callbacks/ap-never-issued/complete');
    expect(tries).toBe(1);
    await sweepWorkflowCallbacks(callbacks);
    expect(hubspot.state.count('POST', '/automation/v4/actions/callbacks/ap-never-issued/complete')).toBe(tries);
  });

  it('offers this account’s open campaigns to the campaign picker, searchable by name', async () => {
    const open = await workflowCampaign();
    await h.ctx.deps.db.campaign.update({ where: { id: open }, data: { name: 'Spring solar follow-up' } });
    const ended = await workflowCampaign('completed');
    const res = await signedPost('/hubspot/workflow-actions/campaign-options', { origin: { portalId: hubId }, inputFieldName: 'campaignId', fetchOptions: { q: 'solar' } }).expect(200);
    expect(res.body.searchable).toBe(true);
    expect(res.body.options).toEqual([{ label: 'Spring solar follow-up', value: open, description: 'Campaign running' }]);
    const all = await signedPost('/hubspot/workflow-actions/campaign-options', { origin: { portalId: hubId } }).expect(200);
    expect(all.body.options.map((o: { value: string }) => o.value)).toContain(open);
    expect(all.body.options.map((o: { value: string }) => o.value)).not.toContain(ended);
    const stranger = await signedPost('/hubspot/workflow-actions/campaign-options', { origin: { portalId: 777777777 } }).expect(200);
    expect(stranger.body.options).toEqual([]);
  });
});
