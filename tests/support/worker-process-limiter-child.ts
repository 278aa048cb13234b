import crypto from 'node:crypto';
import { z } from 'zod';
import { createWorkerRedis } from '../../backend/src/platform/redis';
import { AccountRateLimiter } from '../../backend/src/domain/dialing/account-rate-limiter';

// A child process for the cross-process limiter test: several loops that each take a slot from
// the shared AccountRateLimiter as fast as it allows and, for every slot granted, place a call on
// the Vapi fake (which timestamps what it receives). Sends the grant times (the score the limiter
// stored for each slot: the time it judged by) to the parent over IPC and exits. Options as one JSON argument; the start instant comes
// from the parent ('go') once every child is ready.
const ZOptions = z.object({
  redisUrl: z.string(),
  prefix: z.string(),
  account: z.string(),
  max: z.number().int().positive(),
  windowMs: z.number().int().positive(),
  durationMs: z.number().int().positive(),
  loops: z.number().int().positive(),
  fake: z.object({ url: z.string(), apiKey: z.string() }).optional(),
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const o = ZOptions.parse(JSON.parse(process.argv[process.argv.indexOf('--options') + 1] ?? '{}'));
  const redis = createWorkerRedis(o.redisUrl);
  const limiter = new AccountRateLimiter(redis, o.prefix, o.windowMs);
  const grants: number[] = [];
  const sends: Promise<unknown>[] = [];
  await redis.ping();
  // Every process starts at the same instant, named by the parent once all are connected.
  const startAt = await new Promise<number>((resolve) => {
    process.on('message', (m: { type?: string; startAt?: number }) => m?.type === 'go' && resolve(m.startAt ?? Date.now()));
    process.send?.({ type: 'ready' });
  });
  const endAt = startAt + o.durationMs;
  await sleep(Math.max(0, startAt - Date.now()));

  async function loop() {
    while (Date.now() < endAt) {
      const attemptId = crypto.randomUUID();
      const d = await limiter.take(o.account, o.max, attemptId);
      if (!d.ok) {
        await sleep(Math.min(d.retryInMs, Math.max(1, endAt - Date.now())));
        continue;
      }
      // The score the limiter stored is its verdict's time: read it back (test-only white box).
      grants.push(Number(await redis.zscore(`${o.prefix}:rate:${o.account}`, attemptId)));
      if (o.fake) sends.push(placeOnFake(o.fake, attemptId));
    }
  }
  await Promise.all(Array.from({ length: o.loops }, loop));
  await Promise.all(sends);
  process.send?.({ type: 'grants', pid: process.pid, grants }, () => {
    redis.disconnect();
    process.exit(0);
  });
}

async function placeOnFake(fake: { url: string; apiKey: string }, attemptId: string) {
  const res = await fetch(`${fake.url}/call`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ assistantId: 'limiter-test', phoneNumberId: 'limiter-test', customer: { number: '+12125550100' }, assistantOverrides: { metadata: { attemptId } } }),
  });
  await res.text();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
