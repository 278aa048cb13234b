import request from 'supertest';
import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';

describe('HTTP shell', () => {
  let ctx: TestContext;
  let auth: Record<string, string>;
  beforeAll(async () => {
    ctx = await createTestContext();
    auth = (await createPortalWithKey(ctx.deps.db)).auth;
  });
  afterAll(() => ctx.close());

  it('answers health and readiness (Postgres and Redis reachable)', async () => {
    await request(ctx.app).get('/healthz').expect(200, { status: 'ok' });
    const r = await request(ctx.app).get('/readyz').expect(200);
    expect(r.body).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('is not ready when Postgres is unreachable', async () => {
    const { createApp } = await import('../../backend/src/app');
    const { createPrisma } = await import('../../backend/src/platform/prisma');
    const dead = createPrisma('postgresql://postgres@127.0.0.1:1/nowhere');
    const { app } = createApp({ ...ctx.deps, db: dead });
    const r = await request(app).get('/readyz').expect(503);
    expect(r.body.checks).toEqual({ postgres: 'down', redis: 'ok' });
    await dead.$disconnect();
  });

  it('gives unknown routes a JSON 404 with a code', async () => {
    const r = await request(ctx.app).get('/no/such/thing').expect(404);
    expect(r.body.error).toEqual({ code: 'ROUTE_NOT_FOUND', message: 'No route for GET /no/such/thing.' });
  });

  it('answers malformed JSON with 400 MALFORMED_JSON and an oversized body with 413', async () => {
    const bad = await request(ctx.app).post('/api/v1/portal').set(auth).set('content-type', 'application/json').send('{"a":').expect(400);
    expect(bad.body.error.code).toBe('MALFORMED_JSON');
    expect(bad.body.error.message).toMatch(/not valid JSON/);
    const big = JSON.stringify({ blob: 'x'.repeat(1_100_000) });
    const r = await request(ctx.app).post('/api/v1/portal').set(auth).set('content-type', 'application/json').send(big).expect(413);
    expect(r.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('gives Vapi webhooks a larger body limit (long end-of-call reports) but still a limit', async () => {
    const body = (n: number) => JSON.stringify({ message: { type: 'end-of-call-report', artifact: { transcript: 'x'.repeat(n) } } });
    // 2 MB parses (and is then refused for want of a credential); 6 MB never reaches the handler.
    const ok = await request(ctx.app).post('/webhooks/vapi').set('content-type', 'application/json').send(body(2_000_000));
    expect(ok.status).toBe(401);
    const big = await request(ctx.app).post('/webhooks/vapi').set('content-type', 'application/json').send(body(6_000_000)).expect(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('echoes a well-formed X-Request-Id and makes one up otherwise', async () => {
    const given = await request(ctx.app).get('/healthz').set('x-request-id', 'abc-123').expect(200);
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await request(ctx.app).get('/healthz').set('x-request-id', 'bad id with spaces').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers and hides the framework', async () => {
    const r = await request(ctx.app).get('/healthz');
    expect(r.headers['x-powered-by']).toBeUndefined();
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });
});
