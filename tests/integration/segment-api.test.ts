import request from 'supertest';
import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';
import type { Db } from '../../backend/src/platform/prisma';
import { iterateSegmentContacts, countSegmentContacts } from '../../backend/src/domain/segments/segment-contacts';

let ctx: TestContext;
let db: Db;
let a: Awaited<ReturnType<typeof createPortalWithKey>>;
let b: Awaited<ReturnType<typeof createPortalWithKey>>;
let importId: string;

// Wednesday 15 January 2025, 15:00 UTC: 10:00 in New York, 07:00 in Los Angeles, 05:00 in
// Honolulu (all before or inside a 09:00–20:00 window), 20:30 in Kolkata (past it).
const AT = '2025-01-15T15:00:00Z';
const SATURDAY = '2025-01-18T15:00:00Z';
let seq = 0;
const phone = () => `+1202555${String(1000 + ++seq)}`;

async function seed(portalId: string, n: number, data: Record<string, unknown>, opts: { dnc?: boolean; imported?: boolean } = {}) {
  for (let i = 0; i < n; i++) {
    const c = await db.contact.create({ data: { portalId, phone: phone(), company: 'Acme', consentType: 'express', timeZone: 'America/New_York', ...data } as never });
    if (opts.dnc) await db.dncEntry.create({ data: { portalId, phone: c.phone, reason: 'asked', source: 'test' } });
    if (opts.imported) await db.importContact.create({ data: { importId, contactId: c.id, portalId } });
  }
}

beforeAll(async () => {
  ctx = await createTestContext();
  db = ctx.deps.db;
  a = await createPortalWithKey(db);
  b = await createPortalWithKey(db);
  importId = (await db.import.create({ data: { portalId: a.portal.id, source: 'hubspot_list', hubspotListId: '42', status: 'completed' } })).id;
  const p = a.portal.id;
  await seed(p, 10, { properties: { score: '9' } }, { imported: true }); // callable
  await seed(p, 3, { properties: { score: '2' } }, { dnc: true, imported: true }); // DNC
  await seed(p, 2, { consentType: 'none', properties: { score: '9' } }, { dnc: true }); // DNC wins over consent
  await seed(p, 4, { consentType: 'none', properties: { score: '9' } }); // no consent
  await db.contact.create({ data: { portalId: p, phone: '12345', company: 'Acme', consentType: 'express', properties: { score: '9' } } });
  await db.contact.create({ data: { portalId: p, phone: '+0123456789', company: 'Acme', consentType: 'written', properties: { score: '9' } } });
  await seed(p, 5, { timeZone: 'Asia/Kolkata', properties: { score: '9' } }); // window over for today
  // No zone on the contact: taken from the number (Honolulu, Los Angeles), both open later today.
  await db.contact.create({ data: { portalId: p, phone: '+18085550100', company: 'Acme', consentType: 'written', properties: { score: '1' } } });
  await db.contact.create({ data: { portalId: p, phone: '+14155550100', company: 'Acme', consentType: 'express', properties: { score: '9' } } });
  await seed(p, 6, { company: 'Other', properties: { score: '9' } }); // not in the segment
  await seed(b.portal.id, 3, {}); // another portal's Acme contacts
});

afterAll(async () => {
  await ctx.close();
});

const api = () => request(ctx.app);
const ACME = { '==': [{ var: 'company' }, 'Acme'] };
// 10 callable + 3 DNC + 2 DNC without consent + 4 without consent + 2 invalid + 5 Kolkata + 2 zoned by number.
const ACME_COUNT = 28;

