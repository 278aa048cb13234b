import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { findFreePort } from './free-port';

// BullMQ needs a real Redis. If nothing answers at REDIS_URL and redis-server is on PATH, one is
// started on a free loopback port for the life of this process (design.md §6).
export interface RedisEndpoint {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export async function isRedisReachable(url: string, timeoutMs = 1500): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** `env` is where redis-server is looked up (its PATH; default: this process's); tests pass one without it. */
export async function ensureRedis(url: string, env?: NodeJS.ProcessEnv): Promise<RedisEndpoint> {
  if (await isRedisReachable(url)) return { url, embedded: false, stop: async () => undefined };
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8', env });
  if (found.status !== 0) {
    throw new Error(
      `Nothing answers at REDIS_URL (${url}) and redis-server is not installed. Install Redis ` +
        `(Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL.`,
    );
  }
  const port = await findFreePort();
  const child: ChildProcess = spawn(
    found.stdout.trim(),
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'],
    { stdio: 'ignore' },
  );
  const embeddedUrl = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    if (await isRedisReachable(embeddedUrl, 500)) {
      return {
        url: embeddedUrl,
        embedded: true,
        stop: () =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`Started redis-server on port ${port} but it did not answer within 5 seconds.`);
}
