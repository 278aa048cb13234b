import request from 'supertest';
import { startHubSpotHarness, installPortal, type HubSpotHarness } from './hubspot-test-support';
import { seedDemoLists, seedList } from '../../fakes/hubspot/seed';
import { createApiKey } from '../../backend/src/domain/portals/api-key.service';
import { createPortalWithKey } from '../support/factories';

// GET /api/v1/hubspot/lists (the create-campaign page's list picker) through the real gateway and
// SDK against the HubSpot fake's POST /crm/v3/lists/search, and that endpoint's wire format.
describe('HubSpot contact lists for the list picker', () => {
  let h: HubSpotHarness;
  let auth: Record<string, string>;
  let accessToken: string;
  const hubId = 771001;
  const searchCalls = () => h.fake.state.requests.filter((r) => r.method === 'POST' && r.path === '/crm/v3/lists/search');

  beforeAll(async () => {
    h = await startHubSpotHarness();
    const installed = await installPortal(h, { hubId });
    accessToken = installed.accessToken;
    auth = { Authorization: `Bearer ${(await createApiKey(h.ctx.deps.db, { portalId: installed.portalId })).apiKey}` };
    seedDemoLists(h.fake.state, hubId);
    for (let i = 1; i <= 25; i += 1) seedList(h.fake.state, { hubId, name: `Paged list ${String(i).padStart(2, '0')}`, size: 0 });
    // Lists of companies first, then contacts: HubSpot's search answers both kinds.
    for (let i = 1; i <= 3; i += 1) seedList(h.fake.state, { hubId, name: `Mixed companies ${i}`, size: 1, objectTypeId: '0-2' });
    for (let i = 1; i <= 2; i += 1) seedList(h.fake.state, { hubId, name: `Mixed contacts ${i}`, size: 2 });
  });
  afterAll(() => h.close());

  it('finds contact lists by part of their name, with size and processing type, leaving other objects out', async () => {
    const res = await request(h.ctx.app).get('/api/v1/hubspot/lists').query({ query: 'SOLAR' }).set(auth).expect(200);
    expect(res.body).toEqual({
      lists: [
        { id: expect.any(String), name: 'Spring solar leads', size: 12, processingType: 'MANUAL' },
        { id: expect.any(String), name: 'Webinar attendees (solar)', size: 8, processingType: 'DYNAMIC' },
      ],
      nextCursor: null,
    });
    // The SDK sent HubSpot's documented body: name query, offset, count, the size property.
    expect(searchCalls().at(-1)!.body).toEqual({ query: 'SOLAR', offset: 0, count: 20, additionalProperties: ['hs_list_size'] });

    const all = await request(h.ctx.app).get('/api/v1/hubspot/lists').query({ limit: 100 }).set(auth).expect(200);
    expect(all.body.lists).toHaveLength(3 + 25 + 2);
    expect(all.body.lists.map((l: { name: string }) => l.name)).not.toContain('Solar installers (companies)');
    expect(searchCalls().at(-1)!.body).toEqual({ offset: 0, count: 100, additionalProperties: ['hs_list_size'] });
  });

  it('pages with the cursor it hands out until the last page', async () => {
    const names: string[] = [];
    const cursors: Array<string | null> = [];
    let cursor: string | undefined;
    do {
      const res = await request(h.ctx.app).get('/api/v1/hubspot/lists').query({ query: 'paged list', limit: 10, ...(cursor ? { cursor } : {}) }).set(auth).expect(200);
      names.push(...res.body.lists.map((l: { name: string }) => l.name));
      cursors.push(res.body.nextCursor);
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    expect(cursors).toEqual(['10', '20', null]);
    expect(names).toEqual(Array.from({ length: 25 }, (_, i) => `Paged list ${String(i + 1).padStart(2, '0')}`));
  });

  it('reads on past a page holding only other objects’ lists', async () => {
    const first = await request(h.ctx.app).get('/api/v1/hubspot/lists').query({ query: 'mixed', limit: 2 }).set(auth).expect(200);
    expect(first.body).toEqual({ lists: [expect.objectContaining({ name: 'Mixed contacts 1', size: 2 })], nextCursor: '4' });
    const second = await request(h.ctx.app).get('/api/v1/hubspot/lists').query({ query: 'mixed', limit: 2, cursor: '4' }).set(auth).expect(200);
    expect(second.body).toEqual({ lists: [expect.objectContaining({ name: 'Mixed contacts 2' })], nextCursor: null });
  });

  it('says in a sentence that a portal without a HubSpot install has no lists to show, asking HubSpot nothing', async () => {
    const before = searchCalls().length;
    const other = await createPortalWithKey(h.ctx.deps.db, { name: 'Not installed' });
    const res = await request(h.ctx.app).get('/api/v1/hubspot/lists').set(other.auth).expect(409);
    expect(res.body).toEqual({ error: { code: 'HUBSPOT_NOT_INSTALLED', message: 'This portal has not installed the app in HubSpot (or must reinstall it), so its lists cannot be read.' } });
    expect(searchCalls().length).toBe(before);
  });

  it('refuses a cursor it did not hand out and a repeated query, and ignores the query fields HubSpot adds', async () => {
    const bad = await request(h.ctx.app).get('/api/v1/hubspot/lists?cursor=abc').set(auth).expect(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: 'Invalid query: query.cursor must be the nextCursor of a previous page.' });
    const twice = await request(h.ctx.app).get('/api/v1/hubspot/lists?query=a&query=b').set(auth).expect(400);
    expect(twice.body.error.code).toBe('VALIDATION_FAILED');
    await request(h.ctx.app).get('/api/v1/hubspot/lists').query({ query: 'newsletter', portalId: String(hubId), userId: '1', userEmail: 'owner@fake.test', appId: '424242' }).set(auth).expect(200);
  });

  it('answers a HubSpot refusal as our error, not a 500', async () => {
    h.fake.state.failNext({ status: 500, path: /\/crm\/v3\/lists\/search/ });
    const res = await request(h.ctx.app).get('/api/v1/hubspot/lists').set(auth).expect(502);
    expect(res.body.error.code).toBe('HUBSPOT_API_ERROR');
    expect(res.body.error.message).toMatch(/^HubSpot refused a list search \(HTTP 500\)/);
  });

  describe('the fake’s POST /crm/v3/lists/search', () => {
    const search = (body: unknown) =>
      fetch(`${h.fake.url}/crm/v3/lists/search`, { method: 'POST', headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

    it('answers in HubSpot’s shape: lists with additionalProperties as strings, hasMore, next offset, total', async () => {
      const res = await search({ query: 'paged', offset: 20, count: 3, processingTypes: ['MANUAL'] });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { lists: Array<Record<string, unknown>>; hasMore: boolean; offset: number; total: number };
      expect({ hasMore: body.hasMore, offset: body.offset, total: body.total, n: body.lists.length }).toEqual({ hasMore: true, offset: 23, total: 25, n: 3 });
      expect(body.lists[0]).toEqual({
        listId: expect.any(String),
        listVersion: 1,
        name: 'Paged list 21',
        objectTypeId: '0-1',
        processingStatus: 'COMPLETE',
        processingType: 'MANUAL',
        createdAt: expect.any(String),
        createdById: '1',
        filtersUpdatedAt: expect.any(String),
        updatedAt: expect.any(String),
        updatedById: '1',
        // An empty list has no "last record added" value, so that property is left out.
        additionalProperties: { hs_list_size: '0', hs_list_reference_count: '0' },
      });
    });

    it('filters by object type and processing type, defaults to 20 a page, and refuses more than 500', async () => {
      const companies = (await (await search({ objectTypeId: '0-2', query: 'mixed' })).json()) as { lists: Array<{ name: string }>; total: number };
      expect(companies.lists.map((l) => l.name)).toEqual(['Mixed companies 1', 'Mixed companies 2', 'Mixed companies 3']);
      const snapshots = (await (await search({ processingTypes: ['SNAPSHOT'] })).json()) as { lists: Array<{ name: string }> };
      expect(snapshots.lists.map((l) => l.name)).toEqual(['Newsletter subscribers']);
      const firstPage = (await (await search({})).json()) as { lists: unknown[]; hasMore: boolean; offset: number };
      expect({ n: firstPage.lists.length, hasMore: firstPage.hasMore, offset: firstPage.offset }).toEqual({ n: 20, hasMore: true, offset: 20 });
      const tooMany = await search({ count: 501 });
      expect(tooMany.status).toBe(400);
      expect(await tooMany.json()).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    });
  });
});
