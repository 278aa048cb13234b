import request from 'supertest';
import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';
import type { Db } from '../../backend/src/platform/prisma';
import { transitionCampaign } from '../../backend/src/domain/campaigns/campaign-transition';

let ctx: TestContext;
let db: Db;
let a: Awaited<ReturnType<typeof createPortalWithKey>>;
let b: Awaited<ReturnType<typeof createPortalWithKey>>;
let v1: string;
let v2: string;
let bVersion: string;
let segmentId: string;
let bSegmentId: string;
const UNKNOWN = '3b9d6f0a-1c2e-4f5a-9b8c-7d6e5f4a3b2c';

async function publishedVersions(portalId: string, n: number): Promise<string[]> {
  const script = await db.script.create({ data: { portalId, name: 'Script', draft: {} } });
  const out: string[] = [];
  for (let i = 1; i <= n; i++) {
    out.push((await db.scriptVersion.create({ data: { portalId, scriptId: script.id, version: i, graph: { nodes: [] }, checksum: `c${i}` } })).id);
  }
  return out;
}

beforeAll(async () => {
  ctx = await createTestContext();
  db = ctx.deps.db;
  a = await createPortalWithKey(db);
  b = await createPortalWithKey(db);
  await db.portal.update({ where: { id: a.portal.id }, data: { callerIds: ['+14155550100', '+14155550101'], maxConcurrentCalls: 10, callsPerMinute: 60 } });
  [v1, v2] = (await publishedVersions(a.portal.id, 2)) as [string, string];
  [bVersion] = (await publishedVersions(b.portal.id, 1)) as [string];
  segmentId = (await db.segment.create({ data: { portalId: a.portal.id, name: 'all', rule: true } })).id;
  bSegmentId = (await db.segment.create({ data: { portalId: b.portal.id, name: 'theirs', rule: true } })).id;
});

afterAll(async () => {
  await ctx.close();
});

const api = () => request(ctx.app);
const create = (body: object) => api().post('/api/v1/campaigns').set(a.auth).send(body);
const counts = async () => ({ campaigns: await db.campaign.count(), variants: await db.campaignVariant.count() });

