import { spawn } from 'node:child_process';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import winston from 'winston';
import { createTestContext, type TestContext } from '../support/test-app';
import { startWorkers } from '../../worker/src/worker-host';
import { registry } from '../../worker/src/registry';
import { JOBS } from '../../backend/src/queues/catalog';
import { logger } from '../../backend/src/platform/logger';

const ROOT = path.resolve(__dirname, '../..');

describe('worker shell', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('has a processor for every job in the catalog', () => {
    expect(Object.keys(registry).sort()).toEqual(Object.keys(JOBS).sort());
  });

  it('runs a queued job and logs with its job id', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (c: Buffer) => lines.push(...c.toString().split('\n').filter(Boolean)));
    const transport = new winston.transports.Stream({ stream });
    logger.add(transport);
    const level = logger.level;
    logger.level = 'info';
    const host = startWorkers(ctx.deps, { redisUrl: ctx.config.redisUrl, prefix: ctx.redisPrefix });
    try {
      const job = await ctx.deps.queues.enqueue('system.ping', { note: 'hello' });
      const deadline = Date.now() + 10_000;
      let state = await job.getState();
      while (state !== 'completed' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        state = await job.getState();
      }
      expect(state).toBe('completed');
      const line = lines.map((l) => JSON.parse(l)).find((l) => l.message === 'ping processed');
      expect(line).toMatchObject({ jobId: job.id, queue: 'system', note: 'hello' });
    } finally {
      logger.remove(transport);
      logger.level = level;
      await host.close();
    }
  });

  it('refuses a payload that does not match the catalog schema at enqueue time', async () => {
    await expect(ctx.deps.queues.enqueue('system.ping', { note: 'x'.repeat(500) })).rejects.toThrow();
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: ctx.database.url, REDIS_URL: ctx.config.redisUrl, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    const started = Date.now();
    while (!out.includes('worker started') && Date.now() - started < 120_000) await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain('worker started');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('shutting down');
  }, 180_000);
});
