import request from 'supertest';
import { startHubSpotHarness, installPortal, servicesLikeAnotherProcess, type HubSpotHarness } from './hubspot-test-support';
import { seedContacts, seedList } from '../../fakes/hubspot/seed';
import { createApiKey } from '../../backend/src/domain/portals/api-key.service';
import { runHubSpotListImport } from '../../backend/src/domain/imports/hubspot-list-import.service';
import { ianaFromHubSpotZone } from '../../backend/src/domain/imports/hubspot-list-source';

// A HubSpot list of 10,500 members pulled through the real gateway and SDK from the HubSpot fake,
// with paging and 429s, into the same upsert path as CSV files.
describe('HubSpot list import', () => {
  let h: HubSpotHarness;
  let portalId: string;
  let auth: Record<string, string>;
  const hubId = 770001;

  beforeAll(async () => {
    h = await startHubSpotHarness({}, { rateLimit: { max: 10_000, windowMs: 1000 } } as never);
    ({ portalId } = await installPortal(h, { hubId }));
    auth = { Authorization: `Bearer ${(await createApiKey(h.ctx.deps.db, { portalId })).apiKey}` };
  });
  afterAll(() => h.close());

  it('reads HubSpot time zones as IANA names', () => {
    expect(ianaFromHubSpotZone('america_slash_new_york')).toBe('America/New_York');
    expect(ianaFromHubSpotZone('america_slash_argentina_slash_buenos_aires')).toBe('America/Argentina/Buenos_Aires');
    expect(ianaFromHubSpotZone(null)).toBeNull();
  });

  it('pages through a 10k+ list with 429s and counts every row exactly', async () => {
    const seeds = [
      ...Array.from({ length: 10_000 }, (_, k) => ({
        firstname: `First${k}`,
        phone: `+1212${2000000 + k}`,
        email: `c${k}@example.test`,
        hs_timezone: k % 2 ? 'america_slash_new_york' : 'america_slash_chicago',
        ...(k % 10 === 0 ? { hs_legal_basis: 'Freely given consent from contact' } : {}),
      })),
      ...Array.from({ length: 300 }, (_, k) => ({ firstname: `Bad${k}`, phone: '12345' })),
      // Same numbers as the first 200: the later rows win, the earlier count as duplicates.
      ...Array.from({ length: 200 }, (_, k) => ({ firstname: `Again${k}`, phone: `+1212${2000000 + k}` })),
    ];
    const records = seedContacts(h.fake.state, hubId, seeds);
    const { listId } = seedList(h.fake.state, { hubId, contactIds: records.map((r) => r.id) });
    h.fake.state.failNext({ status: 429, count: 2, path: /\/crm\/v3\/lists\//, retryAfterSeconds: 1 });
    h.fake.state.failNext({ status: 429, count: 1, path: /batch\/read/, retryAfterSeconds: 1 });

    const created = await request(h.ctx.app).post('/api/v1/imports/hubspot-list').set(auth).send({ listId }).expect(202);
    const { services, redis } = servicesLikeAnotherProcess(h.ctx, { maxRequests: 1000, windowMs: 1000, latencyAllowanceMs: 0 });
    try {
      const outcome = await runHubSpotListImport(h.ctx.deps, services.gateway, { importId: created.body.id, portalId }, { final: true });
      expect(outcome).toBe('completed');
    } finally {
      redis.disconnect();
    }
    const imp = await request(h.ctx.app).get(`/api/v1/imports/${created.body.id}`).set(auth).expect(200);
    expect(imp.body).toMatchObject({ status: 'completed' });
    const row = await h.ctx.deps.db.import.findUniqueOrThrow({ where: { id: created.body.id } });
    expect({ rowsRead: row.rowsRead, created: row.created, updated: row.updated, duplicate: row.duplicate, rejected: row.rejected }).toEqual({
      rowsRead: 10_500,
      created: 10_000,
      updated: 0,
      duplicate: 200,
      rejected: 300,
    });
    const db = h.ctx.deps.db;
    expect(await db.contact.count({ where: { portalId, source: 'hubspot' } })).toBe(10_000);
    expect(await db.contact.count({ where: { portalId, hubspotContactId: null } })).toBe(0);
    const first = await db.contact.findFirstOrThrow({ where: { portalId, phone: '+12122000000' } });
    expect(first).toMatchObject({ firstName: 'Again0', hubspotContactId: records[10_300]!.id });
    const second = await db.contact.findFirstOrThrow({ where: { portalId, phone: '+12122000201' } });
    expect(second).toMatchObject({ timeZone: 'America/New_York', timeZoneSource: 'file' });
    expect(await db.contact.count({ where: { portalId, consentType: 'express' } })).toBe(980);
    expect(await db.importContact.count({ where: { importId: created.body.id } })).toBe(10_000);
    // The 429s were met and waited out, not skipped.
    const listCalls = h.fake.state.requests.filter((r) => /\/crm\/v3\/lists\/.*memberships/.test(r.path));
    expect(listCalls.length).toBe(Math.ceil(10_500 / 250) + 2);
  }, 120_000);

  it('refuses a portal that has not installed the app, and a malformed list id', async () => {
    const other = await h.ctx.deps.db.portal.create({ data: { hubId: BigInt(hubId + 1), name: 'Not installed' } });
    const key = (await createApiKey(h.ctx.deps.db, { portalId: other.id })).apiKey;
    const r = await request(h.ctx.app).post('/api/v1/imports/hubspot-list').set({ Authorization: `Bearer ${key}` }).send({ listId: '42' }).expect(409);
    expect(r.body.error.code).toBe('HUBSPOT_NOT_INSTALLED');
    const bad = await request(h.ctx.app).post('/api/v1/imports/hubspot-list').set(auth).send({ listId: 'abc' }).expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(await h.ctx.deps.db.import.count({ where: { portalId: other.id } })).toBe(0);
  });
});
