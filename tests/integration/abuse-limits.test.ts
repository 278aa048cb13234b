import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { Redis } from 'ioredis';
import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';
import { TEST_REDIS_URL } from '../support/test-redis';
import { createDialingHarness, type DialingHarness } from '../support/dialing-harness';
import { createApp } from '../../backend/src/app';
import { setPlanLimits } from '../../backend/src/domain/settings/plan-limits';

// Abuse limits (README "Hardening"): per-portal and per-IP request limits on /api/v1 and the
// upload page, shared through Redis by every app instance; body caps; and the plan's caps on
// import rows and campaign contacts. Each refusal is a 429/413 with a code and a sentence, and
// leaves nothing behind.

const ip = (n: number) => ({ 'X-Forwarded-For': `198.51.100.${n}` });

describe('request limits', () => {
  let ctx: TestContext;
  let second: ReturnType<typeof createApp>;
  let secondRedis: Redis;
  beforeAll(async () => {
    ctx = await createTestContext({ RATE_LIMIT_PER_PORTAL: '5', RATE_LIMIT_PER_IP: '8', RATE_LIMIT_WINDOW_SECONDS: '60' });
    // Another app instance (as another web process would be): its own Redis connection, same keys.
    secondRedis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    second = createApp({ ...ctx.deps, redis: secondRedis });
  });
  afterAll(async () => {
    secondRedis.disconnect();
    await ctx.close();
  });

  it('limits each portal across app instances, with a code, a sentence and Retry-After', async () => {
    const a = await createPortalWithKey(ctx.deps.db, { name: 'A' });
    const b = await createPortalWithKey(ctx.deps.db, { name: 'B' });
    // Five requests for A spread over two instances and five addresses: the portal's budget is spent.
    for (let i = 0; i < 5; i++) await request(i % 2 ? second.app : ctx.app).get('/api/v1/portal').set(a.auth).set(ip(10 + i)).expect(200);
    const refused = await request(ctx.app).get('/api/v1/portal').set(a.auth).set(ip(20));
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(refused.body.error.message).toMatch(/^Too many requests from this portal: the limit is 5 per 60 seconds\. Try again in \d+ seconds?\.$/);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const alsoRefused = await request(second.app).get('/api/v1/portal').set(a.auth).set(ip(21));
    expect(alsoRefused.status).toBe(429);
    // Portal B is not affected by A's spending.
    await request(second.app).get('/api/v1/portal').set(b.auth).set(ip(22)).expect(200);
  });

  it('limits each client address before authentication, on the API and the upload page', async () => {
    const c = await createPortalWithKey(ctx.deps.db, { name: 'C' });
    // Unauthenticated tries count too (guessing keys is limited).
    for (let i = 0; i < 4; i++) await request(ctx.app).get('/api/v1/portal').set(ip(99)).set({ Authorization: 'Bearer aic_guessing_x' }).expect(401);
    for (let i = 0; i < 4; i++) await request(second.app).get('/upload').query({ token: 'nope' }).set(ip(99)).expect(401);
    const api = await request(ctx.app).get('/api/v1/portal').set(c.auth).set(ip(99));
    expect(api.status).toBe(429);
    expect(api.body.error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/^Too many requests from this address: the limit is 8 per 60 seconds/) });
    expect(Number(api.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const page = await request(ctx.app).get('/upload').query({ token: 'nope' }).set(ip(99));
    expect(page.status).toBe(429);
    expect(page.body.error.code).toBe('RATE_LIMITED');
    // Another address with the same key is served.
    await request(ctx.app).get('/api/v1/portal').set(c.auth).set(ip(98)).expect(200);
  });

  it("counts the upload page's token requests against the token's portal", async () => {
    const d = await createPortalWithKey(ctx.deps.db, { name: 'D' });
    const issued = await request(ctx.app).post('/api/v1/upload-tokens').set(d.auth).set(ip(40)).send({}).expect(201);
    const token = new URL(issued.body.url).searchParams.get('token')!;
    const unknownImport = '/upload/imports/00000000-0000-4000-8000-000000000000';
    for (let i = 0; i < 4; i++) await request(ctx.app).get(unknownImport).set({ Authorization: `Bearer ${token}` }).set(ip(41 + i)).expect(404);
    const refused = await request(ctx.app).get(unknownImport).set({ Authorization: `Bearer ${token}` }).set(ip(50));
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toMatch(/this portal/);
    // And the portal's API budget is the same one.
    expect((await request(ctx.app).get('/api/v1/portal').set(d.auth).set(ip(51))).status).toBe(429);
  });
});

