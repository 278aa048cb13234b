import request from 'supertest';
import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';
import { ROUTE_SCHEMAS } from '../../backend/src/http/openapi';

// GET /api/v1/openapi.json describes the live route table: every route the ApiRouter recorded is
// in it with its summary and path parameters, request schemas come from the zod schemas the
// handlers parse with, and no schema is kept for a route that no longer exists.
describe('OpenAPI document', () => {
  let ctx: TestContext;
  let doc: any;
  beforeAll(async () => {
    ctx = await createTestContext();
    const res = await request(ctx.app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    doc = res.body;
  });
  afterAll(() => ctx.close());

  it('is served without portal credentials as OpenAPI 3.1 with both ways in', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers[0].url).toBe('https://calls.example.test/api/v1');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['hubspotSignature', 'portalApiKey']);
  });

  it('lists every recorded /api/v1 route with its summary and path parameters', () => {
    expect(ctx.apiRoutes.length).toBeGreaterThan(30);
    for (const route of ctx.apiRoutes) {
      const p = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const op = doc.paths[p]?.[route.method];
      expect({ route: `${route.method} ${route.path}`, present: Boolean(op) }).toEqual({ route: `${route.method} ${route.path}`, present: true });
      expect(op.summary).toBe(route.summary);
      const pathParams = op.parameters.filter((x: any) => x.in === 'path').map((x: any) => x.name);
      expect(pathParams).toEqual([...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]));
    }
    const count = Object.values(doc.paths).reduce((n: number, ops: any) => n + Object.keys(ops).length, 0);
    expect(count).toBe(ctx.apiRoutes.length);
    const ids = Object.values(doc.paths).flatMap((ops: any) => Object.values(ops).map((o: any) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps schemas only for routes that exist', () => {
    const live = new Set(ctx.apiRoutes.map((r) => `${r.method} ${r.path}`));
    expect(Object.keys(ROUTE_SCHEMAS).filter((k) => !live.has(k))).toEqual([]);
  });

  it('describes request bodies and queries from the zod schemas', () => {
    const create = doc.paths['/campaigns'].post.requestBody.content['application/json'].schema;
    expect(create.properties.name).toMatchObject({ type: 'string', minLength: 1, maxLength: 200 });
    expect(create.properties.pacing.properties.maxConcurrent).toMatchObject({ type: 'integer', minimum: 1, maximum: 1000 });
    expect(create.required).toContain('name');
    const script = doc.paths['/scripts'].post.requestBody.content['application/json'].schema;
    expect(script.properties.graph.properties.nodes.type).toBe('array');
    const listQuery = doc.paths['/contacts'].get.parameters.filter((x: any) => x.in === 'query').map((x: any) => x.name);
    expect(listQuery).toEqual(expect.arrayContaining(['limit', 'cursor', 'phone', 'email', 'importId']));
    expect(Object.keys(doc.paths['/imports'].post.requestBody.content).sort()).toEqual(['multipart/form-data', 'text/csv']);
  });

  it('times /api/v1 requests under their route pattern, not the raw path', async () => {
    const { auth } = await createPortalWithKey(ctx.deps.db);
    await request(ctx.app).get('/api/v1/campaigns/00000000-0000-4000-8000-000000000000').set(auth).expect(404);
    const text = (await request(ctx.app).get('/metrics')).text;
    expect(text).toMatch(/hac_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/campaigns\/:campaignId",status="4xx"\} [1-9]/);
  });
});
