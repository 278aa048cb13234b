import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { findFreePort } from '../../backend/src/platform/free-port';

// A redis-server of a test's own, on a free loopback port with append-only persistence in a
// private directory, that the test may kill and start again (same port, same AOF) without
// touching the machine's Redis on 6379. Stopped by its pid only.
export interface PrivateRedis {
  url: string;
  port: number;
  dir: string;
  pid(): number | undefined;
  /** SIGKILL (no chance to flush) and wait for the process to be gone. */
  kill(): Promise<void>;
  /** Start again on the same port and AOF directory; resolves once it answers PING. */
  start(): Promise<void>;
  /** Kill, then start: what an operator's restart (or a crash and a supervisor) looks like. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface PrivateRedisOptions {
  /** 'always' loses nothing on SIGKILL; 'everysec' is Redis's production default (up to ~1 s lost). */
  fsync?: 'always' | 'everysec';
}

async function answers(url: string): Promise<boolean> {
  const c = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 300, retryStrategy: () => null });
  c.on('error', () => undefined);
  try {
    await c.connect();
    return (await c.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    c.disconnect();
  }
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });

export async function startPrivateRedis(opts: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const port = await findFreePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hac-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  async function start() {
    if (child && child.exitCode === null && child.signalCode === null) throw new Error('redis-server is already running');
    const args = [
      '--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
      '--save', '', '--appendonly', 'yes', '--appendfsync', opts.fsync ?? 'always',
      // BullMQ's production guidance: never evict keys.
      '--maxmemory-policy', 'noeviction',
    ];
    const c = spawn('redis-server', args, { stdio: 'ignore' });
    child = c;
    c.on('error', () => undefined);
    for (let i = 0; i < 100; i++) {
      if (c.exitCode !== null) throw new Error(`redis-server exited with ${c.exitCode} on port ${port}`);
      if (await answers(url)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    c.kill('SIGKILL');
    throw new Error(`redis-server on port ${port} did not answer within 5 seconds`);
  }

  async function kill() {
    if (!child) return;
    const c = child;
    if (c.pid !== undefined && c.exitCode === null && c.signalCode === null) process.kill(c.pid, 'SIGKILL');
    await exited(c);
  }

  await start();
  return {
    url,
    port,
    dir,
    pid: () => child?.pid,
    kill,
    start,
    async restart(downMs = 500) {
      await kill();
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    async stop() {
      if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid, 'SIGTERM');
        await Promise.race([exited(child), new Promise((r) => setTimeout(r, 3000))]);
        await kill();
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
