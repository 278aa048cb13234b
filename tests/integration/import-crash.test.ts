import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { Redis } from 'ioredis';
import { writeContactCsv } from '../fixtures/csv/contact-file-generator';
import { TEST_REDIS_URL } from '../support/test-redis';
import { createImportHarness, postCsv, startImportWorkers, waitForImport, type ImportHarness } from './import-test-support';

// The guarantee: an import is all or nothing. A worker killed in the middle, or a merge whose
// connection dies, leaves no contact, link or rejected row from it; the job then runs again
// from the file and the final counts are exact, not doubled.

const ROOT = path.resolve(__dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('CSV import: crash safety', () => {
  let h: ImportHarness;
  let file: string;
  beforeAll(async () => {
    h = await createImportHarness({ worker: false });
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hac-crash-')), 'contacts.csv');
    await writeContactCsv(file, { rows: 100_000 });
  }, 60_000);
  beforeEach(() => h.usePortal());
  afterAll(async () => {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    await h.close();
  });

  const written = async (importId: string) => {
    const db = h.ctx.deps.db;
    return {
      contacts: await db.contact.count({ where: { portalId: h.portalId } }),
      links: await db.importContact.count({ where: { importId } }),
      rejected: await db.importRejectedRow.count({ where: { importId } }),
    };
  };
  const EXACT = { rowsRead: 100_000, created: 85_000, updated: 0, duplicate: 10_000, rejected: 5_000 };

  it('a worker process killed mid-import leaves nothing; the stalled job re-runs to exact counts', async () => {
    const upload = await postCsv(h, fs.readFileSync(file));
    const importId = upload.body.id as string;
    // node --import tsx (not the tsx CLI, which would put the worker in a grandchild SIGKILL misses).
    let child: ChildProcess | undefined = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/import-crash-worker.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: h.ctx.database.url, REDIS_URL: TEST_REDIS_URL, DATA_DIR: h.dataDir, HAC_PREFIX: h.ctx.redisPrefix, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    try {
      await until('the import to be under way', async () => {
        const row = await h.ctx.deps.db.import.findUnique({ where: { id: importId } });
        return row?.status === 'running' && row.rowsRead > 10_000;
      });
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
      child = undefined;
    } finally {
      child?.kill('SIGKILL');
    }
    expect(await written(importId)).toEqual({ contacts: 0, links: 0, rejected: 0 });
    expect((await h.ctx.deps.db.import.findUnique({ where: { id: importId } }))!.status).toBe('running');

    // Recovery is BullMQ's stalled-job check. Fast-forward the two clocks it waits on (the dead
    // worker's lock TTL and the check interval) by deleting their keys, then let a new worker check.
    const redis = new Redis(TEST_REDIS_URL);
    const key = (k: string) => `${h.ctx.redisPrefix}:imports:${k}`;
    const host = startImportWorkers(h.ctx);
    try {
      await redis.del(key(`import-${importId}:lock`));
      await until('the job to be marked as possibly stalled', async () => (await redis.sismember(key('stalled'), `import-${importId}`)) === 1);
      await redis.del(key('stalled-check'));
      await host.workers[0]!.startStalledCheckTimer();
      const done = await waitForImport(h, importId, 120_000);
      expect(done).toMatchObject({ status: 'completed', counts: EXACT });
      expect(await written(importId)).toEqual({ contacts: 85_000, links: 85_000, rejected: 5_000 });
    } finally {
      await host.close();
      redis.disconnect();
    }
  }, 180_000);

  it('a merge whose connection dies mid-transaction rolls back entirely; the retry completes exactly', async () => {
    const upload = await postCsv(h, fs.readFileSync(file));
    const importId = upload.body.id as string;
    const admin = new Client({ connectionString: h.ctx.database.url });
    await admin.connect();
    const host = startImportWorkers(h.ctx);
    try {
      const pid = await until(
        'the merge to start',
        async () => {
          const r = await admin.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND query LIKE '%INSERT INTO "Contact"%'`,
            [`hac-import:${importId}`],
          );
          return r.rows[0]?.pid;
        },
        120_000,
      );
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      expect(await written(importId)).toEqual({ contacts: 0, links: 0, rejected: 0 });
      const retrying = await until('the attempt to be recorded as failed', async () => {
        const row = await h.ctx.deps.db.import.findUnique({ where: { id: importId } });
        return row?.error?.startsWith('Attempt 1 failed') ? row : undefined;
      });
      expect(retrying.status).toBe('queued');
      const done = await waitForImport(h, importId, 120_000);
      expect(done).toMatchObject({ status: 'completed', counts: EXACT, error: null });
      expect(await written(importId)).toEqual({ contacts: 85_000, links: 85_000, rejected: 5_000 });
    } finally {
      await host.close();
      await admin.end();
    }
  }, 180_000);

  it('a file that turns out malformed part-way fails the import at once, with nothing written', async () => {
    // Past the request's 64 KB sample, so it is the import that finds the bad quote (a smaller
    // file is read whole in the request and refused there: IMPORT_BAD_CSV).
    const good = Array.from({ length: 5000 }, (_, i) => `2025${String(550000 + i).padStart(6, '0')},Row ${i}`).join('\n');
    const upload = await postCsv(h, `phone,name\n${good}\n2025550999,"never closed\n`);
    const host = startImportWorkers(h.ctx);
    try {
      const done = await waitForImport(h, upload.body.id);
      expect(done.status).toBe('failed');
      expect(done.error).toMatch(/^The import failed: .*quote/i);
      expect(await written(upload.body.id)).toEqual({ contacts: 0, links: 0, rejected: 0 });
    } finally {
      await host.close();
    }
  });
});