describe('body caps', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ API_MAX_BODY_BYTES: '2048', WEBHOOK_MAX_BODY_BYTES: '4096', VAPI_WEBHOOK_SECRET: 'vapi-secret-for-caps' });
  });
  afterAll(() => ctx.close());

  it('refuses a JSON body over API_MAX_BODY_BYTES with 413 and a sentence, writing nothing', async () => {
    const { auth } = await createPortalWithKey(ctx.deps.db);
    const res = await request(ctx.app).post('/api/v1/segments').set(auth).send({ name: 'x'.repeat(3000), rule: { '==': [1, 1] } });
    expect(res.status).toBe(413);
    expect(res.body.error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than this endpoint accepts.' });
    expect(await ctx.deps.db.segment.count()).toBe(0);
    // Just under the cap is read (and judged on its content).
    const small = await request(ctx.app).post('/api/v1/segments').set(auth).send({ name: 'x'.repeat(1500), rule: { '==': [1, 1] } });
    expect(small.status).not.toBe(413);
  });

  it('refuses a webhook body over WEBHOOK_MAX_BODY_BYTES with 413, storing nothing', async () => {
    const res = await request(ctx.app)
      .post('/webhooks/vapi')
      .set('X-Vapi-Secret', 'vapi-secret-for-caps')
      .send({ message: { type: 'transcript', transcript: 'y'.repeat(5000), call: { id: 'c1' } } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await ctx.deps.db.providerEvent.count()).toBe(0);
  });
});

describe('plan caps', () => {
  let h: DialingHarness;
  beforeAll(async () => {
    h = await createDialingHarness();
  });
  afterAll(() => h.close());
  const api = () => request(h.ctx.app);
  const uploads = () => path.resolve(h.ctx.config.dataDir, 'imports', h.portalId);
  const filesIn = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

  it("refuses an import over the portal's row cap while it streams (413), keeping no row and no file", async () => {
    await setPlanLimits(h.ctx.deps.db, h.portalId, { maxImportRows: 3 });
    const before = filesIn(uploads()).length;
    // Four data rows; blank lines and a quoted line break do not add rows.
    const four = 'phone,first_name\n+12125550101,"Ada\nLovelace"\n\n+12125550102,Bo\r\n+12125550103,Cy\n+12125550104,Di';
    const res = await api().post('/api/v1/imports').set(h.auth).set('Content-Type', 'text/csv').send(four);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('IMPORT_TOO_MANY_ROWS');
    expect(res.body.error.message).toMatch(/more than 3 data rows, the most this account's plan allows in one import/);
    expect(await h.ctx.deps.db.import.count()).toBe(0);
    expect(await h.ctx.deps.db.importUploadChunk.count()).toBe(0);
    expect(filesIn(uploads()).length).toBe(before);

    const three = 'phone,first_name\n+12125550101,"Ada\nLovelace"\n\n+12125550102,Bo\r\n+12125550103,Cy\n\n';
    expect((await api().post('/api/v1/imports').set(h.auth).set('Content-Type', 'text/csv').send(three)).status).toBe(202);

    const dnc = await api().post('/api/v1/dnc/imports').set(h.auth).set('Content-Type', 'text/csv').send(four);
    expect(dnc.status).toBe(413);
    expect(dnc.body.error.code).toBe('IMPORT_TOO_MANY_ROWS');
    expect(await h.ctx.deps.db.dncEntry.count()).toBe(0);
    await setPlanLimits(h.ctx.deps.db, h.portalId, { maxImportRows: null });
  });

  it("refuses to start a campaign over the plan's contact cap (413), snapshotting nobody", async () => {
    await setPlanLimits(h.ctx.deps.db, h.portalId, { maxCampaignContacts: 2 });
    const { tag } = await h.seedContacts(3);
    const campaignId = await h.createCampaign({ tag });
    const res = await api().post(`/api/v1/campaigns/${campaignId}/start`).set(h.auth);
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'CAMPAIGN_TOO_LARGE', details: { contacts: 3, maxContacts: 2 } });
    expect(res.body.error.message).toMatch(/matches 3 contacts; this account's plan allows at most 2 in one campaign/);
    expect(await h.ctx.deps.db.campaignContact.count({ where: { campaignId } })).toBe(0);
    expect((await h.ctx.deps.db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).state).toBe('draft');

    // The settings page shows the plan in force; the portal itself cannot change it.
    const settings = await api().get('/api/v1/settings').set(h.auth).expect(200);
    expect(settings.body.plan).toEqual({ maxImportRows: h.ctx.config.plan.maxImportRows, maxCampaignContacts: 2 });
    expect((await api().put('/api/v1/settings').set(h.auth).send({ plan: { maxCampaignContacts: 10 } })).status).toBe(400);

    // Within the cap it starts; the contact card cannot then push it past the cap.
    await setPlanLimits(h.ctx.deps.db, h.portalId, { maxCampaignContacts: 3 });
    await api().post(`/api/v1/campaigns/${campaignId}/start`).set(h.auth).expect(200);
    const contact = { hubspotContactId: '9901', phone: '+12125559901', firstName: 'Ed', lastName: null, email: null };
    const full = await api().post('/api/v1/contact-card/enroll').set(h.auth).send({ contact, campaignId });
    expect(full.status).toBe(413);
    expect(full.body.error).toEqual({ code: 'CAMPAIGN_FULL', message: "The campaign already has as many contacts as this account's plan allows." });
    expect(await h.ctx.deps.db.campaignContact.count({ where: { campaignId } })).toBe(3);
    await setPlanLimits(h.ctx.deps.db, h.portalId, { maxCampaignContacts: null });
  });
});
