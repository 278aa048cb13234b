import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { findFreePort } from '../../backend/src/platform/free-port';
import { isRedisReachable } from '../../backend/src/platform/embedded-redis';
import { zoneAtLocalHour } from '../support/dialing-harness';
import { generateDemoContacts } from '../fixtures/demo/demo-contacts.generator';

// `npm run demo` as a newcomer runs it, in a child process on embedded defaults: PGlite in a
// fresh temporary DATA_DIR, and — REDIS_URL pointing at a port where nothing answers — a private
// redis-server. It must exit 0 with a summary and a report, and leave nothing behind: the data
// directory removed, the redis-server stopped, no process of its own still running.
const ROOT = path.resolve(__dirname, '../..');

describe('npm run demo on embedded defaults', () => {
  it('runs, reports, exits 0 and leaves no process or data behind', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hac-demo-cli-'));
    const g = generateDemoContacts({ people: 14, invalid: 2, duplicates: 2, dnc: 2, seed: 11, timeZoneOverride: zoneAtLocalHour(14) });
    fs.writeFileSync(path.join(dir, 'contacts.csv'), g.contactsCsv);
    fs.writeFileSync(path.join(dir, 'dnc.csv'), g.dncCsv);
    const redisPort = await findFreePort();
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(DATABASE_URL|HUBSPOT_|VAPI_|APP_ENCRYPTION_KEY|PUBLIC_BASE_URL|PORT|DATA_DIR|ADMIN_TOKEN|SENTRY_DSN)/.test(k)) env[k] = v;
    env.REDIS_URL = `redis://127.0.0.1:${redisPort}`;
    const args = ['--import', 'tsx', 'scripts/demo.ts', '--contacts', path.join(dir, 'contacts.csv'), '--dnc', path.join(dir, 'dnc.csv'), '--report', path.join(dir, 'report.html'), '--max-seconds', '150'];
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      expect({ code, tail: code === 0 ? '' : out.slice(-3000) }).toEqual({ code: 0, tail: '' });
      expect(out).toContain('Redis: a private redis-server at');
      expect(out).toMatch(/Calls dialed\s+\d+\s+the Vapi fake rang \d+/);
      expect(out).not.toContain('DIFF');
      expect(fs.readFileSync(path.join(dir, 'report.html'), 'utf8')).toContain('<svg ');
      const dataDir = /PGlite in (\S+?)[,;)]/.exec(out)?.[1];
      expect(dataDir).toBeDefined();
      expect(fs.existsSync(dataDir!)).toBe(false);
      expect(await isRedisReachable(env.REDIS_URL, 500)).toBe(false);
      const ps = execFileSync('ps', ['-eo', 'pid,ppid,args'], { encoding: 'utf8' });
      expect(ps.split('\n').filter((l) => l.includes(`--port ${redisPort}`) || l.includes(String(child.pid)))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
