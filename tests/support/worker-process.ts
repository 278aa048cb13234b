import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { AppConfig } from '../../backend/src/config/config';
import type { DialingPolicy } from '../../backend/src/domain/dialing/dialing-policy';

// Worker processes for the multi-process and chaos tests: each is `node --import tsx
// scripts/worker-child.ts` (the same startWorkers as `npm run start:worker`), spawned directly
// so its pid is the worker itself and a SIGKILL hits it, not a launcher. Every process a test
// starts is tracked here and ended by its pid.
const ROOT = path.resolve(__dirname, '../..');
const CHILD = path.join(ROOT, 'scripts/worker-child.ts');

export interface WorkerChildOptions {
  prefix: string;
  policy?: Partial<DialingPolicy>;
  queues?: string[];
  schedulers?: boolean;
  dbPoolMax?: number;
}

export interface WorkerProcess {
  pid: number;
  /** Resolves when every BullMQ worker in the child is connected. */
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isAlive(): boolean;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** The last few KB the child wrote to stderr, for a failing test's message. */
  stderrTail(): string;
}

/** The environment a child needs to reach the same database, Redis, Vapi fake and webhook URL as the test's app. */
export function childEnvFor(config: AppConfig, databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: config.redisUrl,
    LOG_LEVEL: 'error',
  };
  if (config.encryptionKey) env.APP_ENCRYPTION_KEY = config.encryptionKey.toString('hex');
  if (config.publicBaseUrl) env.PUBLIC_BASE_URL = config.publicBaseUrl;
  if (config.vapi.apiKey) env.VAPI_API_KEY = config.vapi.apiKey;
  env.VAPI_BASE_URL = config.vapi.baseUrl;
  if (config.vapi.webhookSecret) env.VAPI_WEBHOOK_SECRET = config.vapi.webhookSecret;
  if (config.retell.apiKey) env.RETELL_API_KEY = config.retell.apiKey;
  env.RETELL_BASE_URL = config.retell.baseUrl;
  if (config.retell.agentId) env.RETELL_AGENT_ID = config.retell.agentId;
  if (config.retell.fromNumber) env.RETELL_FROM_NUMBER = config.retell.fromNumber;
  if (config.hubspot.clientId) env.HUBSPOT_CLIENT_ID = config.hubspot.clientId;
  if (config.hubspot.clientSecret) env.HUBSPOT_CLIENT_SECRET = config.hubspot.clientSecret;
  return { ...env, ...extra };
}

export function spawnWorker(env: Record<string, string>, options: WorkerChildOptions, readyTimeoutMs = 120_000): WorkerProcess {
  // Only what the child needs from ours (PATH, HOME) plus its own; never our DATABASE_URL etc.
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD, '--options', JSON.stringify(options)], {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  if (child.pid === undefined) throw new Error('could not spawn a worker process');
  let tail = '';
  child.stderr?.on('data', (b: Buffer) => {
    tail = (tail + b.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${child.pid} not ready after ${readyTimeoutMs} ms: ${tail}`)), readyTimeoutMs);
    child.on('message', (m: { type?: string }) => {
      if (m?.type === 'ready') {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`worker ${child.pid} exited (${code ?? signal}) before it was ready: ${tail}`));
    });
  });
  ready.catch(() => undefined);
  const isAlive = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid,
    ready,
    exited,
    isAlive,
    async kill(signal = 'SIGKILL') {
      if (isAlive()) process.kill(child.pid!, signal);
      if (signal === 'SIGKILL') {
        await exited;
        return;
      }
      // A graceful stop gets a few seconds, then SIGKILL.
      const t = setTimeout(() => isAlive() && process.kill(child.pid!, 'SIGKILL'), 8_000);
      await exited;
      clearTimeout(t);
    },
    stderrTail: () => tail,
  };
}

/** A set of worker processes: start N, kill one at random, replace it, stop them all (by pid). */
export class WorkerPool {
  readonly workers: WorkerProcess[] = [];
  kills = 0;
  constructor(
    private readonly env: Record<string, string>,
    private readonly options: WorkerChildOptions,
  ) {}

  async start(n: number): Promise<void> {
    const started = Array.from({ length: n }, () => spawnWorker(this.env, this.options));
    this.workers.push(...started);
    await Promise.all(started.map((w) => w.ready));
  }

  alive(): WorkerProcess[] {
    return this.workers.filter((w) => w.isAlive());
  }

  /** SIGKILL one live worker chosen by `pick` (0..1), then start a replacement (not awaited ready unless asked). */
  async killAndReplace(pick: number, waitReady = true): Promise<number | undefined> {
    const alive = this.alive();
    const victim = alive[Math.min(alive.length - 1, Math.floor(pick * alive.length))];
    if (!victim) return undefined;
    await victim.kill('SIGKILL');
    this.kills += 1;
    const fresh = spawnWorker(this.env, this.options);
    this.workers.push(fresh);
    if (waitReady) await fresh.ready;
    return victim.pid;
  }

  async stopAll(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await Promise.all(this.workers.map((w) => w.kill(signal).catch(() => undefined)));
  }

  stderr(): string {
    return this.workers.map((w) => `[${w.pid}] ${w.stderrTail()}`).join('\n');
  }
}

/** A started limiter child: `go(startAt)` releases it, `grants` resolves with the times it was granted. */
export interface LimiterChild {
  ready: Promise<void>;
  go(startAt: number): void;
  grants: Promise<number[]>;
}

/** Spawns tests/support/worker-process-limiter-child.ts (killed by pid if it overruns). */
export function spawnLimiterChild(options: Record<string, unknown>, timeoutMs = 90_000): LimiterChild {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tests/support/worker-process-limiter-child.ts'), '--options', JSON.stringify(options)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let tail = '';
  child.stderr?.on('data', (b: Buffer) => {
    tail = (tail + b.toString('utf8')).slice(-2000);
  });
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const grants = new Promise<number[]>((resolve, reject) => {
    let result: number[] | undefined;
    const timer = setTimeout(() => {
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
      reject(new Error(`limiter child timed out: ${tail}`));
    }, timeoutMs);
    child.on('message', (m: { type?: string; grants?: number[] }) => {
      if (m?.type === 'ready') markReady();
      if (m?.type === 'grants') result = m.grants;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (result) resolve(result);
      else reject(new Error(`limiter child exited with ${code} without results: ${tail}`));
    });
  });
  grants.catch(() => undefined);
  return { ready, grants, go: (startAt) => child.send({ type: 'go', startAt }) };
}
