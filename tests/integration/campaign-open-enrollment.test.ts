import request from 'supertest';
import { createDialingHarness, zoneAtLocalHour, type DialingHarness } from '../support/dialing-harness';
import { TEST_REDIS_URL } from '../support/test-redis';
import { startWorkers, type WorkerHost } from '../../worker/src/worker-host';
import { planDueAttempts } from '../../backend/src/domain/dialing/attempt-planner.service';
import { dialAttempt } from '../../backend/src/domain/dialing/dial-attempt.service';
import { sweepCampaigns } from '../../backend/src/domain/dialing/dialing-sweep.service';

// A campaign fed by a HubSpot workflow gets contacts one by one, long after it started. With open
// enrollment it stays running while it has nothing left to call, so the next enrollment is still
// taken; closing its enrollment lets it complete. Without it, a campaign completes as soon as its
// contacts are done and later enrollments are refused in words.

describe('open-enrollment campaigns', () => {
  let h: DialingHarness;
  let results: WorkerHost;
  let seq = 7000;
  beforeAll(async () => {
    h = await createDialingHarness({ fake: { scriptFor: () => ({ outcome: 'answered' }), durations: { queuedSec: [0, 0], ringSec: [1, 1], talkSec: [20, 20], reportDelaySec: [0, 0] } } });
    results = startWorkers(h.ctx.deps, { redisUrl: TEST_REDIS_URL, prefix: h.ctx.redisPrefix, queues: ['results', 'webhooks'], schedulers: false });
  });
  afterAll(async () => {
    await results.close();
    await h.close();
  });

  const api = () => request(h.ctx.app);
  const db = () => h.ctx.deps.db;
  const stateOf = async (campaignId: string) => (await db().campaign.findUniqueOrThrow({ where: { id: campaignId } })).state;

  async function createAndStart(openEnrollment: boolean): Promise<string> {
    const { tag } = await h.seedContacts(1);
    const segment = await db().segment.create({ data: { portalId: h.portalId, name: tag, rule: { '==': [{ var: 'company' }, tag] } } });
    const created = await api()
      .post('/api/v1/campaigns')
      .set(h.auth)
      .send({ name: `open ${openEnrollment}`, segmentId: segment.id, scriptVersionId: h.versionId, callingWindow: { start: '08:00', end: '21:00', daysOfWeek: [1, 2, 3, 4, 5, 6, 7] }, ...(openEnrollment ? { openEnrollment } : {}) })
      .expect(201);
    expect(created.body.openEnrollment).toBe(openEnrollment);
    await api().post(`/api/v1/campaigns/${created.body.id}/start`).set(h.auth).expect(200);
    return created.body.id;
  }

  /** Dials everything due and waits until no contact of the campaign is pending, queued or live. */
  async function callEveryone(campaignId: string) {
    const d = h.dialing();
    for (const id of await planDueAttempts(d, campaignId)) expect(await dialAttempt(d, id)).toEqual({ kind: 'done', result: 'placed' });
    const until = Date.now() + 30_000;
    while ((await db().campaignContact.count({ where: { campaignId, state: { notIn: ['done', 'failed', 'skipped', 'cancelled'] } } })) > 0) {
      if (Date.now() > until) throw new Error('calls did not finish');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** "Add to campaign" from the contact card: a HubSpot contact we have not seen, in a zone where it is 14:00. */
  async function enroll(campaignId: string) {
    const phone = `+1212555${String(++seq).padStart(4, '0')}`;
    const contact = { hubspotContactId: String(seq), phone, firstName: 'Ada', lastName: 'Lovelace', email: null, legalBasis: 'Freely given consent from contact' };
    await api().put('/api/v1/contact-card/consent').set(h.auth).send({ contact, type: 'express', source: 'web form' }).expect(200);
    await db().contact.updateMany({ where: { portalId: h.portalId, phone }, data: { timeZone: zoneAtLocalHour(14) } });
    return api().post('/api/v1/contact-card/enroll').set(h.auth).send({ contact, campaignId });
  }

  it('stays running with nothing left to call, takes later enrollments, and completes once closed', async () => {
    const campaignId = await createAndStart(true);
    await callEveryone(campaignId);
    await sweepCampaigns(h.dialing());
    expect(await stateOf(campaignId)).toBe('running');

    const later = await enroll(campaignId);
    expect(later.status).toBe(200);
    expect(later.body.result).toBe('added');
    expect(await db().campaignContact.count({ where: { campaignId } })).toBe(2);
    await callEveryone(campaignId);
    await sweepCampaigns(h.dialing());
    expect(await stateOf(campaignId)).toBe('running');
    expect(await db().call.count({ where: { campaignId, outcome: 'completed' } })).toBe(2);

    const closed = await api().post(`/api/v1/campaigns/${campaignId}/close-enrollment`).set(h.auth).expect(200);
    expect(closed.body).toMatchObject({ completed: true, campaign: { state: 'completed', openEnrollment: false } });
    const again = await api().post(`/api/v1/campaigns/${campaignId}/close-enrollment`).set(h.auth).expect(409);
    expect(again.body.error.code).toBe('CAMPAIGN_ENROLLMENT_NOT_OPEN');
    // Completed: a later enrollment is refused in words.
    const refused = await enroll(campaignId);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'CAMPAIGN_NOT_ENROLLABLE']);
  });

  it('closed while contacts are still to call: completes when they are done, not before', async () => {
    const campaignId = await createAndStart(true);
    const closed = await api().post(`/api/v1/campaigns/${campaignId}/close-enrollment`).set(h.auth).expect(200);
    expect(closed.body).toMatchObject({ completed: false, campaign: { state: 'running', openEnrollment: false } });
    await callEveryone(campaignId);
    await sweepCampaigns(h.dialing());
    expect(await stateOf(campaignId)).toBe('completed');
  });

  it('without open enrollment completes as soon as its contacts are done', async () => {
    const campaignId = await createAndStart(false);
    await callEveryone(campaignId);
    await sweepCampaigns(h.dialing());
    expect(await stateOf(campaignId)).toBe('completed');
    const refused = await enroll(campaignId);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'CAMPAIGN_NOT_ENROLLABLE']);
    const res = await api().post(`/api/v1/campaigns/${campaignId}/close-enrollment`).set(h.auth).expect(409);
    expect(res.body.error.code).toBe('CAMPAIGN_ENROLLMENT_NOT_OPEN');
  });
});