describe('segments CRUD', () => {
  it('creates, reads, lists, updates and deletes a segment', async () => {
    const created = await api().post('/api/v1/segments').set(a.auth).send({ name: 'Acme', rule: ACME });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Acme', rule: ACME, importId: null, evaluation: 'sql' });
    const id = created.body.id as string;

    expect((await api().get(`/api/v1/segments/${id}`).set(a.auth)).body.id).toBe(id);
    const patched = await api().patch(`/api/v1/segments/${id}`).set(a.auth).send({ name: 'Acme people', rule: { '>': [{ var: 'properties.score' }, 5] } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Acme people', evaluation: 'node' });

    const second = await api().post('/api/v1/segments').set(a.auth).send({ name: 'Second', rule: true });
    const page1 = await api().get('/api/v1/segments?limit=1').set(a.auth);
    expect(page1.body.data.map((s: { id: string }) => s.id)).toEqual([second.body.id]);
    const page2 = await api().get(`/api/v1/segments?limit=1&cursor=${page1.body.nextCursor}`).set(a.auth);
    expect(page2.body.data.map((s: { id: string }) => s.id)).toEqual([id]);
    expect(page2.body.nextCursor).toBeNull();

    expect((await api().delete(`/api/v1/segments/${id}`).set(a.auth)).status).toBe(204);
    expect((await api().get(`/api/v1/segments/${id}`).set(a.auth)).status).toBe(404);
    await api().delete(`/api/v1/segments/${second.body.id}`).set(a.auth);
  });

  it('refuses to delete a segment a campaign uses', async () => {
    const seg = await api().post('/api/v1/segments').set(a.auth).send({ name: 'used', rule: true });
    await db.campaign.create({ data: { portalId: a.portal.id, name: 'uses it', segmentId: seg.body.id } });
    const res = await api().delete(`/api/v1/segments/${seg.body.id}`).set(a.auth);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('SEGMENT_IN_USE');
    await db.campaign.deleteMany({ where: { segmentId: seg.body.id } });
    await db.segment.delete({ where: { id: seg.body.id } });
  });

  it('keeps portals apart: another portal id is a 404 everywhere', async () => {
    const theirs = await api().post('/api/v1/segments').set(b.auth).send({ name: 'theirs', rule: true });
    const id = theirs.body.id as string;
    for (const r of [
      api().get(`/api/v1/segments/${id}`).set(a.auth),
      api().patch(`/api/v1/segments/${id}`).set(a.auth).send({ name: 'mine now' }),
      api().patch(`/api/v1/segments/${id}`).set(a.auth).send({ name: '' }), // 404 before the body is judged
      api().post(`/api/v1/segments/${id}/preview`).set(a.auth).send({ sampleSize: 500 }),
      api().delete(`/api/v1/segments/${id}`).set(a.auth),
      api().post(`/api/v1/segments/${id}/preview`).set(a.auth).send({}),
    ]) {
      const res = await r;
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('SEGMENT_NOT_FOUND');
    }
    expect((await db.segment.findUnique({ where: { id } }))?.name).toBe('theirs');
    const list = await api().get('/api/v1/segments').set(a.auth);
    expect(list.body.data.map((s: { id: string }) => s.id)).not.toContain(id);
    // Another portal's import cannot scope a segment either.
    const bImport = await db.import.create({ data: { portalId: b.portal.id, source: 'csv' } });
    const res = await api().post('/api/v1/segments').set(a.auth).send({ name: 'x', rule: true, importId: bImport.id });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('SEGMENT_IMPORT_NOT_FOUND');
  });
});

describe('segment rule validation', () => {
  const bad: [string, unknown, string][] = [
    ['an operator off the allow-list', { and: [{ '==': [{ var: 'company' }, 'Acme'] }, { method: [{ var: 'email' }, 'toUpperCase'] }] }, 'rule.and[1].method'],
    ['__proto__', { '==': [{ var: '__proto__' }, 'x'] }, 'rule.==[0].var[0]'],
    ['a constructor path in properties', { var: 'properties.constructor' }, 'rule.var[0]'],
    ['an unknown field', { '==': [{ var: 'salary' }, 1] }, 'rule.==[0].var[0]'],
    ['a computed var', { var: [{ cat: ['first', 'Name'] }] }, 'rule.var[0]'],
    ['a var default', { var: ['company', 'Acme'] }, 'rule.var'],
    ['two operators in one object', { '==': [1, 1], '!=': [1, 2] }, 'rule'],
    ['a plain string', 'company = Acme', 'rule'],
    ['wrong arity', { '==': [{ var: 'company' }] }, 'rule.=='],
    ['missing on an unknown field', { missing: ['company', 'shoeSize'] }, 'rule.missing[1]'],
  ];

  it.each(bad)('refuses %s with its path, writing nothing', async (_what, rule, path) => {
    const before = await db.segment.count();
    const res = await api().post('/api/v1/segments').set(a.auth).send({ name: 'bad', rule });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('SEGMENT_RULE_INVALID');
    expect(res.body.error.details.problems[0].path).toBe(path);
    expect(res.body.error.message).toContain(path);
    expect(await db.segment.count()).toBe(before);
  });

  it('refuses rules nested too deep or too big', async () => {
    let deep: unknown = { var: 'company' };
    for (let i = 0; i < 11; i++) deep = { '!': deep };
    const d = await api().post('/api/v1/segments').set(a.auth).send({ name: 'deep', rule: deep });
    expect(d.status).toBe(400);
    expect(d.body.error.message).toMatch(/deeper than 10/);
    const big = { in: [{ var: 'company' }, Array.from({ length: 600 }, (_, i) => `company-${i}`)] };
    const s = await api().post('/api/v1/segments').set(a.auth).send({ name: 'big', rule: big });
    expect(s.status).toBe(400);
    expect(s.body.error.message).toMatch(/more than 500 parts/);
    const huge = { in: [{ var: 'company' }, Array.from({ length: 40 }, (_, i) => `${i}`.padEnd(1000, 'x'))] };
    const h = await api().post('/api/v1/segments').set(a.auth).send({ name: 'huge', rule: huge });
    expect(h.status).toBe(400);
    expect(h.body.error.message).toMatch(/limit is 32768/);
  });

  it('refuses a bad rule on update and leaves the segment as it was', async () => {
    const seg = await api().post('/api/v1/segments').set(a.auth).send({ name: 'keep', rule: ACME });
    const res = await api().patch(`/api/v1/segments/${seg.body.id}`).set(a.auth).send({ rule: { log: 'x' } });
    expect(res.status).toBe(400);
    expect((await db.segment.findUnique({ where: { id: seg.body.id } }))?.rule).toEqual(ACME);
  });
});

describe('segment preview', () => {
  it('counts, samples and explains skips exactly (SQL evaluation)', async () => {
    const seg = await api().post('/api/v1/segments').set(a.auth).send({ name: 'acme', rule: ACME });
    const res = await api().post(`/api/v1/segments/${seg.body.id}/preview`).set(a.auth).send({ at: AT });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      segmentId: seg.body.id,
      evaluation: 'sql',
      count: ACME_COUNT,
      skipped: { total: 16, invalidNumber: 2, dnc: 5, noConsent: 4, outsideWindowToday: 5 },
      callable: ACME_COUNT - 16,
      assumptions: { at: '2025-01-15T15:00:00.000Z', minConsent: 'express', callingWindow: { start: '09:00', end: '20:00', daysOfWeek: [1, 2, 3, 4, 5] } },
    });
    expect(res.body.sample).toHaveLength(20);
    expect(res.body.sample.every((c: { company: string }) => c.company === 'Acme')).toBe(true);
  });

  it('gives the same answer when Node has to decide (numeric comparison)', async () => {
    const rule = { and: [ACME, { '>': [{ var: 'properties.score' }, 5] }] };
    const res = await api().post('/api/v1/segments/preview').set(a.auth).send({ rule, at: AT, sampleSize: 3 });
    expect(res.status).toBe(200);
    // Drops the 3 DNC contacts with score 2 and Honolulu (score 1).
    expect(res.body).toMatchObject({
      segmentId: null,
      evaluation: 'sql+node',
      count: ACME_COUNT - 4,
      skipped: { total: 13, invalidNumber: 2, dnc: 2, noConsent: 4, outsideWindowToday: 5 },
    });
    expect(res.body.sample).toHaveLength(3);
  });

  it('follows the stated assumptions: day, consent floor and window', async () => {
    const sat = await api().post('/api/v1/segments/preview').set(a.auth).send({ rule: ACME, at: SATURDAY });
    expect(sat.body.skipped).toEqual({ total: ACME_COUNT, invalidNumber: 2, dnc: 5, noConsent: 4, outsideWindowToday: ACME_COUNT - 11 });
    const written = await api().post('/api/v1/segments/preview').set(a.auth).send({ rule: ACME, at: AT, minConsent: 'written' });
    // Only the two "written" contacts (one invalid) meet it.
    expect(written.body.skipped).toMatchObject({ invalidNumber: 2, dnc: 5, noConsent: ACME_COUNT - 2 - 5 - 1, outsideWindowToday: 0 });
    const evening = await api().post('/api/v1/segments/preview').set(a.auth).send({
      rule: ACME,
      at: AT,
      minConsent: 'none',
      callingWindow: { start: '08:00', end: '21:00', daysOfWeek: [1, 2, 3, 4, 5, 6, 7] },
    });
    // Kolkata is at 20:30, still inside 08:00–21:00.
    expect(evening.body.skipped).toEqual({ total: 7, invalidNumber: 2, dnc: 5, noConsent: 0, outsideWindowToday: 0 });
  });

  it('refuses a calling window outside 08:00–21:00', async () => {
    const res = await api().post('/api/v1/segments/preview').set(a.auth).send({ rule: ACME, callingWindow: { start: '07:00', end: '21:30', daysOfWeek: [1] } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/cannot start before 08:00/);
  });

  it('limits a segment to one import (a HubSpot list here)', async () => {
    const seg = await api().post('/api/v1/segments').set(a.auth).send({ name: 'from list', rule: ACME, importId });
    expect(seg.status).toBe(201);
    const res = await api().post(`/api/v1/segments/${seg.body.id}/preview`).set(a.auth).send({ at: AT });
    expect(res.body).toMatchObject({ count: 13, skipped: { total: 3, dnc: 3 } });
    expect(await countSegmentContacts(db, a.portal.id, seg.body.id)).toBe(13);
  });
});

describe('iterateSegmentContacts', () => {
  it('pages through the segment in batches without repeats, in either evaluation mode', async () => {
    for (const rule of [ACME, { and: [ACME, { '>=': [{ var: 'properties.score' }, 2] }] }]) {
      const seg = await api().post('/api/v1/segments').set(a.auth).send({ name: 'iter', rule });
      const seen: string[] = [];
      let batches = 0;
      for await (const batch of iterateSegmentContacts(db, a.portal.id, seg.body.id, { batchSize: 7 })) {
        expect(batch.length).toBeLessThanOrEqual(7);
        batches++;
        seen.push(...batch.map((c) => c.id));
      }
      const expected = rule === ACME ? ACME_COUNT : ACME_COUNT - 1;
      expect(seen).toHaveLength(expected);
      expect(new Set(seen).size).toBe(expected);
      expect(batches).toBeGreaterThanOrEqual(Math.ceil(expected / 7));
    }
  });

  it('will not iterate another portal segment', async () => {
    const theirs = await api().post('/api/v1/segments').set(b.auth).send({ name: 'b', rule: true });
    await expect(iterateSegmentContacts(db, a.portal.id, theirs.body.id).next()).rejects.toMatchObject({ code: 'SEGMENT_NOT_FOUND' });
  });
});
