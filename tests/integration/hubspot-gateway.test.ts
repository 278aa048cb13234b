import type { Redis } from 'ioredis';
import { Client } from '@hubspot/api-client';
import { startHubSpotHarness, installPortal, refreshRequests, servicesLikeAnotherProcess, type HubSpotHarness } from './hubspot-test-support';
import { seedContacts, seedList, enrollCallback } from '../../fakes/hubspot/seed';
import type { HubSpotServices } from '../../backend/src/hubspot/hubspot-services';
import { HubSpotApiError, HubSpotRateLimitedError } from '../../backend/src/hubspot/errors';
import { listMemberIds } from '../../backend/src/hubspot/list-members';

// The gateway with the REAL @hubspot/api-client against the HubSpot fake.

describe('HubSpot gateway against the fake', () => {
  let h: HubSpotHarness;
  let svc: { services: HubSpotServices; redis: Redis };
  let hubSeq = 990000;
  const gateway = () => svc.services.gateway;

  beforeAll(async () => {
    h = await startHubSpotHarness();
    svc = servicesLikeAnotherProcess(h.ctx);
  });
  afterAll(async () => {
    svc.redis.disconnect();
    await h.close();
  });

  it('pages through a 10,500-member list, 250 at a time, in order and without repeats', async () => {
    const hubId = ++hubSeq;
    const { portalId } = await installPortal(h, { hubId });
    const seedStarted = Date.now();
    const { listId, contactIds } = seedList(h.fake.state, { hubId, size: 10_500 });
    expect(Date.now() - seedStarted).toBeLessThan(2000);

    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await gateway().listMembershipsPage(portalId, { listId, after });
      seen.push(...page.recordIds);
      expect(page.total).toBe(10_500);
      after = page.nextAfter;
      pages += 1;
    } while (after);
    expect(pages).toBe(42);
    expect(seen).toEqual(contactIds);
    const requests = h.fake.state.requests.filter((r) => r.path === `/crm/v3/lists/${listId}/memberships`);
    expect(requests).toHaveLength(42);
    expect(requests.every((r) => r.query.limit === '250' && r.status === 200)).toBe(true);

    // The streaming helper the list import uses walks the same pages.
    const streamed: string[] = [];
    for await (const ids of listMemberIds(gateway(), portalId, listId)) streamed.push(...ids);
    expect(streamed).toEqual(contactIds);
  });

  it('reads contacts in batches of 100 with our field names, and names the missing ones', async () => {
    const hubId = ++hubSeq;
    const { portalId } = await installPortal(h, { hubId });
    const [ada, ...rest] = seedContacts(h.fake.state, hubId, [
      { firstname: 'Ada', lastname: 'Lovelace', phone: '+442071838750', mobilephone: '+447700900123', email: 'ada@example.test', company: 'Engines', hs_timezone: 'europe_slash_london', hs_legal_basis: 'Freely given consent from contact' },
      ...Array.from({ length: 99 }, (_, i) => ({ firstname: `C${i}`, phone: `+1202555${String(1000 + i)}` })),
    ]);
    const ids = [ada!.id, ...rest.map((r) => r.id)];
    const batch = await gateway().readContacts(portalId, ids);
    expect(batch.contacts).toHaveLength(100);
    expect(batch.missingIds).toEqual([]);
    expect(batch.contacts.find((c) => c.id === ada!.id)).toEqual({
      id: ada!.id,
      phone: '+442071838750',
      mobilePhone: '+447700900123',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.test',
      company: 'Engines',
      timeZone: 'europe_slash_london',
      properties: expect.objectContaining({ hs_legal_basis: 'Freely given consent from contact' }),
    });
    const read = h.fake.state.requests.filter((r) => r.path === '/crm/v3/objects/contacts/batch/read').at(-1)!;
    expect((read.body as { properties: string[] }).properties).toEqual(
      expect.arrayContaining(['phone', 'mobilephone', 'firstname', 'lastname', 'email', 'company', 'hs_timezone', 'hs_legal_basis']),
    );

    const partial = await gateway().readContacts(portalId, [ada!.id, '999999999']);
    expect(partial.contacts.map((c) => c.id)).toEqual([ada!.id]);
    expect(partial.missingIds).toEqual(['999999999']);

    const before = h.fake.state.requests.length;
    await expect(gateway().readContacts(portalId, [...ids, '1'])).rejects.toMatchObject({ code: 'HUBSPOT_BATCH_TOO_LARGE' });
    expect(h.fake.state.requests.length).toBe(before);
  });

  it('turns a 429 into HubSpotRateLimitedError with HubSpot’s wait, without retrying', async () => {
    const { portalId } = await installPortal(h, { hubId: ++hubSeq });
    h.fake.state.failNext({ status: 429, path: /memberships/ });
    const before = h.fake.state.requests.length;
    const err = await gateway().listMembershipsPage(portalId, { listId: '1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubSpotRateLimitedError);
    expect(err).toMatchObject({ code: 'HUBSPOT_RATE_LIMITED', retryAfterMs: 10_000, policyName: 'TEN_SECONDLY_ROLLING' });
    expect(h.fake.state.requests.length - before).toBe(1);
  });

  it('honours Retry-After and holds the portal’s next call (in any process) until it has passed', async () => {
    const hubId = ++hubSeq;
    const { portalId } = await installPortal(h, { hubId });
    const { listId } = seedList(h.fake.state, { hubId, size: 3 });
    h.fake.state.failNext({ status: 429, path: /memberships/, retryAfterSeconds: 1 });
    await expect(gateway().listMembershipsPage(portalId, { listId })).rejects.toMatchObject({ retryAfterMs: 1000 });
    const other = servicesLikeAnotherProcess(h.ctx);
    try {
      const started = Date.now();
      const page = await other.services.gateway.listMembershipsPage(portalId, { listId });
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(page.recordIds).toHaveLength(3);
    } finally {
      other.redis.disconnect();
    }
  });

  it('creates a call engagement associated to the contact (type 194)', async () => {
    const hubId = ++hubSeq;
    const { portalId } = await installPortal(h, { hubId });
    const [contact] = seedContacts(h.fake.state, hubId, [{ firstname: 'Grace', phone: '+12025550147' }]);
    const at = new Date('2026-11-20T15:04:05.000Z');
    const { engagementId } = await gateway().createCallEngagement(portalId, {
      contactId: contact!.id,
      timestamp: at,
      title: 'AI call: Spring renewal',
      body: 'Answered. Interested in a demo.',
      status: 'COMPLETED',
      durationMs: 93_400,
      toNumber: '+12025550147',
    });
    const account = h.fake.state.account(hubId);
    expect(account.calls.get(engagementId)!.properties).toMatchObject({
      hs_timestamp: at.toISOString(),
      hs_call_title: 'AI call: Spring renewal',
      hs_call_body: 'Answered. Interested in a demo.',
      hs_call_direction: 'OUTBOUND',
      hs_call_status: 'COMPLETED',
      hs_call_duration: '93400',
      hs_call_to_number: '+12025550147',
    });
    expect(account.associations).toEqual([{ fromType: 'calls', fromId: engagementId, toType: 'contacts', toId: contact!.id, category: 'HUBSPOT_DEFINED', typeId: 194 }]);
    await expect(gateway().createCallEngagement(portalId, { contactId: '424242424', timestamp: at, title: 'x' })).rejects.toMatchObject({
      code: 'HUBSPOT_API_ERROR',
      hubspotStatus: 400,
      category: 'VALIDATION_ERROR',
    });
  });

  it('updates contact properties and completes workflow callbacks', async () => {
    const hubId = ++hubSeq;
    const { portalId } = await installPortal(h, { hubId });
    const [contact] = seedContacts(h.fake.state, hubId, [{ firstname: 'Alan' }]);
    await gateway().updateContactProperties(portalId, contact!.id, { ai_last_call_outcome: 'answered' });
    expect(h.fake.state.account(hubId).contacts.get(contact!.id)!.properties.ai_last_call_outcome).toBe('answered');
    await expect(gateway().updateContactProperties(portalId, '31337', { a: 'b' })).rejects.toMatchObject({ code: 'HUBSPOT_NOT_FOUND', hubspotStatus: 404 });

    const callbackId = enrollCallback(h.fake.state, hubId);
    await gateway().completeWorkflowCallback(portalId, callbackId, { hs_execution_state: 'SUCCESS', callOutcome: 'answered' });
    expect(h.fake.state.account(hubId).completedCallbacks).toEqual([
      { callbackId, outputFields: { hs_execution_state: 'SUCCESS', callOutcome: 'answered' }, at: expect.any(String) },
    ]);
    expect(h.fake.state.count('POST', `/automation/v4/actions/callbacks/${callbackId}/complete`, 204)).toBe(1);
    await expect(gateway().completeWorkflowCallback(portalId, 'ap-unknown', { hs_execution_state: 'SUCCESS' })).rejects.toBeInstanceOf(HubSpotApiError);
  });

  it('on a 401 refreshes the token once and retries once', async () => {
    const hubId = ++hubSeq;
    const { portalId } = await installPortal(h, { hubId });
    const { listId } = seedList(h.fake.state, { hubId, size: 2 });
    h.fake.state.expireAccessTokens(hubId); // HubSpot rejects a token our database still thinks is fine
    const refreshesBefore = refreshRequests(h.fake).length;
    const page = await gateway().listMembershipsPage(portalId, { listId });
    expect(page.recordIds).toHaveLength(2);
    expect(refreshRequests(h.fake).length - refreshesBefore).toBe(1);
    const calls = h.fake.state.requests.filter((r) => r.path === `/crm/v3/lists/${listId}/memberships`).map((r) => r.status);
    expect(calls).toEqual([401, 200]);

    // HubSpot keeps refusing: one refresh, one retry, then a typed error.
    h.fake.state.failNext({ status: 401, path: /memberships/, count: 2 });
    const before = refreshRequests(h.fake).length;
    await expect(gateway().listMembershipsPage(portalId, { listId })).rejects.toMatchObject({ code: 'HUBSPOT_UNAUTHORIZED', hubspotStatus: 401 });
    expect(refreshRequests(h.fake).length - before).toBe(1);
  });

  it('never lets another client’s SDK retry decorator leak into our calls (api-client global singleton)', async () => {
    const hubId = ++hubSeq;
    const { portalId, accessToken } = await installPortal(h, { hubId });
    const [contact] = seedContacts(h.fake.state, hubId, [{ firstname: 'Edsger' }]);
    const path = `/crm/v3/objects/contacts/${contact!.id}`;

    // The gotcha is real in this SDK version: a client whose discovery is touched after another
    // client was built with retries inherits them.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined); // the SDK's retry notice
    const naive = new Client({ basePath: h.fake.url, accessToken, numberOfApiCallRetries: 0 });
    new Client({ basePath: h.fake.url, numberOfApiCallRetries: 2 });
    h.fake.state.failNext({ status: 503, path: new RegExp(`^${path}$`), count: 1 });
    await naive.crm.contacts.basicApi.getById(contact!.id); // succeeds only because the SDK retried
    expect(h.fake.state.count('GET', path)).toBe(2);
    expect(quiet).toHaveBeenCalledWith(expect.stringContaining('will retry'));
    quiet.mockRestore();

    // Ours builds its API objects in the same tick as its own Client: one request, then a typed error.
    new Client({ basePath: h.fake.url, numberOfApiCallRetries: 3 });
    h.fake.state.failNext({ status: 503, path: new RegExp(`^${path}$`), count: 3 });
    const patchesBefore = h.fake.state.count('PATCH', path);
    const err = await gateway().updateContactProperties(portalId, contact!.id, { a: 'b' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'HUBSPOT_API_ERROR', hubspotStatus: 503, isRetryable: true });
    expect(h.fake.state.count('PATCH', path) - patchesBefore).toBe(1);
    h.fake.state.faults.length = 0;
  });
});
