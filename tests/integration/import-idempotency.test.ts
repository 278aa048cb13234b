import request from 'supertest';
import { createPortalWithKey } from '../support/factories';
import { createImportHarness, filesIn, postCsv, startImportWorkers, waitForImport, type ImportHarness } from './import-test-support';

// Uploading the same file again (same bytes, same portal, same mapping and options) returns the
// import that already exists and counts nothing twice; another portal never sees it.

const CSV = 'First Name,Phone Number\nAda,2025550161\nBo,2025550162\nCy,not-a-phone\n';

describe('CSV import: idempotent re-upload and tenancy', () => {
  let h: ImportHarness;
  beforeAll(async () => {
    h = await createImportHarness({ worker: false });
  });
  beforeEach(() => h.usePortal());
  afterAll(() => h.close());

  it('returns the same import for the same file, even for two uploads racing, and queues it once', async () => {
    const [a, b] = await Promise.all([postCsv(h, CSV), postCsv(h, CSV)]);
    expect([a.status, b.status].sort()).toEqual([200, 202]);
    expect(a.body.id).toBe(b.body.id);
    const jobs = await h.ctx.deps.queues.get('imports').getJobs(['waiting', 'active', 'completed', 'delayed']);
    expect(jobs.filter((j) => j.data.importId === a.body.id)).toHaveLength(1);

    const host = startImportWorkers(h.ctx);
    try {
      const done = await waitForImport(h, a.body.id);
      expect(done.counts).toMatchObject({ rowsRead: 3, created: 2, rejected: 1 });
      const again = await postCsv(h, CSV);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ id: a.body.id, status: 'completed', counts: done.counts });
    } finally {
      await host.close();
    }
    const db = h.ctx.deps.db;
    expect(await db.import.count({ where: { portalId: h.portalId } })).toBe(1);
    expect(await db.contact.count({ where: { portalId: h.portalId } })).toBe(2);
    expect(await db.importContact.count({ where: { portalId: h.portalId } })).toBe(2);
    expect(await db.importRejectedRow.count({ where: { portalId: h.portalId } })).toBe(1);
    expect(filesIn(h.dataDir)).toEqual([]); // the repeat's upload is not kept
  });

  it('treats a different mapping, mode or portal as a different import', async () => {
    const first = await postCsv(h, CSV);
    const keep = await postCsv(h, CSV, { mode: 'keep' });
    const mapped = await postCsv(h, CSV, { mapping: JSON.stringify({ 'First Name': 'property' }) });
    const other = await createPortalWithKey(h.ctx.deps.db);
    const elsewhere = await postCsv(h, CSV, {}, other.auth);
    for (const r of [first, keep, mapped, elsewhere]) expect(r.status).toBe(202);
    expect(new Set([first.body.id, keep.body.id, mapped.body.id, elsewhere.body.id]).size).toBe(4);
  });

  it('starts afresh when the earlier import with the same file failed', async () => {
    const first = await postCsv(h, CSV);
    await h.ctx.deps.db.import.update({ where: { id: first.body.id }, data: { status: 'failed' } });
    const second = await postCsv(h, CSV);
    expect(second.status).toBe(202);
    expect(second.body.id).not.toBe(first.body.id);
  });

  it("answers 404 for another portal's import, its rejected rows and its listing", async () => {
    const mine = await postCsv(h, CSV);
    const other = await createPortalWithKey(h.ctx.deps.db);
    for (const url of [`/api/v1/imports/${mine.body.id}`, `/api/v1/imports/${mine.body.id}/rejected.csv`]) {
      const res = await request(h.ctx.app).get(url).set(other.auth);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('IMPORT_NOT_FOUND');
    }
    const list = await request(h.ctx.app).get('/api/v1/imports').set(other.auth);
    expect(list.body.items).toEqual([]);
    const own = await request(h.ctx.app).get('/api/v1/imports?limit=1').set(h.auth);
    expect(own.body.items.map((i: { id: string }) => i.id)).toEqual([mine.body.id]);
  });
});
