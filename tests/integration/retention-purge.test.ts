import request from 'supertest';
import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';
import { seedPlacedCall } from './results-test-support';
import { purgeExpired } from '../../backend/src/domain/privacy/retention-purge.service';
import { DEFAULT_RETENTION } from '../../backend/src/domain/privacy/retention';
import { registerSchedulers, RETENTION_PURGE_EVERY_MS } from '../../backend/src/queues/schedulers';
import { registry } from '../../worker/src/registry';

// Retention (issue 10): each portal sets how long transcripts/messages and raw provider payloads are
// kept (PUT /api/v1/settings retention), with defaults; the hourly purge job clears what is older,
// per portal, and leaves everything else — including the anonymous figures — alone.

const DAY = 86_400_000;
// The real clock: the job test below purges at Date.now(), so the rows seeded here must sit on the
// same side of each cutoff then as they did at NOW (a fixed date drifts past them as days go by).
const NOW = new Date();
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY);

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

async function callEndedAt(portalId: string, endedAt: Date, text: string) {
  const db = ctx.deps.db;
  const c = await seedPlacedCall(db, { portalId });
  await db.call.update({ where: { id: c.callId }, data: { status: 'ended', outcome: 'completed', durationSec: 30, endedAt, transcript: text, messages: [{ role: 'user', message: text }], summary: `summary ${text}` } });
  const ev = await db.providerEvent.create({ data: { portalId, provider: 'vapi', dedupeKey: `k-${c.callId}`, type: 'end-of-call-report', callId: c.callId, payload: { message: { transcript: text } }, receivedAt: endedAt } });
  return { callId: c.callId, eventId: ev.id };
}

it('reads and validates the retention setting: defaults, an update, and 4xx with nothing written for bad values', async () => {
  const p = await createPortalWithKey(ctx.deps.db);
  const get = await request(ctx.app).get('/api/v1/settings').set(p.auth).expect(200);
  expect(get.body.retention).toEqual(DEFAULT_RETENTION);
  for (const bad of [{ transcriptDays: 0 }, { rawEventDays: 5000 }, { transcriptDays: 1.5 }, { forever: true }]) {
    const res = await request(ctx.app).put('/api/v1/settings').set(p.auth).send({ retention: bad });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
  }
  expect((await ctx.deps.db.portal.findUniqueOrThrow({ where: { id: p.portal.id } })).settings).not.toHaveProperty('retention');
  const put = await request(ctx.app).put('/api/v1/settings').set(p.auth).send({ retention: { transcriptDays: 7 } }).expect(200);
  expect(put.body.retention).toEqual({ transcriptDays: 7, rawEventDays: DEFAULT_RETENTION.rawEventDays });
  await request(ctx.app).put('/api/v1/settings').set(p.auth).send({ retention: { rawEventDays: 2 } }).expect(200);
  expect((await request(ctx.app).get('/api/v1/settings').set(p.auth)).body.retention).toEqual({ transcriptDays: 7, rawEventDays: 2 });
});

it('purges per portal what is past its retention, and nothing else', async () => {
  const db = ctx.deps.db;
  const short = await createPortalWithKey(db);
  await request(ctx.app).put('/api/v1/settings').set(short.auth).send({ retention: { transcriptDays: 10, rawEventDays: 3 } }).expect(200);
  const dflt = await createPortalWithKey(db);

  const shortOld = await callEndedAt(short.portal.id, daysAgo(11), 'short-old');
  const shortMid = await callEndedAt(short.portal.id, daysAgo(5), 'short-mid'); // transcript kept (10 d), raw event purged (3 d)
  const shortNew = await callEndedAt(short.portal.id, daysAgo(1), 'short-new');
  const dfltOld = await callEndedAt(dflt.portal.id, daysAgo(DEFAULT_RETENTION.transcriptDays + 1), 'default-old');
  const dfltMid = await callEndedAt(dflt.portal.id, daysAgo(DEFAULT_RETENTION.rawEventDays + 1), 'default-mid');
  const orphan = await db.providerEvent.create({ data: { portalId: null, provider: 'vapi', dedupeKey: 'orphan', type: 'status-update', payload: { phone: '+12025550100' }, receivedAt: daysAgo(DEFAULT_RETENTION.rawEventDays + 1) } });

  const result = await purgeExpired(db, NOW);
  expect(result).toMatchObject({ transcripts: 2, rawEvents: 5 });

  const call = (id: string) => db.call.findUniqueOrThrow({ where: { id } });
  const event = (id: bigint) => db.providerEvent.findUniqueOrThrow({ where: { id } });
  for (const c of [shortOld, dfltOld]) {
    expect(await call(c.callId)).toMatchObject({ transcript: null, messages: null, outcome: 'completed', durationSec: 30 });
    expect((await event(c.eventId)).payload).toEqual({ purged: true });
  }
  for (const c of [shortMid, dfltMid]) {
    expect((await call(c.callId)).transcript).not.toBeNull();
    expect((await event(c.eventId)).payload).toEqual({ purged: true });
  }
  expect((await call(shortNew.callId)).transcript).toBe('short-new');
  expect((await event(shortNew.eventId)).payload).toEqual({ message: { transcript: 'short-new' } });
  expect((await event(orphan.id)).payload).toEqual({ purged: true });

  // A second run finds nothing left to do.
  expect(await purgeExpired(db, NOW)).toMatchObject({ transcripts: 0, rawEvents: 0 });
});

it('runs as an hourly repeatable job through the worker registry', async () => {
  await registerSchedulers(ctx.deps.queues, { sweepEveryMs: 1_000, reconcileEveryMs: 30_000 });
  const schedulers = await ctx.deps.queues.get('system').getJobSchedulers();
  expect(schedulers.map((s) => [s.key, s.name, s.every])).toContainEqual(['privacy.retention-purge', 'privacy.retention-purge', RETENTION_PURGE_EVERY_MS]);
  const p = await createPortalWithKey(ctx.deps.db);
  const old = await callEndedAt(p.portal.id, new Date(Date.now() - (DEFAULT_RETENTION.transcriptDays + 2) * DAY), 'job-old');
  const out = await registry['privacy.retention-purge']({}, { deps: ctx.deps } as never);
  expect(out).toMatchObject({ transcripts: 1 });
  expect((await ctx.deps.db.call.findUniqueOrThrow({ where: { id: old.callId } })).transcript).toBeNull();
});
