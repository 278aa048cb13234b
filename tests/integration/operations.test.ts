import request from 'supertest';
import { QUEUE_NAMES } from '../../backend/src/queues/catalog';
import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';
import { LiveCallLeases } from '../../backend/src/domain/dialing/live-call-leases';
import { recordDialStep } from '../../backend/src/platform/metrics';

// Operations: /metrics (Prometheus text, gauges read from Redis/Postgres at scrape time, process
// counters), the queue dashboard behind ADMIN_TOKEN, and who may see either.
const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** The value of one sample line, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const body = /\{(.*)\}/.exec(line)?.[1] ?? '';
    const got = Object.fromEntries([...body.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('operations endpoints with ADMIN_TOKEN set', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ ADMIN_TOKEN, VAPI_API_KEY: 'ops-test-vapi-key' });
  });
  afterAll(() => ctx.close());

  it('refuses /metrics without the token and serves it with Bearer or Basic', async () => {
    const denied = await request(ctx.app).get('/metrics');
    expect(denied.status).toBe(401);
    expect(denied.body.error.code).toBe('ADMIN_AUTH_REQUIRED');
    expect((await request(ctx.app).get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789')).status).toBe(401);
    const ok = await request(ctx.app).get('/metrics').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain/);
    expect((await request(ctx.app).get('/metrics').set('Authorization', basic('ops', ADMIN_TOKEN))).status).toBe(200);
  });

  it('reports queue depths, live calls against caps, dials in the last minute and outbox lag from shared state', async () => {
    const { portal } = await createPortalWithKey(ctx.deps.db);
    await ctx.deps.db.portal.update({ where: { id: portal.id }, data: { maxConcurrentCalls: 7 } });
    await ctx.deps.queues.enqueue('system.ping', { note: 'metrics' }, { delay: 60_000 });
    await ctx.deps.queues.enqueue('system.ping', { note: 'metrics' }, { delay: 60_000 });
    const leases = new LiveCallLeases(ctx.deps.redis, ctx.deps.queues.prefix);
    const scope = { accountKey: 'acct-ops', accountCap: 7, campaignId: null, campaignCap: 0 };
    await leases.acquire(scope, '00000000-0000-4000-8000-000000000001', 60_000);
    await leases.acquire(scope, '00000000-0000-4000-8000-000000000002', 60_000);
    await ctx.deps.redis.zadd(`${ctx.deps.queues.prefix}:rate:acct-ops`, Date.now() - 5_000, 'a1', Date.now() - 120_000, 'old');
    await ctx.deps.db.outbox.create({
      data: { portalId: portal.id, kind: 'hubspot.call', dedupeKey: 'ops-lag', payload: {}, createdAt: new Date(Date.now() - 90_000) },
    });

    const text = (await request(ctx.app).get('/metrics').set('Authorization', `Bearer ${ADMIN_TOKEN}`)).text;
    expect(sample(text, 'hac_queue_jobs', { queue: 'system', state: 'delayed' })).toBe(2);
    expect(sample(text, 'hac_queue_jobs', { queue: 'dial', state: 'waiting' })).toBe(0);
    expect(sample(text, 'hac_live_calls', { scope: 'account', id: 'acct-ops' })).toBe(2);
    // The portal's account (from VAPI_API_KEY) and its cap, as the dialer would compute them.
    const capLine = text.split('\n').find((l) => l.startsWith('hac_live_calls_cap{scope="account"'));
    expect(capLine).toMatch(/ 7$/);
    expect(sample(text, 'hac_dials_last_minute', { account: 'acct-ops' })).toBe(1);
    expect(sample(text, 'hac_outbox_rows', { status: 'pending' })).toBe(1);
    expect(sample(text, 'hac_outbox_lag_seconds')).toBeGreaterThanOrEqual(89);
    expect(sample(text, 'hac_scrape_errors', { part: 'queues' })).toBe(0);
    expect(text).toContain('hac_process_cpu_user_seconds_total');
  });

  it('counts dial steps and times webhooks and requests by route pattern', async () => {
    recordDialStep('placed');
    recordDialStep('placed');
    recordDialStep('something with spaces');
    await request(ctx.app).post('/webhooks/vapi').send({ message: { type: 'status-update' } });
    await request(ctx.app).post('/webhooks/vapi').send({ message: { type: 'made-up-by-a-stranger' } });
    // A body field that is any JSON: an object whose toString is not a function once made String()
    // throw in the timing listener, outside any handler (an unsigned request could bring the process down).
    expect((await request(ctx.app).post('/webhooks/retell/functions/next_step').send({ name: { toString: 1 }, event: { valueOf: 2 } })).status).toBe(401);
    expect((await request(ctx.app).get('/healthz')).status).toBe(200);
    const text = (await request(ctx.app).get('/metrics').set('Authorization', `Bearer ${ADMIN_TOKEN}`)).text;
    expect(sample(text, 'hac_dial_steps_total', { result: 'placed' })).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'hac_dial_steps_total', { result: 'other' })).toBeGreaterThanOrEqual(1);
    // An unauthenticated caller names no event: it cannot mint label values.
    expect(sample(text, 'hac_webhook_duration_seconds_count', { provider: 'vapi', type: 'unauthenticated', status: '401' })).toBeGreaterThanOrEqual(2);
    expect(text).not.toContain('made-up-by-a-stranger');
    expect(sample(text, 'hac_webhook_duration_seconds_count', { provider: 'retell', type: 'unauthenticated', status: '401' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'hac_http_request_duration_seconds_count', { method: 'GET', route: '/metrics', status: '2xx' })).toBeGreaterThanOrEqual(1);
  });

  it('serves the queue dashboard only with the token, listing every queue', async () => {
    const denied = await request(ctx.app).get('/admin/queues');
    expect(denied.status).toBe(401);
    expect(denied.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect((await request(ctx.app).get('/admin/queues').set('Authorization', basic('ops', 'not-the-token'))).status).toBe(401);
    const page = await request(ctx.app).get('/admin/queues').set('Authorization', basic('ops', ADMIN_TOKEN));
    expect(page.status).toBe(200);
    expect(page.text).toContain('<div id="root">');
    const api = await request(ctx.app).get('/admin/queues/api/queues').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(api.status).toBe(200);
    expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual([...QUEUE_NAMES].sort());
  });
});

describe('operations endpoints without ADMIN_TOKEN', () => {
  it('keeps the dashboard off, and /metrics open outside production only', async () => {
    const dev = await createTestContext({});
    const prod = await createTestContext({ NODE_ENV: 'production' });
    try {
      const off = await request(dev.app).get('/admin/queues');
      expect(off.status).toBe(404);
      expect(off.body.error).toEqual({ code: 'ADMIN_DISABLED', message: 'The queue dashboard is off: set ADMIN_TOKEN to turn it on.' });
      expect((await request(dev.app).get('/metrics')).status).toBe(200);
      const prodMetrics = await request(prod.app).get('/metrics');
      expect(prodMetrics.status).toBe(404);
      expect(prodMetrics.body.error.code).toBe('ADMIN_DISABLED');
    } finally {
      await dev.close();
      await prod.close();
    }
  });
});
