import crypto from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { createTestRedisPrefix, TEST_REDIS_URL } from '../tests/support/test-redis';
import { spawnLimiterChild } from '../tests/support/worker-process';
import { createWorkerRedis } from '../backend/src/platform/redis';
import { setLogLevel } from '../backend/src/platform/logger';
import { prepareOurs } from './_dial-ours';

// npm run bench -- dial [--attempts 2000] [--limiter-cap 100] [--limiter-seconds 6]
// 1. Ours: attempts per second through the whole dial path — the campaign started over the API
//    (segment snapshot), the scheduler sweep planning attempts into dial jobs, each dial job's
//    checks (DNC, consent, window, frequency caps), limiter, leases, claim, and POST /call on the
//    Vapi fake (no added latency; calls stay queued there so no webhooks compete; in a process of
//    its own, as Vapi is remote) — with caps far above the load so nothing binds. One worker
//    process (this one), as `start:worker` runs it.
// 2. Baseline, same run: raw BullMQ, the same number of no-op jobs added (addBulk) and processed
//    by one Worker at the dial queue's concurrency.
// 3. The account limiter: 4 processes × 4 loops taking slots on one account for a few 1 s
//    windows; achieved = slots per whole window against the cap; violations = windows (sliding,
//    on the times the limiter stored) holding more than the cap.
// Ends with: RESULT dial ours_aps=… baseline_jps=… ratio=… limiter_cap=… limiter_achieved=… violations=…

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer`);
  return v;
}
const DIAL_CONCURRENCY = 20;

async function baseline(n: number): Promise<number> {
  const { prefix, cleanup } = createTestRedisPrefix();
  const connection = createWorkerRedis(TEST_REDIS_URL);
  const queue = new Queue('bench-noop', { connection, prefix });
  let done = 0;
  let finished: () => void = () => undefined;
  const all = new Promise<void>((r) => (finished = r));
  const worker = new Worker('bench-noop', async () => undefined, { connection: createWorkerRedis(TEST_REDIS_URL), prefix, concurrency: DIAL_CONCURRENCY });
  worker.on('completed', () => ++done === n && finished());
  await worker.waitUntilReady();
  const t0 = performance.now();
  for (let i = 0; i < n; i += 500) {
    await queue.addBulk(Array.from({ length: Math.min(500, n - i) }, (_, k) => ({ name: 'noop', data: { callId: crypto.randomUUID() }, opts: { jobId: `noop-${i + k}`, removeOnComplete: true } })));
  }
  await all;
  const seconds = (performance.now() - t0) / 1000;
  await worker.close();
  await queue.close();
  connection.disconnect();
  await cleanup();
  return n / seconds;
}

async function ours(n: number): Promise<{ aps: number; seconds: number; placed: number }> {
  const run = await prepareOurs(n);
  try {
    const t0 = performance.now();
    await run.start();
    const { created: placed, duplicates } = await run.fake.waitForCreated(n, 600_000);
    const seconds = (performance.now() - t0) / 1000;
    if (duplicates) throw new Error('an attempt reached the fake twice');
    return { aps: placed / seconds, seconds, placed };
  } finally {
    await run.close();
  }
}

async function limiter(cap: number, seconds: number): Promise<{ achieved: number; violations: number }> {
  const { prefix, cleanup } = createTestRedisPrefix();
  const windowMs = 1000;
  try {
    const children = Array.from({ length: 4 }, () => spawnLimiterChild({ redisUrl: TEST_REDIS_URL, prefix, account: 'bench', max: cap, windowMs, durationMs: seconds * 1000, loops: 4 }));
    await Promise.all(children.map((c) => c.ready));
    const startAt = Date.now() + 300;
    for (const c of children) c.go(startAt);
    const grants = (await Promise.all(children.map((c) => c.grants))).flat().sort((a, b) => a - b);
    const t0 = grants[0]!;
    const whole = seconds - 1;
    const achieved = grants.filter((t) => t < t0 + whole * windowMs).length / whole;
    // A violation: a grant that makes some window [t, t + 1 s) hold more than the cap.
    let violations = 0;
    for (let lo = 0, hi = 0; hi < grants.length; hi++) {
      while (grants[hi]! - grants[lo]! >= windowMs) lo++;
      if (hi - lo + 1 > cap) violations++;
    }
    return { achieved, violations };
  } finally {
    await cleanup();
  }
}

async function main() {
  setLogLevel('error');
  const attempts = flag('attempts', 2000);
  const cap = flag('limiter-cap', 100);
  const limiterSeconds = flag('limiter-seconds', 6);

  const base = await baseline(attempts);
  console.log(`baseline: ${attempts} no-op BullMQ jobs added and processed (concurrency ${DIAL_CONCURRENCY}): ${base.toFixed(0)} jobs/s`);
  const o = await ours(attempts);
  console.log(`ours:     ${o.placed} attempts planned, dialed and placed on the Vapi fake in ${o.seconds.toFixed(2)} s: ${o.aps.toFixed(0)} attempts/s`);
  const lim = await limiter(cap, limiterSeconds);
  console.log(`limiter:  cap ${cap} per 1 s window, 4 processes × 4 loops: ${lim.achieved.toFixed(1)} per window achieved, ${lim.violations} grants over the cap`);
  return `RESULT dial ours_aps=${o.aps.toFixed(0)} baseline_jps=${base.toFixed(0)} ratio=${(o.aps / base).toFixed(3)} limiter_cap=${cap} limiter_achieved=${lim.achieved.toFixed(1)} violations=${lim.violations}`;
}

main().then(
  (line) => {
    console.log(line);
    process.exit(0);
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
