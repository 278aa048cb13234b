import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';
import { TEST_REDIS_URL } from '../support/test-redis';
import { startWorkers, type WorkerHost } from '../../worker/src/worker-host';

// Shared set-up for the import suites: the real app over a fresh database, a private DATA_DIR,
// and (optionally) the real worker host running the imports queue in this process.

export interface ImportHarness {
  ctx: TestContext;
  dataDir: string;
  auth: { Authorization: string };
  portalId: string;
  host?: WorkerHost;
  /** Switches the harness to a fresh portal (cheaper than a fresh database per test). */
  usePortal(overrides?: { defaultRegion?: string; defaultTimeZone?: string }): Promise<void>;
  close(): Promise<void>;
}

export async function createImportHarness(opts: { worker?: boolean; env?: Record<string, string> } = {}): Promise<ImportHarness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hac-import-'));
  const ctx = await createTestContext({ DATA_DIR: dataDir, ...opts.env });
  const { portal, auth } = await createPortalWithKey(ctx.deps.db);
  const host = opts.worker === false ? undefined : startImportWorkers(ctx);
  const h: ImportHarness = {
    ctx,
    dataDir,
    auth,
    portalId: portal.id,
    host,
    async usePortal(overrides = {}) {
      const next = await createPortalWithKey(ctx.deps.db);
      if (Object.keys(overrides).length) await ctx.deps.db.portal.update({ where: { id: next.portal.id }, data: overrides });
      h.auth = next.auth;
      h.portalId = next.portal.id;
    },
    async close() {
      await host?.close();
      await ctx.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

export function startImportWorkers(ctx: TestContext): WorkerHost {
  return startWorkers(ctx.deps, { redisUrl: TEST_REDIS_URL, prefix: ctx.redisPrefix, queues: ['imports'] });
}

/** POSTs a CSV as a raw text/csv body (options in the query string). */
export function postCsv(h: ImportHarness, body: string | Buffer, query: Record<string, string> = {}, auth = h.auth) {
  return request(h.ctx.app).post('/api/v1/imports').query(query).set(auth).set('Content-Type', 'text/csv').send(Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'));
}

export async function waitForImport(h: ImportHarness, importId: string, timeoutMs = 60_000, onPoll?: (view: any) => void) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(h.ctx.app).get(`/api/v1/imports/${importId}`).set(h.auth);
    if (res.status !== 200) throw new Error(`GET import ${importId}: ${res.status} ${JSON.stringify(res.body)}`);
    onPoll?.(res.body);
    if (res.body.status === 'completed' || res.body.status === 'failed') return res.body;
    if (Date.now() > deadline) throw new Error(`import ${importId} still ${res.body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Uploads and waits for the import to finish; fails the test if it was refused. */
export async function importCsv(h: ImportHarness, body: string | Buffer, query: Record<string, string> = {}) {
  const res = await postCsv(h, body, query);
  if (res.status !== 202 && res.status !== 200) throw new Error(`upload refused: ${res.status} ${JSON.stringify(res.body)}`);
  return waitForImport(h, res.body.id);
}

export async function contactsOf(h: ImportHarness) {
  return h.ctx.deps.db.contact.findMany({ where: { portalId: h.portalId }, orderBy: { phone: 'asc' } });
}

/** Files left under DATA_DIR (uploads are deleted once refused or imported). */
export function filesIn(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else out.push(path.join(d, e.name));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}
