import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';
import { createVoiceRouter } from '../../backend/src/providers/voice/voice-router';
import { readResultsSettings } from '../../backend/src/domain/calls/results-settings';
import { portalCallingDefaults } from '../../backend/src/domain/campaigns/campaign-defaults';

// The settings page's API: the provider key sealed in the shape the voice router reads (and never
// returned), calling defaults inside TCPA hours, pacing within the account's limit, caller ids,
// write-back options, and the portal's API keys. Bad input: 4xx with every problem, nothing written.

describe('settings API', () => {
  let ctx: TestContext;
  let auth: Record<string, string>;
  let portalId: string;
  beforeAll(async () => {
    ctx = await createTestContext({ VAPI_API_KEY: 'platform-vapi-key' });
  });
  beforeEach(async () => {
    const p = await createPortalWithKey(ctx.deps.db);
    auth = p.auth;
    portalId = p.portal.id;
  });
  afterAll(() => ctx.close());

  const put = (body: unknown) => request(ctx.app).put('/api/v1/settings').set(auth).send(body as object);
  const portal = () => ctx.deps.db.portal.findUniqueOrThrow({ where: { id: portalId } });

  it('reads the defaults: the platform account, weekday window, pacing and its limit', async () => {
    const res = await request(ctx.app).get('/api/v1/settings').set(auth).expect(200);
    expect(res.body).toMatchObject({
      provider: { name: 'vapi', source: 'platform_default', keyHint: null, platformDefaultAvailable: true },
      calling: { windowStart: '09:00', windowEnd: '20:00', daysOfWeek: [1, 2, 3, 4, 5], timeZone: 'America/New_York', region: 'US', minConsent: 'express' },
      pacing: { maxConcurrentCalls: 10, callsPerMinute: 60 },
      limits: { maxConcurrentCalls: 10, callsPerMinute: 120 },
      writeback: { hubspotMatchCsvContacts: false, hubspotTimelineEventTemplateId: null },
    });
  });

  it('seals the portal’s own Vapi key where the voice router reads it, and never returns it', async () => {
    const key = 'vapi-private-key-1234567890-abcd';
    const res = await put({ provider: { apiKey: key, phoneNumberIds: { '+14155550100': 'pn-1' }, defaultPhoneNumberId: 'pn-1', assistantId: 'asst-9' } }).expect(200);
    expect(res.body.provider).toMatchObject({ source: 'own_key', keyHint: '…abcd', phoneNumberIds: { '+14155550100': 'pn-1' }, defaultPhoneNumberId: 'pn-1', assistantId: 'asst-9' });
    expect(JSON.stringify(res.body)).not.toContain(key);
    const row = await portal();
    expect(row.providerCredentialsEnc).not.toContain(key);
    expect(JSON.parse(ctx.deps.cipher.decrypt(row.providerCredentialsEnc!))).toEqual({ apiKey: key, phoneNumberIds: { '+14155550100': 'pn-1' }, defaultPhoneNumberId: 'pn-1', assistantId: 'asst-9' });
    // The dialer's view: this portal now dials on its own account.
    const voice = createVoiceRouter(ctx.deps).forPortal(row);
    const platform = createVoiceRouter(ctx.deps).forPortal({ ...row, providerCredentialsEnc: null });
    expect(voice.ok && platform.ok && voice.voice.accountKey !== platform.voice.accountKey).toBe(true);
    // Own account: a higher pacing limit.
    expect(res.body.limits).toEqual({ maxConcurrentCalls: 100, callsPerMinute: 600 });

    // Changing only the assistant keeps the key; null goes back to the platform account.
    await put({ provider: { assistantId: 'asst-10' } }).expect(200);
    expect(JSON.parse(ctx.deps.cipher.decrypt((await portal()).providerCredentialsEnc!))).toMatchObject({ apiKey: key, assistantId: 'asst-10' });
    const back = await put({ provider: { apiKey: null } }).expect(200);
    expect(back.body.provider).toMatchObject({ source: 'platform_default', keyHint: null, assistantId: 'asst-10' });
    expect((await portal()).providerCredentialsEnc).toBeNull();
  });

  it('keeps the calling window inside TCPA hours and names every problem, writing nothing', async () => {
    const before = await portal();
    const res = await put({ calling: { windowStart: '07:00', windowEnd: '22:00', timeZone: 'Mars/Olympus', region: 'ZZ' }, pacing: { maxConcurrentCalls: 50 } }).expect(422);
    expect(res.body.error.code).toBe('SETTINGS_INVALID');
    expect(res.body.error.details.problems.map((p: { path: string }) => p.path)).toEqual(['calling.start', 'calling.end', 'calling.timeZone', 'calling.region', 'pacing.maxConcurrentCalls']);
    expect(res.body.error.message).toMatch(/too early.*\(and 4 more problems\)/);
    expect(await portal()).toEqual(before);

    const ok = await put({ calling: { windowStart: '10:00', windowEnd: '18:30', daysOfWeek: [1, 3, 5], timeZone: 'Europe/London', region: 'gb', minConsent: 'written' }, pacing: { maxConcurrentCalls: 8, callsPerMinute: 100 } }).expect(200);
    expect(ok.body.calling).toEqual({ windowStart: '10:00', windowEnd: '18:30', daysOfWeek: [1, 3, 5], timeZone: 'Europe/London', region: 'GB', minConsent: 'written' });
    // Campaigns created from now on start from these defaults.
    expect(portalCallingDefaults(await portal())).toMatchObject({ timeZone: 'Europe/London', window: { start: '10:00', end: '18:30', daysOfWeek: [1, 3, 5] }, minConsent: 'written', maxConcurrentCalls: 8, callsPerMinute: 100 });
  });

  it('normalises caller ids and stores the write-back options the results side reads', async () => {
    const res = await put({ callerIds: ['(415) 555-0100', '+1 415 555 0100', '+442071838750'], writeback: { hubspotMatchCsvContacts: true, conversionDispositions: ['booked', 'booked', 'qualified'] } }).expect(200);
    expect(res.body.callerIds).toEqual(['+14155550100', '+442071838750']);
    expect(readResultsSettings((await portal()).settings)).toMatchObject({ hubspotMatchCsvContacts: true, conversionDispositions: ['booked', 'qualified'] });
    const bad = await put({ callerIds: ['not a number'] }).expect(422);
    expect(bad.body.error.message).toMatch(/^"not a number"/);
    await put({ unknown: true }).expect(400);
    await put({ provider: { apiKey: 'short' } }).expect(400);
  });

  it('accepts the write-back example of the README, which names every write-back setting with its default', async () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Write-back settings'));
    const defaults = (await request(ctx.app).get('/api/v1/settings').set(auth).expect(200)).body.writeback as Record<string, unknown>;
    const squeeze = (t: string) => t.replace(/\s+/g, '');
    for (const [key, value] of Object.entries(defaults)) {
      const row = section.split('\n').find((l) => l.startsWith(`| \`${key}\` |`));
      expect({ key, default: row && squeeze(row.split('|')[2]!).match(/^`([^`]*)`/)?.[1] }).toEqual({ key, default: squeeze(JSON.stringify(value)) });
    }
    const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)![1]!) as { writeback: Record<string, unknown> };
    const res = await put(example).expect(200);
    expect(res.body.writeback).toEqual(example.writeback);
    expect(readResultsSettings((await portal()).settings)).toEqual(example.writeback);
    // null turns the timeline event off again; the other settings keep their values.
    expect((await put({ writeback: { hubspotTimelineEventTemplateId: null } }).expect(200)).body.writeback).toEqual({ ...example.writeback, hubspotTimelineEventTemplateId: null });
  });

  it('creates, lists and revokes this portal’s API keys, never another portal’s', async () => {
    const created = await request(ctx.app).post('/api/v1/settings/api-keys').set(auth).send({ name: 'Zapier' }).expect(201);
    expect(created.body.apiKey).toMatch(/^aic_/);
    await request(ctx.app).get('/api/v1/portal').set({ Authorization: `Bearer ${created.body.apiKey}` }).expect(200);
    const list = await request(ctx.app).get('/api/v1/settings/api-keys').set(auth).expect(200);
    expect(list.body.keys.map((k: { name: string }) => k.name)).toEqual(['Zapier', 'default']);
    expect(JSON.stringify(list.body)).not.toContain(created.body.apiKey);

    const other = await createPortalWithKey(ctx.deps.db);
    await request(ctx.app).post('/api/v1/settings/api-keys/revoke').set(other.auth).send({ keyId: created.body.id }).expect(404);
    await request(ctx.app).get('/api/v1/portal').set({ Authorization: `Bearer ${created.body.apiKey}` }).expect(200);
    const revoked = await request(ctx.app).post('/api/v1/settings/api-keys/revoke').set(auth).send({ keyId: created.body.id }).expect(200);
    expect(revoked.body.revokedAt).toBeTruthy();
    const denied = await request(ctx.app).get('/api/v1/portal').set({ Authorization: `Bearer ${created.body.apiKey}` });
    expect(denied.status).toBe(401);
    expect(denied.body.error.code).toBe('API_KEY_REVOKED');
  });
});
