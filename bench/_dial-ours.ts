import request from 'supertest';
import { createDialingHarness, vapiFakeOptions, type DialingHarness } from '../tests/support/dialing-harness';
import { TEST_REDIS_URL } from '../tests/support/test-redis';
import { createPrisma } from '../backend/src/platform/prisma';
import { startWorkers } from '../worker/src/worker-host';
import { spawnVapiFake, type FakeProcess } from './_vapi-fake-process';

// The "ours" side of the dial benchmark, set up the same way for bench/dial.ts and for
// bench/_dial-profile.ts (which profiles it): the whole dialing stack on real Postgres and Redis
// with the Vapi fake (no added latency; calls stay queued there so no webhooks compete), caps far
// above the load so nothing binds, one worker host in this process as `start:worker` runs it,
// `n` contacts seeded and a campaign over them, not yet started. The fake runs in a process of
// its own, as the real Vapi is remote: answering the creates is not this process's CPU.
export interface OursRun {
  h: DialingHarness<null>;
  /** The Vapi fake's process: its counts of creates and of attempts dialed twice. */
  fake: FakeProcess;
  campaignId: string;
  /** Starts the campaign over the API (the segment snapshot, then the sweep takes over). */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function prepareOurs(n: number): Promise<OursRun> {
  // Calls wait "queued" at the fake for a minute: no webhooks compete with dialing.
  const fake = await spawnVapiFake(vapiFakeOptions({ concurrencyLimit: 1_000_000, timeScale: 1, durations: { queuedSec: [60, 60] } }));
  let h: DialingHarness<null>;
  try {
    h = await createDialingHarness({
      vapiFakeUrl: fake.url,
      portal: { maxConcurrentCalls: 1_000_000, callsPerMinute: 100_000_000 },
      policy: { planPageSize: 1000, tickEveryMs: 50, dialGraceMs: 15_000 },
    });
  } catch (err) {
    await fake.close();
    throw err;
  }
  // A worker's own pool at the production default size (the test harness keeps its pool small).
  const db = createPrisma(h.ctx.database.url);
  const host = startWorkers({ ...h.ctx.deps, db }, { redisUrl: TEST_REDIS_URL, prefix: h.ctx.redisPrefix });
  const close = async () => {
    await host.close();
    await db.$disconnect();
    await h.close();
    await fake.close();
  };
  try {
    await Promise.all(host.workers.map((w) => w.waitUntilReady()));
    const { tag } = await h.seedContacts(n);
    const campaignId = await h.createCampaign({ tag, maxConcurrent: 1_000_000, callsPerMinute: 100_000_000, maxAttempts: 1 });
    return {
      h,
      fake,
      campaignId,
      async start() {
        await request(h.ctx.app).post(`/api/v1/campaigns/${campaignId}/start`).set(h.auth).expect(200);
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
