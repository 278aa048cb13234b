import request from 'supertest';
import { startWorkers, type WorkerHost } from '../../worker/src/worker-host';
import { TEST_REDIS_URL } from '../support/test-redis';
import { createDialingHarness, zoneAtLocalHour, type DialingHarness } from '../support/dialing-harness';
import { createPortalWithKey } from '../support/factories';
import { planDueAttempts } from '../../backend/src/domain/dialing/attempt-planner.service';
import { dialAttempt } from '../../backend/src/domain/dialing/dial-attempt.service';

// The contact card's API: one read with everything the card shows, the DNC toggle, consent,
// "Add to campaign", and "Call now" — a one-contact campaign dialed by the real dialer (Vapi
// fake), refused up front, in words, when a dial-time check would refuse it.

describe('contact card API and Call now', () => {
  let h: DialingHarness;
  // End-of-call reports may be applied by a queued job: run those queues (no schedulers, no dialing jobs).
  let results: WorkerHost;
  let seq = 5000;
  beforeAll(async () => {
    h = await createDialingHarness({ fake: { scriptFor: () => ({ outcome: 'answered' }), durations: { queuedSec: [0, 0], ringSec: [1, 1], talkSec: [30, 30], reportDelaySec: [0, 0] } } });
    results = startWorkers(h.ctx.deps, { redisUrl: TEST_REDIS_URL, prefix: h.ctx.redisPrefix, queues: ['results', 'webhooks'], schedulers: false });
    // Call now uses the portal's default window: make it always open for the real clock.
    await h.ctx.deps.db.portal.update({ where: { id: h.portalId }, data: { defaultWindowStart: '00:00', defaultWindowEnd: '23:59', settings: { defaultDaysOfWeek: [1, 2, 3, 4, 5, 6, 7] } } });
  });
  afterAll(async () => {
    await results.close();
    await h.close();
  });
  beforeEach(() => {
    h.clock.now = new Date();
  });

  const api = () => request(h.ctx.app);
  const card = (o: Partial<{ hubspotContactId: string; phone: string | null; legalBasis: string }> = {}) => ({
    hubspotContactId: o.hubspotContactId ?? String(++seq),
    phone: o.phone === undefined ? `+1212555${String(seq).padStart(4, '0')}` : o.phone,
    firstName: 'Grace',
    lastName: 'Hopper',
    email: 'grace@example.test',
    legalBasis: o.legalBasis ?? 'Freely given consent from contact',
  });
  const read = (c: { hubspotContactId: string; phone?: string | null }) => api().get('/api/v1/contact-card').query({ hubspotContactId: c.hubspotContactId, ...(c.phone ? { phone: c.phone } : {}) }).set(h.auth);

  it('reads a HubSpot contact we have never seen without creating it, and lists what the card can offer', async () => {
    const campaignId = await h.createCampaign({ tag: 'card-offer' });
    const c = card();
    const res = await read(c).expect(200);
    expect(res.body).toMatchObject({
      contact: null,
      phone: { e164: c.phone, callable: true },
      dnc: { listed: false },
      consent: { type: 'none' },
      calls: [],
      enrollments: [],
    });
    expect(res.body.campaigns.map((x: { id: string }) => x.id)).toContain(campaignId);
    expect(res.body.scripts).toEqual([{ scriptVersionId: h.versionId, label: 'Starter (v1)' }]);
    expect(await h.ctx.deps.db.contact.count({ where: { hubspotContactId: c.hubspotContactId } })).toBe(0);

    const noPhone = await read({ hubspotContactId: '999001' }).expect(200);
    expect(noPhone.body.phone).toEqual({ e164: null, callable: false, problem: 'The contact has no phone number to call.' });
    await api().get('/api/v1/contact-card').query({ hubspotContactId: 'abc' }).set(h.auth).expect(400);
  });

  it('toggles do-not-call and sets consent for the record, creating our contact once', async () => {
    const c = card({ legalBasis: '' });
    await api().put('/api/v1/contact-card/dnc').set(h.auth).send({ contact: c, listed: true }).expect(200);
    let view = (await read(c).expect(200)).body;
    expect(view.dnc).toMatchObject({ listed: true, source: 'hubspot_card' });
    expect(view.contact).toMatchObject({ phone: c.phone, hubspotContactId: c.hubspotContactId });
    await api().put('/api/v1/contact-card/dnc').set(h.auth).send({ contact: c, listed: false }).expect(200);
    await api().put('/api/v1/contact-card/dnc').set(h.auth).send({ contact: c, listed: false }).expect(200); // already off: still fine
    expect((await read(c)).body.dnc.listed).toBe(false);

    const consent = await api().put('/api/v1/contact-card/consent').set(h.auth).send({ contact: c, type: 'written', source: 'Signed form 2026-11-02' }).expect(200);
    expect(consent.body).toMatchObject({ type: 'written', source: 'Signed form 2026-11-02' });
    view = (await read(c)).body;
    expect(view.consent.type).toBe('written');
    expect(await h.ctx.deps.db.contact.count({ where: { portalId: h.portalId, phone: c.phone! } })).toBe(1);

    const bad = await api().put('/api/v1/contact-card/dnc').set(h.auth).send({ contact: card({ phone: 'call me' }), listed: true });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/cannot be called/);
  });

  it('adds the contact to a campaign and says what will happen', async () => {
    const campaignId = await h.createCampaign({ tag: 'card-enroll' });
    const c = card();
    const added = await api().post('/api/v1/contact-card/enroll').set(h.auth).send({ contact: c, campaignId }).expect(200);
    expect(added.body).toMatchObject({ result: 'added', state: 'pending' });
    const again = await api().post('/api/v1/contact-card/enroll').set(h.auth).send({ contact: c, campaignId }).expect(200);
    expect(again.body.result).toBe('already_waiting');
    expect((await read(c)).body.enrollments).toEqual([expect.objectContaining({ campaignId, state: 'pending', campaignName: 'Test campaign' })]);

    const noConsent = card({ legalBasis: 'Legitimate interest' });
    const skipped = await api().post('/api/v1/contact-card/enroll').set(h.auth).send({ contact: noConsent, campaignId }).expect(200);
    expect(skipped.body).toMatchObject({ result: 'skipped', message: expect.stringMatching(/consent/) });

    const other = await createPortalWithKey(h.ctx.deps.db);
    await api().post('/api/v1/contact-card/enroll').set(other.auth).send({ contact: card(), campaignId }).expect(404);
  });

  it('calls now through the dialer: a one-contact campaign, dialed, then shown in the call history', async () => {
    const c = card();
    // The number is in New York and the test runs at any hour: the contact (created here by
    // recording consent from the card) lives where it is 14:00, so Call now finds the window open.
    await api().put('/api/v1/contact-card/consent').set(h.auth).send({ contact: c, type: 'express', source: 'web form' }).expect(200);
    await h.ctx.deps.db.contact.updateMany({ where: { portalId: h.portalId, phone: c.phone! }, data: { timeZone: zoneAtLocalHour(14) } });
    const res = await api().post('/api/v1/call-now').set(h.auth).send({ contact: c, scriptVersionId: h.versionId }).expect(202);
    expect(res.body.message).toMatch(/Starter/);
    const db = h.ctx.deps.db;
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id: res.body.campaignId }, include: { variants: true, contacts: true } });
    expect(campaign).toMatchObject({ state: 'running', maxAttempts: 1, maxConcurrent: 1 });
    expect(campaign.createdBy).toMatch(/^call-now:apikey:/);
    expect(campaign.variants.map((v) => v.scriptVersionId)).toEqual([h.versionId]);
    expect(campaign.contacts).toHaveLength(1);

    // A second click while the first is on its way is refused.
    const twice = await api().post('/api/v1/call-now').set(h.auth).send({ contact: c, scriptVersionId: h.versionId });
    const d = h.dialing();
    const [id] = await planDueAttempts(d, campaign.id);
    expect(twice.status).toBe(409);
    expect(await dialAttempt(d, id!)).toEqual({ kind: 'done', result: 'placed' });
    const until = Date.now() + 15_000;
    let view;
    do {
      await new Promise((r) => setTimeout(r, 150));
      view = (await read(c)).body;
    } while (!view.calls[0]?.outcome && Date.now() < until);
    expect(view.calls).toEqual([expect.objectContaining({ id, outcome: 'completed', campaignName: campaign.name })]);
    expect(view.calls[0].durationSec).toBeGreaterThan(0);
    // The call's outcome is written first, then the attempt is finished and the campaign completed.
    let state = '';
    for (let i = 0; i < 100 && state !== 'completed'; i++) {
      state = (await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).state;
      if (state !== 'completed') await new Promise((r) => setTimeout(r, 50));
    }
    expect(state).toBe('completed');
    // One-off campaigns are not offered as campaigns to join.
    expect(view.campaigns.map((x: { id: string }) => x.id)).not.toContain(campaign.id);
  });

  it('refuses Call now in words when a dial-time check would, and writes nothing', async () => {
    const db = h.ctx.deps.db;
    const before = await db.campaign.count();
    const dnc = card();
    await db.dncEntry.create({ data: { portalId: h.portalId, phone: dnc.phone!, reason: 'asked', source: 'manual' } });
    const onList = await api().post('/api/v1/call-now').set(h.auth).send({ contact: dnc, scriptVersionId: h.versionId }).expect(409);
    expect(onList.body.error).toEqual({ code: 'CALL_NOW_REFUSED', message: 'The number is on the do-not-call list.' });

    const noConsent = await api().post('/api/v1/call-now').set(h.auth).send({ contact: card({ legalBasis: 'Legitimate interest' }), scriptVersionId: h.versionId }).expect(409);
    expect(noConsent.body.error.message).toMatch(/consent/);

    const noPhone = await api().post('/api/v1/call-now').set(h.auth).send({ contact: card({ phone: null }), scriptVersionId: h.versionId }).expect(409);
    expect(noPhone.body.error.message).toBe('The contact has no phone number to call.');

    await db.portal.update({ where: { id: h.portalId }, data: { defaultWindowStart: '09:00', defaultWindowEnd: '09:01', settings: { defaultDaysOfWeek: [1, 2, 3, 4, 5, 6, 7] } } });
    try {
      const closed = card();
      await api().put('/api/v1/contact-card/consent').set(h.auth).send({ contact: closed, type: 'express', source: 'web form' }).expect(200);
      await db.contact.updateMany({ where: { portalId: h.portalId, phone: closed.phone! }, data: { timeZone: zoneAtLocalHour(14) } });
      const late = await api().post('/api/v1/call-now').set(h.auth).send({ contact: closed, scriptVersionId: h.versionId }).expect(409);
      expect(late.body.error.message).toMatch(/outside the calling window.*Calls go out 09:00–09:01/);
    } finally {
      await db.portal.update({ where: { id: h.portalId }, data: { defaultWindowStart: '00:00', defaultWindowEnd: '23:59' } });
    }

    const other = await createPortalWithKey(db);
    await api().post('/api/v1/call-now').set(other.auth).send({ contact: card(), scriptVersionId: h.versionId }).expect(404);
    await api().post('/api/v1/call-now').set(h.auth).send({ contact: card(), scriptVersionId: h.versionId, extra: 1 }).expect(400);
    expect(await db.campaign.count()).toBe(before);
  });
});
