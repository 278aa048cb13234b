import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';

// The do-not-call list per portal: add one or many, list and search, remove, bulk-add from CSV.

describe('DNC API', () => {
  let ctx: TestContext;
  let auth: { Authorization: string };
  let portalId: string;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hac-dnc-'));
  beforeAll(async () => {
    ctx = await createTestContext({ DATA_DIR: dataDir });
  });
  beforeEach(async () => {
    const p = await createPortalWithKey(ctx.deps.db);
    auth = p.auth;
    portalId = p.portal.id;
  });
  afterAll(async () => {
    await ctx.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const api = () => request(ctx.app);
  const count = () => ctx.deps.db.dncEntry.count({ where: { portalId } });

  it('adds one number in E.164 with its reason and source', async () => {
    const res = await api().post('/api/v1/dnc').set(auth).send({ phone: '(202) 555-0100', reason: 'asked not to be called', source: 'inbound call' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ added: 1, alreadyListed: 0 });
    expect(res.body.entries[0]).toMatchObject({ phone: '+12025550100', reason: 'asked not to be called', source: 'inbound call', status: 'added' });
    expect(res.body.entries[0].createdBy).toMatch(/^apikey:/);
  });

  it('adds many at once and reports numbers already listed', async () => {
    await api().post('/api/v1/dnc').set(auth).send({ phone: '+12025550101' });
    const res = await api()
      .post('/api/v1/dnc')
      .set(auth)
      .send({ entries: [{ phone: '202-555-0101' }, { phone: '+44 20 7946 0001', reason: 'complaint', source: 'email' }, { phone: '2025550102' }] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ added: 2, alreadyListed: 1 });
    const statuses = Object.fromEntries(res.body.entries.map((e: { phone: string; status: string }) => [e.phone, e.status]));
    expect(statuses).toEqual({ '+12025550101': 'already_listed', '+442079460001': 'added', '+12025550102': 'added' });
    expect(await count()).toBe(3);
  });

  it('refuses a batch with a number that is not one, adding nothing', async () => {
    const res = await api().post('/api/v1/dnc').set(auth).send({ entries: [{ phone: '2025550103' }, { phone: 'call me' }] });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'DNC_PHONE_INVALID', details: { invalid: [{ index: 1, phone: 'call me', reason: 'not a phone number' }] } });
    expect(res.body.error.message).toMatch(/^Entry 2 .*nothing was added\.$/);
    expect(await count()).toBe(0);
    const empty = await api().post('/api/v1/dnc').set(auth).send({ entries: [] });
    expect(empty.status).toBe(400);
  });

  it('lists newest first with a cursor and searches by digits', async () => {
    for (const n of ['2025550111', '2025550112', '2025550113']) await api().post('/api/v1/dnc').set(auth).send({ phone: n });
    const first = await api().get('/api/v1/dnc?limit=2').set(auth);
    expect(first.body.items.map((e: { phone: string }) => e.phone)).toEqual(['+12025550113', '+12025550112']);
    const second = await api().get(`/api/v1/dnc?limit=2&cursor=${first.body.nextCursor}`).set(auth);
    expect(second.body).toMatchObject({ items: [{ phone: '+12025550111' }], nextCursor: null });
    const found = await api().get('/api/v1/dnc?phone=555-0112').set(auth);
    expect(found.body.items.map((e: { phone: string }) => e.phone)).toEqual(['+12025550112']);
  });

  it('removes by id and by number', async () => {
    const added = await api().post('/api/v1/dnc').set(auth).send({ entries: [{ phone: '2025550121' }, { phone: '2025550122' }] });
    const id = added.body.entries.find((e: { phone: string }) => e.phone === '+12025550121').id;
    expect((await api().get(`/api/v1/dnc/${id}`).set(auth)).body).toMatchObject({ id, phone: '+12025550121' });
    expect((await api().delete(`/api/v1/dnc/${id}`).set(auth)).status).toBe(204);
    const gone = await api().delete(`/api/v1/dnc/${id}`).set(auth);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('DNC_ENTRY_NOT_FOUND');
    expect((await api().delete('/api/v1/dnc').query({ phone: '(202) 555-0122' }).set(auth)).status).toBe(204);
    expect((await api().delete('/api/v1/dnc').query({ phone: '(202) 555-0122' }).set(auth)).status).toBe(404);
    expect(await count()).toBe(0);
  });

  it("never shows or removes another portal's entries", async () => {
    const added = await api().post('/api/v1/dnc').set(auth).send({ phone: '2025550131' });
    const id = added.body.entries[0].id;
    const other = await createPortalWithKey(ctx.deps.db);
    expect((await api().get(`/api/v1/dnc/${id}`).set(other.auth)).status).toBe(404);
    expect((await api().delete(`/api/v1/dnc/${id}`).set(other.auth)).status).toBe(404);
    expect((await api().delete('/api/v1/dnc').query({ phone: '2025550131' }).set(other.auth)).status).toBe(404);
    expect((await api().get('/api/v1/dnc').set(other.auth)).body.items).toEqual([]);
    expect(await count()).toBe(1);
  });

  describe('bulk import from CSV', () => {
    const upload = (body: string | Buffer, query: Record<string, string> = {}) =>
      api().post('/api/v1/dnc/imports').query(query).set(auth).set('Content-Type', 'text/csv').send(Buffer.isBuffer(body) ? body : Buffer.from(body));

    it('adds a file with phone, reason and source columns, counting duplicates, known and bad numbers', async () => {
      await api().post('/api/v1/dnc').set(auth).send({ phone: '2025550141' });
      const csv = '\uFEFFName;Phone Number;Reason\r\nA;202-555-0141;x\r\nB;202-555-0142;"litigator; do not call"\r\nC;(202) 555-0142;again\r\nD;nope;\r\nE;+442079460002;\r\n';
      const res = await upload(csv, { source: 'state list' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ rowsRead: 5, added: 2, alreadyListed: 1, duplicate: 1, rejected: 1, rejectedRows: [{ row: 5, reason: 'not a phone number', raw: 'D,nope,' }] });
      const entry = await ctx.deps.db.dncEntry.findFirst({ where: { portalId, phone: '+12025550142' } });
      expect(entry).toMatchObject({ reason: 'litigator; do not call', source: 'state list' });
      const uk = await ctx.deps.db.dncEntry.findFirst({ where: { portalId, phone: '+442079460002' } });
      expect(uk).toMatchObject({ reason: 'do not call list import', source: 'state list' });
    });

    it('accepts a bare list of numbers without a header', async () => {
      const res = await upload('2025550151\n2025550152\n\n2025550153\n');
      expect(res.body).toMatchObject({ rowsRead: 3, added: 3, rejected: 0 });
      expect(await count()).toBe(3);
    });

    it('refuses empty, binary and phone-less files with nothing written', async () => {
      for (const [body, status, code] of [
        ['', 400, 'IMPORT_EMPTY_FILE'],
        [Buffer.from([0, 1, 2, 3, 0, 255]), 415, 'IMPORT_NOT_CSV'],
        ['name,email\nAda,ada@example.com\n', 422, 'IMPORT_NO_PHONE_COLUMN'],
      ] as const) {
        const res = await upload(body as string | Buffer);
        expect(res.status).toBe(status);
        expect(res.body.error.code).toBe(code);
      }
      expect(await count()).toBe(0);
    });
  });
});
