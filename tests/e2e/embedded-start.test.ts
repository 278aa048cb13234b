import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { findFreePort } from '../../backend/src/platform/free-port';

// `npm start` on a fresh clone with nothing configured: embedded Postgres (PGlite) under
// DATA_DIR, migrations applied, /readyz = 200; data survives a restart.
const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const run = promisify(execFile);

function cleanEnv(extra: Record<string, string>) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(DATABASE_URL|HUBSPOT_|VAPI_|APP_ENCRYPTION_KEY|PUBLIC_BASE_URL|PORT|DATA_DIR)/.test(k)) env[k] = v;
  }
  return { ...env, ...extra };
}

async function startApp(env: Record<string, string>, port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start-all.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (c) => (log += c));
  child.stderr.on('data', (c) => (log += c));
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`app exited early:\n${log}`);
    const r = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null);
    if (r?.status === 200) break;
    await new Promise((res) => setTimeout(res, 250));
  }
  if (Date.now() >= deadline) throw new Error(`app did not become ready in time:\n${log}`);
  const stop = () =>
    new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    });
  return { child, stop, log: () => log };
}

describe('npm start on embedded defaults', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hac-embedded-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('comes up ready with no configuration, and keeps its data across a restart', async () => {
    const port = await findFreePort();
    const env = cleanEnv({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' });

    const first = await startApp(env, port);
    const ready = await (await fetch(`http://127.0.0.1:${port}/readyz`)).json();
    expect(ready).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
    expect(first.log()).toContain('embedded Postgres (PGlite) started');
    expect(await first.stop()).toBe(0);

    const admin = async (...args: string[]) => JSON.parse((await run(process.execPath, [TSX, 'backend/src/cli/admin.ts', ...args], { cwd: ROOT, env })).stdout);
    const portal = await admin('portal:create', '--hub-id', '4242', '--name', 'Embedded');
    const key = await admin('apikey:create', '--portal', portal.portalId);

    const second = await startApp(env, port);
    const me = await fetch(`http://127.0.0.1:${port}/api/v1/portal`, { headers: { Authorization: `Bearer ${key.apiKey}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: portal.portalId, hubId: '4242', name: 'Embedded' });
    expect(second.log()).not.toContain('migrations applied');
    expect(await second.stop()).toBe(0);
  }, 420_000);
});