describe('campaign CRUD', () => {
  it('creates a draft with the portal defaults', async () => {
    const res = await create({ name: 'Spring renewals', segmentId, scriptVersionId: v1 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Spring renewals',
      state: 'draft',
      segmentId,
      variants: [{ label: 'A', weight: 1, scriptVersionId: v1 }],
      callingWindow: { start: '09:00', end: '20:00', daysOfWeek: [1, 2, 3, 4, 5], timeZone: null },
      pacing: { maxConcurrent: 5, callsPerMinute: 30 },
      maxAttempts: 3,
      minConsent: 'express',
      retryPolicy: { no_answer: { retry: true, delayMinutes: 240 }, busy: { retry: true, delayMinutes: 30 } },
      schedule: { startAt: null, endAt: null },
      createdBy: `apikey:${a.keyId}`,
    });
  });

  it('creates an A/B campaign with every field set', async () => {
    const res = await create({
      name: 'A/B',
      segmentId,
      variants: [
        { scriptVersionId: v1, weight: 3, label: 'control' },
        { scriptVersionId: v2, weight: 1, label: 'bold' },
      ],
      schedule: { startAt: '2099-01-01T14:00:00Z', endAt: '2099-02-01T00:00:00Z' },
      callingWindow: { start: '10:00', end: '18:30', daysOfWeek: [2, 4], timeZone: 'America/Chicago' },
      pacing: { maxConcurrent: 10, callsPerMinute: 60 },
      retryPolicy: { voicemail: { retry: false, delayMinutes: 60 } },
      maxAttempts: 5,
      callerId: '+14155550101',
      minConsent: 'written',
    });
    expect(res.status).toBe(201);
    expect(res.body.variants.map((v: { label: string; weight: number }) => [v.label, v.weight])).toEqual([['bold', 1], ['control', 3]]);
    expect(res.body).toMatchObject({
      schedule: { startAt: '2099-01-01T14:00:00.000Z', endAt: '2099-02-01T00:00:00.000Z' },
      callingWindow: { start: '10:00', end: '18:30', daysOfWeek: [2, 4], timeZone: 'America/Chicago' },
      retryPolicy: { voicemail: { retry: false, delayMinutes: 60 }, busy: { retry: true, delayMinutes: 30 } },
      maxAttempts: 5,
      callerId: '+14155550101',
      minConsent: 'written',
    });
    expect((await api().get(`/api/v1/campaigns/${res.body.id}`).set(a.auth)).body).toEqual(res.body);
  });

  it('lists newest first, in pages, filtered by state', async () => {
    const x = await create({ name: 'list-1', scriptVersionId: v1 });
    const y = await create({ name: 'list-2', scriptVersionId: v1 });
    await transitionCampaign(db, a.portal.id, x.body.id, 'running', { actor: 'test' });
    const page1 = await api().get('/api/v1/campaigns?limit=1').set(a.auth);
    expect(page1.body.data[0].id).toBe(y.body.id);
    const page2 = await api().get(`/api/v1/campaigns?limit=1&cursor=${page1.body.nextCursor}`).set(a.auth);
    expect(page2.body.data[0].id).toBe(x.body.id);
    const running = await api().get('/api/v1/campaigns?state=running,paused').set(a.auth);
    expect(running.body.data.map((c: { id: string }) => c.id)).toEqual([x.body.id]);
    const bad = await api().get('/api/v1/campaigns?state=sleeping').set(a.auth);
    expect(bad.status).toBe(400);
    expect((await api().get('/api/v1/campaigns?cursor=nonsense').set(a.auth)).body.error.code).toBe('CURSOR_INVALID');
  });

  it('updates a draft, replacing variants, and refuses once it has started', async () => {
    const c = await create({ name: 'edit me', scriptVersionId: v1 });
    const patched = await api()
      .patch(`/api/v1/campaigns/${c.body.id}`)
      .set(a.auth)
      .send({ name: 'edited', variants: [{ scriptVersionId: v2 }, { scriptVersionId: v1, weight: 2 }], callingWindow: { end: '19:00' }, maxAttempts: 2 });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'edited', maxAttempts: 2, callingWindow: { start: '09:00', end: '19:00' } });
    expect(patched.body.variants.map((v: { label: string; scriptVersionId: string; weight: number }) => [v.label, v.scriptVersionId, v.weight])).toEqual([
      ['A', v2, 1],
      ['B', v1, 2],
    ]);
    expect(await db.campaignVariant.count({ where: { campaignId: c.body.id } })).toBe(2);

    await transitionCampaign(db, a.portal.id, c.body.id, 'scheduled', { actor: 'test' });
    const late = await api().patch(`/api/v1/campaigns/${c.body.id}`).set(a.auth).send({ name: 'too late' });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'CAMPAIGN_NOT_EDITABLE', message: 'The campaign is scheduled; only a draft campaign can be changed.' });
    const del = await api().delete(`/api/v1/campaigns/${c.body.id}`).set(a.auth);
    expect(del.status).toBe(409);
    expect(del.body.error.code).toBe('CAMPAIGN_NOT_DELETABLE');
    expect((await db.campaign.findUnique({ where: { id: c.body.id } }))?.name).toBe('edited');
  });

  it('validates the merged settings on update (a later end than the window start)', async () => {
    const c = await create({ name: 'w', scriptVersionId: v1, callingWindow: { start: '10:00', end: '12:00' } });
    const res = await api().patch(`/api/v1/campaigns/${c.body.id}`).set(a.auth).send({ callingWindow: { end: '09:30' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('The window end (09:30) must be later than its start (10:00).');
    expect((await db.campaign.findUnique({ where: { id: c.body.id } }))?.windowEnd).toBe('12:00');
  });

  it('deletes a draft with its variants', async () => {
    const c = await create({ name: 'bye', scriptVersionId: v1 });
    expect((await api().delete(`/api/v1/campaigns/${c.body.id}`).set(a.auth)).status).toBe(204);
    expect((await api().get(`/api/v1/campaigns/${c.body.id}`).set(a.auth)).status).toBe(404);
    expect(await db.campaignVariant.count({ where: { campaignId: c.body.id } })).toBe(0);
  });
});

describe('campaign bad input: 4xx with a sentence, nothing written', () => {
  it.each([
    ['an unknown script version', { scriptVersionId: UNKNOWN }, 'CAMPAIGN_SCRIPT_NOT_FOUND', `No published script version with id ${UNKNOWN} exists in this portal.`],
    ['another portal script version', () => ({ variants: [{ scriptVersionId: v1 }, { scriptVersionId: bVersion }] }), 'CAMPAIGN_SCRIPT_NOT_FOUND', 'variants'],
    ['another portal segment', () => ({ scriptVersionId: v1, segmentId: bSegmentId }), 'CAMPAIGN_SEGMENT_NOT_FOUND', 'No segment with id'],
    ['pacing above the account limit', () => ({ scriptVersionId: v1, pacing: { maxConcurrent: 25 } }), 'CAMPAIGN_PACING_ABOVE_LIMIT', "maxConcurrent 25 is above this portal's provider account limit of 10 live calls."],
    ['calls per minute above the account limit', () => ({ scriptVersionId: v1, pacing: { callsPerMinute: 600 } }), 'CAMPAIGN_PACING_ABOVE_LIMIT', 'limit of 60 calls per minute'],
    ['a window past 21:00', () => ({ scriptVersionId: v1, callingWindow: { start: '09:00', end: '21:30' } }), 'CAMPAIGN_WINDOW_INVALID', 'cannot end after 21:00'],
    ['a caller id the portal does not own', () => ({ scriptVersionId: v1, callerId: '+12025550123' }), 'CAMPAIGN_CALLER_ID_NOT_OWNED', "not one of this portal's caller ids"],
    ['a caller id that is not E.164', () => ({ scriptVersionId: v1, callerId: '(415) 555-0100' }), 'CAMPAIGN_CALLER_ID_INVALID', 'E.164'],
    ['the same version twice', () => ({ variants: [{ scriptVersionId: v1 }, { scriptVersionId: v1 }] }), 'CAMPAIGN_VARIANTS_INVALID', 'pinned twice'],
    ['max attempts 0', () => ({ scriptVersionId: v1, maxAttempts: 0 }), 'VALIDATION_FAILED', 'maxAttempts'],
    ['no script at all', () => ({}), 'VALIDATION_FAILED', 'variants'],
    ['an unknown retry outcome', () => ({ scriptVersionId: v1, retryPolicy: { hung_up: { retry: true, delayMinutes: 5 } } }), 'VALIDATION_FAILED', 'retryPolicy'],
  ])('refuses %s', async (_what, body, code, sentence) => {
    const before = await counts();
    const res = await create({ name: 'bad', ...(typeof body === 'function' ? body() : body) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(JSON.stringify(res.body.error)).toContain(sentence);
    expect(await counts()).toEqual(before);
  });

  it('refuses malformed JSON', async () => {
    const res = await api().post('/api/v1/campaigns').set(a.auth).set('content-type', 'application/json').send('{"name": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_JSON');
  });
});

describe('campaign tenant isolation', () => {
  it('answers 404 for another portal campaign and changes nothing', async () => {
    const theirs = await api().post('/api/v1/campaigns').set(b.auth).send({ name: 'theirs', scriptVersionId: bVersion });
    expect(theirs.status).toBe(201);
    const id = theirs.body.id as string;
    for (const r of [
      api().get(`/api/v1/campaigns/${id}`).set(a.auth),
      api().patch(`/api/v1/campaigns/${id}`).set(a.auth).send({ name: 'mine' }),
      api().patch(`/api/v1/campaigns/${id}`).set(a.auth).send({ maxAttempts: 99 }), // 404 before the body is judged
      api().delete(`/api/v1/campaigns/${id}`).set(a.auth),
    ]) {
      const res = await r;
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('CAMPAIGN_NOT_FOUND');
    }
    await expect(transitionCampaign(db, a.portal.id, id, 'running', { actor: 'x' })).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_FOUND', status: 404 });
    expect(await db.campaign.findUnique({ where: { id } })).toMatchObject({ name: 'theirs', state: 'draft' });
    expect((await api().get('/api/v1/campaigns').set(a.auth)).body.data.map((c: { id: string }) => c.id)).not.toContain(id);
  });
});

describe('transitionCampaign', () => {
  it('walks the lifecycle and stamps the times', async () => {
    const c = await create({ name: 'life', scriptVersionId: v1 });
    const id = c.body.id as string;
    const started = await transitionCampaign(db, a.portal.id, id, 'running', { actor: 'user:1' });
    expect(started).toMatchObject({ from: 'draft', to: 'running', campaign: { state: 'running', startedBy: 'user:1' } });
    expect(started.campaign.startedAt).not.toBeNull();
    const paused = await transitionCampaign(db, a.portal.id, id, 'paused', { actor: 'system', reason: 'Provider credentials were rejected.' });
    expect(paused.campaign).toMatchObject({ state: 'paused', stateReason: 'Provider credentials were rejected.' });
    expect(paused.campaign.pausedAt).not.toBeNull();
    const resumed = await transitionCampaign(db, a.portal.id, id, 'running', { actor: 'user:1' });
    expect(resumed.campaign).toMatchObject({ state: 'running', stateReason: null, pausedAt: null, startedAt: started.campaign.startedAt });
    const done = await transitionCampaign(db, a.portal.id, id, 'completed', { actor: 'system' });
    expect(done.campaign.completedAt).not.toBeNull();
    await expect(transitionCampaign(db, a.portal.id, id, 'running', { actor: 'user:1' })).rejects.toMatchObject({ code: 'CAMPAIGN_TRANSITION_INVALID', status: 409 });
  });

  it('honours an expected from-state', async () => {
    const c = await create({ name: 'guarded', scriptVersionId: v1 });
    await expect(transitionCampaign(db, a.portal.id, c.body.id, 'running', { actor: 'x', from: 'scheduled' })).rejects.toMatchObject({ code: 'CAMPAIGN_STATE_CONFLICT' });
    expect((await db.campaign.findUnique({ where: { id: c.body.id } }))?.state).toBe('draft');
  });

  it('lets exactly one of many concurrent callers win', async () => {
    for (let round = 0; round < 4; round++) {
      const c = await create({ name: `race ${round}`, scriptVersionId: v1 });
      const results = await Promise.allSettled(
        // Odd rounds: everyone starts it. Even rounds: half start, half schedule, all from draft
        // (without the guard, draft → scheduled → running would be two legal moves in a row).
        Array.from({ length: 6 }, (_, i) =>
          round % 2
            ? transitionCampaign(db, a.portal.id, c.body.id, 'running', { actor: `caller-${i}` })
            : transitionCampaign(db, a.portal.id, c.body.id, i % 2 ? 'running' : 'scheduled', { actor: `caller-${i}`, from: 'draft' }),
        ),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect((r.reason as { status: number }).status).toBe(409);
      const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof transitionCampaign>>>).value;
      expect((await db.campaign.findUnique({ where: { id: c.body.id } }))?.state).toBe(winner.to);
    }
  });

  it('lets exactly one of pause and cancel win on a running campaign', async () => {
    const c = await create({ name: 'pause or cancel', scriptVersionId: v1 });
    await transitionCampaign(db, a.portal.id, c.body.id, 'running', { actor: 'x' });
    const results = await Promise.allSettled([
      transitionCampaign(db, a.portal.id, c.body.id, 'paused', { actor: 'p', from: 'running' }),
      transitionCampaign(db, a.portal.id, c.body.id, 'cancelled', { actor: 'c', from: 'running' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });
});
