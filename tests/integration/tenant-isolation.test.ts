import request from 'supertest';
import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey, seedPortalResources } from '../support/factories';

// Walks the real /api/v1 route table (ctx.apiRoutes), so a route added later cannot skip it:
// portal A's credentials against portal B's ids must give 404 and never B's data.
const MARKER = 'ZZ-portal-b-secret-marker';

describe('tenant isolation over every /api/v1 route', () => {
  let ctx: TestContext;
  let authA: Record<string, string>;
  let idsB: Record<string, string>;

  beforeAll(async () => {
    ctx = await createTestContext();
    authA = (await createPortalWithKey(ctx.deps.db, { name: 'A' })).auth;
    const b = await createPortalWithKey(ctx.deps.db, { name: 'B' });
    idsB = await seedPortalResources(ctx.deps.db, b.portal.id, MARKER);
  });
  afterAll(() => ctx.close());

  const leaks = (text: string) => [MARKER, ...Object.values(idsB)].filter((needle) => text.includes(needle));

  it('has routes to walk', () => {
    expect(ctx.apiRoutes.length).toBeGreaterThan(0);
  });

  it("never lets portal A reach portal B's rows", async () => {
    const failures: string[] = [];
    for (const route of ctx.apiRoutes) {
      const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      const unknown = params.filter((p) => !(p in idsB));
      if (unknown.length) {
        failures.push(`${route.method.toUpperCase()} ${route.path}: parameter(s) ${unknown.join(', ')} are not resource-named; the isolation walk cannot cover them`);
        continue;
      }
      const url = '/api/v1' + route.path.replace(/:(\w+)/g, (_, p: string) => idsB[p]!);
      // A body naming B's resources too, so create/preview routes cannot be steered into B either.
      const body = { ...idsB, scriptVersionId: idsB.versionId, variants: [{ scriptVersionId: idsB.versionId, weight: 1, label: 'A' }] };
      const res = await request(ctx.app)[route.method](url).set(authA).send(route.method === 'get' || route.method === 'delete' ? undefined : body);
      const text = JSON.stringify(res.body) + (res.text ?? '');
      const leaked = leaks(text);
      if (leaked.length) failures.push(`${route.method.toUpperCase()} ${route.path}: response contains portal B data (${leaked.length} matches)`);
      if (params.length && res.status !== 404) failures.push(`${route.method.toUpperCase()} ${route.path}: expected 404 for B's id, got ${res.status}`);
      if (res.status >= 500) failures.push(`${route.method.toUpperCase()} ${route.path}: server error ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it("leaves B's rows untouched after the walk", async () => {
    const db = ctx.deps.db;
    expect(await db.contact.count({ where: { id: idsB.contactId, firstName: MARKER } })).toBe(1);
    expect(await db.campaign.count({ where: { id: idsB.campaignId, name: MARKER, state: 'draft' } })).toBe(1);
    expect(await db.script.count({ where: { id: idsB.scriptId, name: MARKER, archivedAt: null } })).toBe(1);
    expect(await db.segment.count({ where: { id: idsB.segmentId, name: MARKER } })).toBe(1);
    expect(await db.dncEntry.count({ where: { id: idsB.dncId } })).toBe(1);
  });
});
