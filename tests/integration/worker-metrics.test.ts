import request from 'supertest';
import { findFreePort } from '../../backend/src/platform/free-port';
import { createDialingHarness, type DialingHarness } from '../support/dialing-harness';
import { childEnvFor, spawnWorker, type WorkerProcess } from '../support/worker-process';

// A worker's dial counters live in the worker process, not in the web's /metrics: each worker
// serves its own /metrics on WORKER_METRICS_PORT, behind the same ADMIN_TOKEN rules. Here a real
// worker process (what `npm run start:worker` runs) dials a campaign and its scrape shows it.

const ADMIN_TOKEN = 'worker-metrics-admin-token-0123';

function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const got = Object.fromEntries([...(/\{(.*)\}/.exec(line)?.[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('worker /metrics', () => {
  let h: DialingHarness;
  let worker: WorkerProcess | undefined;
  let port: number;
  beforeAll(async () => {
    h = await createDialingHarness({ fake: { durations: { ringSec: [1, 1], talkSec: [5, 5] } } });
    port = await findFreePort();
    const env = childEnvFor(h.ctx.config, h.ctx.database.url, { WORKER_METRICS_PORT: String(port), ADMIN_TOKEN });
    worker = spawnWorker(env, { prefix: h.ctx.redisPrefix, policy: h.ctx.deps.dialingPolicy });
    await worker.ready;
  }, 150_000);
  afterAll(async () => {
    await worker?.kill('SIGTERM');
    await h.close();
  });

  const scrape = (auth?: string) => fetch(`http://127.0.0.1:${port}/metrics`, { headers: auth ? { Authorization: auth } : {} });

  it('needs the admin token, and counts the dial steps this worker ran', async () => {
    const denied = await scrape();
    expect(denied.status).toBe(401);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('ADMIN_AUTH_REQUIRED');
    expect((await scrape('Bearer not-the-admin-token-000000')).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);

    const before = await (await scrape(`Bearer ${ADMIN_TOKEN}`)).text();
    expect(before).toContain('hac_process_cpu_user_seconds_total');
    expect(sample(before, 'hac_dial_steps_total', { result: 'placed' })).toBeUndefined();

    const { tag } = await h.seedContacts(2);
    const campaignId = await h.createCampaign({ tag, maxAttempts: 1 });
    await request(h.ctx.app).post(`/api/v1/campaigns/${campaignId}/start`).set(h.auth).expect(200);
    const deadline = Date.now() + 60_000;
    let placed: number | undefined;
    do {
      await new Promise((r) => setTimeout(r, 250));
      placed = sample(await (await scrape(`Bearer ${ADMIN_TOKEN}`)).text(), 'hac_dial_steps_total', { result: 'placed' });
    } while ((placed ?? 0) < 2 && Date.now() < deadline);
    expect(placed).toBe(2);
    expect(h.fake.state.counters.created).toBe(2);
  }, 120_000);
});
