import { startHubSpotFake, type HubSpotFake } from '../../fakes/hubspot/server';
import { enrollCallback, seedContacts, seedList } from '../../fakes/hubspot/seed';

// The HubSpot fake speaks HubSpot's documented wire format over plain HTTP (no SDK here), so
// the SDK-level tests elsewhere exercise real parsing of real shapes.

describe('HubSpot fake wire format', () => {
  let fake: HubSpotFake;
  let token: string;
  const hubId = 31337;
  beforeAll(async () => {
    fake = await startHubSpotFake({ clientId: 'cid', clientSecret: 'csecret-0000' });
    token = fake.state.grantAccess({ hubId });
  });
  afterAll(() => fake.close());

  const api = (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token !== null) headers.set('authorization', `Bearer ${init.token ?? token}`);
    if (init.body) headers.set('content-type', 'application/json');
    return fetch(`${fake.url}${path}`, { ...init, headers });
  };
  const form = (fields: Record<string, string>) =>
    fetch(`${fake.url}/oauth/v1/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });

  it('answers missing or unknown credentials with 401 in HubSpot’s error shape', async () => {
    for (const t of [null, 'nope']) {
      const res = await api('/crm/v3/objects/contacts/1', { token: t });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION', correlationId: expect.any(String), message: expect.stringContaining('Authentication credentials not found') });
    }
  });

  it('answers a token without the scope with 403 MISSING_SCOPES', async () => {
    const narrow = fake.state.grantAccess({ hubId, scopes: ['oauth'] });
    const res = await api('/crm/v3/lists/1/memberships', { token: narrow });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ status: 'error', category: 'MISSING_SCOPES' });
  });

  it('sends rate-limit headers, and a HubSpot-shaped 429 when told to', async () => {
    const ok = await api('/crm/v3/objects/contacts/0');
    expect(ok.headers.get('x-hubspot-ratelimit-max')).toBe('110');
    expect(ok.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    fake.state.failNext({ status: 429 });
    const limited = await api('/crm/v3/objects/contacts/0');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect(await limited.json()).toMatchObject({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
    });
  });

  it('runs the authorization-code grant and refuses every wrong ingredient', async () => {
    const auth = await fetch(`${fake.url}/oauth/authorize?client_id=cid&redirect_uri=${encodeURIComponent('https://app.test/cb')}&scope=oauth%20automation&state=s1&hub_id=${hubId}`, { redirect: 'manual' });
    expect(auth.status).toBe(302);
    const back = new URL(auth.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe('s1');
    const code = back.searchParams.get('code')!;
    const base = { grant_type: 'authorization_code', client_id: 'cid', client_secret: 'csecret-0000', redirect_uri: 'https://app.test/cb', code };

    const wrong = async (fields: Record<string, string>, status: string) => {
      const res = await form(fields);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ status, error: expect.any(String), message: expect.any(String) });
    };
    await wrong({ ...base, client_id: 'other' }, 'BAD_CLIENT_ID');
    await wrong({ ...base, client_secret: 'other' }, 'BAD_CLIENT_SECRET');
    await wrong({ ...base, redirect_uri: 'https://evil.test/cb' }, 'BAD_REDIRECT_URI');
    await wrong({ ...base, grant_type: 'password' }, 'BAD_GRANT_TYPE');

    const ok = await form(base);
    expect(ok.status).toBe(200);
    const tokens = (await ok.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 1800, hub_id: hubId, scopes: ['oauth', 'automation'], token_use: 'access_token' });
    await wrong(base, 'BAD_AUTH_CODE'); // codes are single-use

    const info = await fetch(`${fake.url}/oauth/v1/access-tokens/${String(tokens.access_token)}`);
    expect(await info.json()).toMatchObject({ hub_id: hubId, scopes: ['oauth', 'automation'], app_id: expect.any(Number), token_type: 'access' });

    const refreshed = await form({ grant_type: 'refresh_token', client_id: 'cid', client_secret: 'csecret-0000', refresh_token: String(tokens.refresh_token) });
    expect(await refreshed.json()).toMatchObject({ refresh_token: tokens.refresh_token, access_token: expect.not.stringMatching(String(tokens.access_token)) });
    await wrong({ grant_type: 'refresh_token', client_id: 'cid', client_secret: 'csecret-0000', refresh_token: 'unknown' }, 'BAD_REFRESH_TOKEN');
    const json = await fetch(`${fake.url}/oauth/v1/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(base) });
    expect(json.status).toBe(400);
  });

  it('pages list memberships with an opaque cursor and HubSpot’s 250 maximum', async () => {
    const { listId, contactIds } = seedList(fake.state, { hubId, size: 5 });
    const first = (await (await api(`/crm/v3/lists/${listId}/memberships?limit=3`)).json()) as { results: Array<{ recordId: string; membershipTimestamp: string }>; paging?: { next?: { after: string } } };
    expect(first.results.map((r) => r.recordId)).toEqual(contactIds.slice(0, 3));
    expect(first.results[0]!.membershipTimestamp).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const second = (await (await api(`/crm/v3/lists/${listId}/memberships?limit=3&after=${first.paging!.next!.after}`)).json()) as { results: unknown[]; paging?: unknown };
    expect(second.results).toHaveLength(2);
    expect(second.paging).toBeUndefined();
    expect((await api(`/crm/v3/lists/${listId}/memberships?limit=251`)).status).toBe(400);
    expect((await api('/crm/v3/lists/0/memberships')).status).toBe(404);
  });

  it('batch-reads at most 100 contacts: 200 when all exist, 207 with errors when some do not', async () => {
    const [c] = seedContacts(fake.state, hubId, [{ firstname: 'Ada', phone: '+12025550100' }]);
    const read = (ids: string[]) => api('/crm/v3/objects/contacts/batch/read', { method: 'POST', body: JSON.stringify({ inputs: ids.map((id) => ({ id })), properties: ['phone', 'email'], propertiesWithHistory: [] }) });
    const all = await read([c!.id]);
    expect(all.status).toBe(200);
    expect(await all.json()).toMatchObject({ status: 'COMPLETE', results: [{ id: c!.id, properties: { phone: '+12025550100', email: null, hs_object_id: c!.id } }] });
    const some = await read([c!.id, '9']);
    expect(some.status).toBe(207);
    expect(await some.json()).toMatchObject({ numErrors: 1, errors: [{ category: 'OBJECT_NOT_FOUND', context: { ids: ['9'] } }] });
    expect((await read(Array.from({ length: 101 }, (_, i) => String(i)))).status).toBe(400);
  });

  it('creates calls (201, hs_timestamp required) and completes callbacks (204 once, then 404)', async () => {
    const [c] = seedContacts(fake.state, hubId, [{ firstname: 'Grace' }]);
    const assoc = [{ to: { id: c!.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 194 }] }];
    const missing = await api('/crm/v3/objects/calls', { method: 'POST', body: JSON.stringify({ properties: { hs_call_title: 'x' }, associations: assoc }) });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    const created = await api('/crm/v3/objects/calls', { method: 'POST', body: JSON.stringify({ properties: { hs_timestamp: '2026-11-20T10:00:00Z' }, associations: assoc }) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const assocs = await (await api(`/crm/v4/objects/calls/${id}/associations/contacts`)).json();
    expect(assocs).toEqual({ results: [{ toObjectId: Number(c!.id), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 194, label: null }] }] });

    const callbackId = enrollCallback(fake.state, hubId);
    const complete = () => api(`/automation/v4/actions/callbacks/${callbackId}/complete`, { method: 'POST', body: JSON.stringify({ outputFields: { hs_execution_state: 'SUCCESS' } }) });
    expect((await complete()).status).toBe(204);
    expect((await complete()).status).toBe(404);
  });

  it('answers malformed JSON in HubSpot’s error shape, and can be slowed down', async () => {
    const res = await fetch(`${fake.url}/crm/v3/objects/contacts`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"properties":' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    fake.state.latencyMs = 200;
    const started = Date.now();
    await api('/crm/v3/objects/contacts/0');
    fake.state.latencyMs = 0;
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('has an HTTP control panel for fakes running in another process', async () => {
    const seeded = await fetch(`${fake.url}/__fake/seed/list`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hubId: 5, size: 12_000 }) });
    expect(seeded.status).toBe(201);
    const state = (await (await fetch(`${fake.url}/__fake/state`)).json()) as { accounts: Array<{ hubId: number; contacts: number }> };
    expect(state.accounts.find((a) => a.hubId === 5)).toMatchObject({ contacts: 12_000 });
    const fault = await fetch(`${fake.url}/__fake/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 503, path: '^/crm/' }) });
    expect(fault.status).toBe(204);
    expect((await api('/crm/v3/objects/contacts/0')).status).toBe(503);
    expect((await fetch(`${fake.url}/__fake/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"status":"x"}' })).status).toBe(400);
  });
});
