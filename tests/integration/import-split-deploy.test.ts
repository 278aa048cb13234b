import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeContactCsv } from '../fixtures/csv/contact-file-generator';
import { createImportHarness, filesIn, postCsv, startImportWorkers, waitForImport, type ImportHarness } from './import-test-support';
import { Client } from 'pg';
import { UPLOAD_CHUNK_BYTES, saveUploadChunks } from '../../backend/src/domain/imports/upload-chunks';
import { databaseUrlOf } from '../../backend/src/domain/imports/pg-connection';

// Deployed as two services (railway.json, railway.worker.json), the web process that receives an
// upload and the worker that imports it do not share a disk. The file travels in the database:
// here the receiving process's copy is gone before the worker starts, as it would be on another
// machine (or after a redeploy of the web service), and the import must still be exact.

describe('CSV import across processes that share no disk', () => {
  let h: ImportHarness;
  let dir: string;
  beforeAll(async () => {
    h = await createImportHarness({ worker: false });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hac-split-'));
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await h.close();
  });

  it('keeps the whole upload in the database until the import ends, and imports it from there', async () => {
    const file = path.join(dir, 'contacts.csv');
    const made = await writeContactCsv(file, { rows: 12_000 });
    expect(made.bytes).toBeGreaterThan(UPLOAD_CHUNK_BYTES); // more than one chunk
    const res = await postCsv(h, fs.readFileSync(file), { fileName: 'split.csv' }).expect(202);
    const db = h.ctx.deps.db;

    const chunks = await db.importUploadChunk.findMany({ where: { importId: res.body.id }, orderBy: { seq: 'asc' } });
    expect(chunks.map((c) => c.seq)).toEqual(Array.from({ length: Math.ceil(made.bytes / UPLOAD_CHUNK_BYTES) }, (_, i) => i));
    expect(Buffer.concat(chunks.map((c) => Buffer.from(c.data))).equals(fs.readFileSync(file))).toBe(true);
    expect(chunks.every((c) => c.portalId === h.portalId)).toBe(true);

    // The web process's disk is not the worker's.
    for (const f of filesIn(h.dataDir)) fs.rmSync(f);
    const host = startImportWorkers(h.ctx);
    try {
      const done = await waitForImport(h, res.body.id, 120_000);
      expect(done).toMatchObject({ status: 'completed', counts: { rowsRead: 12_000, created: made.unique, duplicate: made.duplicates, rejected: made.invalid } });
    } finally {
      await host.close();
    }
    expect(await db.contact.count({ where: { portalId: h.portalId } })).toBe(made.unique);
    // Over: neither the database nor the worker's disk keeps the file.
    expect(await db.importUploadChunk.count({ where: { importId: res.body.id } })).toBe(0);
    expect(filesIn(h.dataDir)).toEqual([]);
  }, 180_000);

  it('stores an upload all or nothing: a chunk the database refuses leaves no import, no chunk and no file', async () => {
    await h.usePortal();
    const db = h.ctx.deps.db;
    const file = path.join(dir, 'refused.csv');
    const made = await writeContactCsv(file, { rows: 40_000 });
    expect(made.bytes).toBeGreaterThan(3 * UPLOAD_CHUNK_BYTES);
    // The database itself fails the third chunk, after the import row and two chunks went in.
    await db.$executeRawUnsafe(`CREATE FUNCTION hac_test_refuse_chunk() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.seq = 2 THEN RAISE EXCEPTION 'disk full (test)'; END IF; RETURN NEW; END $$`);
    await db.$executeRawUnsafe('CREATE TRIGGER hac_test_refuse_chunk BEFORE INSERT ON "ImportUploadChunk" FOR EACH ROW EXECUTE FUNCTION hac_test_refuse_chunk()');
    try {
      const res = await postCsv(h, fs.readFileSync(file), { fileName: 'refused.csv' });
      expect(res.status).toBe(500);
    } finally {
      await db.$executeRawUnsafe('DROP TRIGGER hac_test_refuse_chunk ON "ImportUploadChunk"');
      await db.$executeRawUnsafe('DROP FUNCTION hac_test_refuse_chunk()');
    }
    expect(await db.import.count({ where: { portalId: h.portalId } })).toBe(0);
    expect(await db.importUploadChunk.count({ where: { portalId: h.portalId } })).toBe(0);
    expect(filesIn(h.dataDir)).toEqual([]);
  }, 120_000);

  it('stops storing chunks past the transaction deadline', async () => {
    await h.usePortal();
    const file = path.join(dir, 'late.csv');
    fs.writeFileSync(file, 'Phone Number\n+12125550101\n');
    const client = new Client({ connectionString: databaseUrlOf(h.ctx.deps) });
    await client.connect();
    try {
      await client.query('BEGIN');
      const imp = await client.query<{ id: string }>(`INSERT INTO "Import" ("portalId", "source") VALUES ($1, 'csv') RETURNING "id"`, [h.portalId]);
      const store = (deadline: number) => saveUploadChunks(client, { importId: imp.rows[0]!.id, portalId: h.portalId, filePath: file, deadline });
      await expect(store(Date.now() - 1)).rejects.toThrow('storing the upload in the database took too long');
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      const imp2 = await client.query<{ id: string }>(`INSERT INTO "Import" ("portalId", "source") VALUES ($1, 'csv') RETURNING "id"`, [h.portalId]);
      await expect(saveUploadChunks(client, { importId: imp2.rows[0]!.id, portalId: h.portalId, filePath: file, deadline: Date.now() + 60_000 })).resolves.toBe(1);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
  });

  it('keeps no copy of a file whose import could not be queued', async () => {
    await h.usePortal();
    const queues = h.ctx.deps.queues;
    const enqueue = queues.enqueue;
    queues.enqueue = (async () => {
      throw new Error('Redis is away');
    }) as typeof queues.enqueue;
    try {
      const res = await postCsv(h, 'Phone Number,First Name\n+12125550101,Ada\n').expect(503);
      expect(res.body.error.code).toBe('IMPORT_QUEUE_UNAVAILABLE');
    } finally {
      queues.enqueue = enqueue;
    }
    const row = await h.ctx.deps.db.import.findFirstOrThrow({ where: { portalId: h.portalId } });
    expect(row.status).toBe('failed');
    expect(await h.ctx.deps.db.importUploadChunk.count({ where: { importId: row.id } })).toBe(0);
    expect(filesIn(h.dataDir)).toEqual([]);
  });

  it('fails the import in words when its file is stored nowhere, and keeps nothing', async () => {
    await h.usePortal();
    const res = await postCsv(h, 'Phone Number,First Name\n+12125550100,Ada\n').expect(202);
    await h.ctx.deps.db.importUploadChunk.deleteMany({ where: { importId: res.body.id } });
    for (const f of filesIn(h.dataDir)) fs.rmSync(f);
    const host = startImportWorkers(h.ctx);
    try {
      const done = await waitForImport(h, res.body.id, 120_000);
      expect(done.status).toBe('failed');
      expect(done.error).toMatch(/no longer stored; upload it again/);
    } finally {
      await host.close();
    }
    expect(await h.ctx.deps.db.contact.count({ where: { portalId: h.portalId } })).toBe(0);
  }, 180_000);
});
