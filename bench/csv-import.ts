import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createTestContext } from '../tests/support/test-app';
import { createPortalWithKey } from '../tests/support/factories';
import { TEST_REDIS_URL } from '../tests/support/test-redis';
import { writeContactCsv, HEADER } from '../tests/fixtures/csv/contact-file-generator';
import { startWorkers } from '../worker/src/worker-host';

// npm run bench -- csv-import [--rows 1000000]   (or: npx tsx bench/csv-import.ts --rows N)
// Generates a HubSpot-export-shaped CSV (messy but valid numbers in five formats, quoted commas
// and line breaks, UTF-8 names; 5% rows that cannot be dialled, 10% repeating an earlier
// number), then imports it through the real pipeline on a fresh database: HTTP upload (stored
// and hashed), the BullMQ job in an in-process worker, the import thread (csv-parse,
// libphonenumber, COPY staging) and the one-transaction merge into Contact. "ours" is upload
// start → import completed. Baseline, same run, same file: raw COPY … (FORMAT csv) into a bare
// table of ten text columns. Peak RSS is this whole process (app, worker and import thread).

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer`);
  return v;
}

function upload(port: number, auth: Record<string, string>, file: string): Promise<{ status: number; body: { id: string } }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, method: 'POST', path: '/api/v1/imports?fileName=bench.csv',
      headers: { ...auth, 'Content-Type': 'text/csv', 'Content-Length': fs.statSync(file).size },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    fs.createReadStream(file).pipe(req);
  });
}

async function main() {
  const rows = flag('rows', 1_000_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hac-bench-csv-'));
  const file = path.join(dir, 'contacts.csv');
  const made = await writeContactCsv(file, { rows });
  console.log(`generated ${rows} rows (${(made.bytes / 1e6).toFixed(1)} MB): ${made.unique} unique, ${made.duplicates} duplicates, ${made.invalid} invalid`);

  const ctx = await createTestContext({ DATA_DIR: dir, LOG_LEVEL: 'warn', IMPORT_MAX_BYTES: String(4 * 1024 ** 3) });
  const host = startWorkers(ctx.deps, { redisUrl: TEST_REDIS_URL, prefix: ctx.redisPrefix, queues: ['imports'] });
  const server = ctx.app.listen(0);
  const port = (server.address() as AddressInfo).port;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
  try {
    const { portal, auth } = await createPortalWithKey(ctx.deps.db);
    const rssBefore = process.memoryUsage().rss;

    // Ours: the whole way in, as a client sees it.
    const t0 = performance.now();
    const res = await upload(port, auth, file);
    if (res.status !== 202) throw new Error(`upload refused: ${res.status} ${JSON.stringify(res.body)}`);
    const tUploaded = performance.now();
    let row;
    for (;;) {
      row = await ctx.deps.db.import.findUniqueOrThrow({ where: { id: res.body.id } });
      if (row.status === 'completed' || row.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const ours = (performance.now() - t0) / 1000;
    if (row.status !== 'completed') throw new Error(`import failed: ${row.error}`);
    const stored = await ctx.deps.db.contact.count({ where: { portalId: portal.id } });
    if (row.rowsRead !== rows || row.created !== made.unique || row.duplicate !== made.duplicates || row.rejected !== made.invalid || stored !== made.unique) {
      throw new Error(`wrong counts: ${JSON.stringify({ rowsRead: row.rowsRead, created: row.created, duplicate: row.duplicate, rejected: row.rejected, stored })}`);
    }
    console.log(`ours: ${ours.toFixed(2)} s (upload ${((tUploaded - t0) / 1000).toFixed(2)} s, job ${(ours - (tUploaded - t0) / 1000).toFixed(2)} s); counts exact`);
    console.log(`rss: ${Math.round(rssBefore / 1048576)} MB with the app and worker idle, ${Math.round(peakRss / 1048576)} MB at the peak of the import`);
    clearInterval(sampler);

    // Baseline: the same file straight into a bare table with COPY.
    const client = new Client({ connectionString: ctx.database.url });
    await client.connect();
    await client.query(`CREATE TABLE bench_raw (${HEADER.map((_, i) => `c${i} text`).join(', ')})`);
    const t1 = performance.now();
    await pipeline(fs.createReadStream(file), client.query(copyFrom('COPY bench_raw FROM STDIN (FORMAT csv, HEADER true)')));
    const baseline = (performance.now() - t1) / 1000;
    const copied = Number((await client.query('SELECT count(*) AS n FROM bench_raw')).rows[0].n);
    await client.end();
    if (copied !== rows) throw new Error(`baseline copied ${copied} rows`);
    console.log(`baseline: ${baseline.toFixed(2)} s`);

    const oursRps = Math.round(rows / ours);
    const baseRps = Math.round(rows / baseline);
    console.log(
      `RESULT csv-import rows=${rows} ours_rps=${oursRps} baseline_rps=${baseRps} ratio=${(oursRps / baseRps).toFixed(2)} peak_rss_mb=${Math.round(peakRss / 1024 / 1024)}`,
    );
  } finally {
    clearInterval(sampler);
    server.close();
    await host.close();
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
