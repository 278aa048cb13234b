import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { writeContactCsv, type GeneratedFile } from '../fixtures/csv/contact-file-generator';
import { createImportHarness, postCsv, waitForImport, type ImportHarness } from './import-test-support';

// 100,000 rows, exactly 5% that can never be dialled and 10% repeating an earlier number:
// the counts must come out exact, and the rejected-rows file must list every bad row.

describe('CSV import: 100k rows', () => {
  let h: ImportHarness;
  let file: string;
  let made: GeneratedFile;
  beforeAll(async () => {
    h = await createImportHarness();
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hac-large-')), 'contacts-100k.csv');
    made = await writeContactCsv(file, { rows: 100_000, invalidEvery: 20, duplicateEvery: 10 });
  }, 60_000);
  afterAll(async () => {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    await h.close();
  });

  it('gives exact counts and a rejected-rows file with every bad row and its reason', async () => {
    expect(made).toMatchObject({ rows: 100_000, invalid: 5_000, duplicates: 10_000, unique: 85_000 });
    const res = await postCsv(h, fs.readFileSync(file), { fileName: 'contacts-100k.csv' } as Record<string, string>);
    expect(res.status).toBe(202);
    const seen: any[] = [];
    const done = await waitForImport(h, res.body.id, 120_000, (v) => seen.push(v));
    // Progress is readable from the API while the import runs.
    const midway = seen.filter((v) => v.status === 'running' && v.counts.rowsRead > 0 && v.counts.rowsRead < 100_000);
    expect(midway.length).toBeGreaterThan(0);
    expect(midway[0].bytes.read).toBeGreaterThan(0);
    expect(midway[0].progress).toBeGreaterThan(0);
    expect(done).toMatchObject({
      status: 'completed',
      counts: { rowsRead: 100_000, created: 85_000, updated: 0, duplicate: 10_000, rejected: 5_000 },
      bytes: { read: made.bytes, total: made.bytes },
      progress: 1,
    });
    const db = h.ctx.deps.db;
    expect(await db.contact.count({ where: { portalId: h.portalId } })).toBe(85_000);
    expect(await db.importContact.count({ where: { importId: done.id } })).toBe(85_000);

    const csv = await request(h.ctx.app).get(`/api/v1/imports/${done.id}/rejected.csv`).set(h.auth).buffer(true);
    expect(csv.status).toBe(200);
    const rows = parse(csv.text, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(5_000);
    // Every 20th data row is the bad one (file rows 21, 41, …: the header is row 1).
    expect(rows.map((r) => Number(r.row))).toEqual(Array.from({ length: 5_000 }, (_, i) => 21 + 20 * i));
    for (const r of rows) expect(r.reason).toMatch(/phone number|not a phone number/);
    expect(new Set(rows.map((r) => r.reason))).toEqual(
      new Set(['phone number is empty', 'not a phone number', 'invalid phone number for region US', 'phone number is not diallable (premium rate)']),
    );
    // The original cells come back under the original header.
    expect(rows[0]).toMatchObject({ 'Record ID': '1000019', 'Phone Number': '' });
  }, 180_000);
});
