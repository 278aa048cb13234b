import request from 'supertest';
import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';

// Walks the real /api/v1 route table (ctx.apiRoutes), so a route added later cannot skip it:
// portal A's credentials against portal B's ids must give 404 and never B's data.
const MARKER = 'ZZ-portal-b-secret-marker';

async function seedPortalB(ctx: TestContext, portalId: string) {
  const db = ctx.deps.db;
  const contact = await db.contact.create({ data: { portalId, phone: '+12025550999', firstName: MARKER, email: 'b@b.example' } });
  const imp = await db.import.create({ data: { portalId, source: 'csv', status: 'completed', fileName: `${MARKER}.csv` } });
  const segment = await db.segment.create({ data: { portalId, name: MARKER, rule: { '==': [{ var: 'firstName' }, MARKER] } } });
  const script = await db.script.create({ data: { portalId, name: MARKER, draft: { name: MARKER } } });
  const version = await db.scriptVersion.create({ data: { portalId, scriptId: script.id, version: 1, graph: { name: MARKER }, checksum: 'x' } });
  const campaign = await db.campaign.create({ data: { portalId, name: MARKER, segmentId: segment.id } });
  await db.campaignVariant.create({ data: { portalId, campaignId: campaign.id, scriptVersionId: version.id, label: 'A' } });
  const dnc = await db.dncEntry.create({ data: { portalId, phone: '+12025550998', reason: MARKER, source: 'manual' } });
  const call = await db.call.create({ data: { portalId, contactId: contact.id, idempotencyKey: `b-${Date.now()}`, toPhone: contact.phone, summary: MARKER } });
  return {
    contactId: contact.id,
    importId: imp.id,
    segmentId: segment.id,
    scriptId: script.id,
    versionId: version.id,
    campaignId: campaign.id,
    dncId: dnc.id,
    callId: call.id,
  } as Record<string, string>;
}

describe('tenant isolation over every /api/v1 route', () => {
  let ctx: TestContext;
  let authA: Record<string, string>;
  let idsB: Record<string, string>;

  beforeAll(async () => {
    ctx = await createTestContext();
    authA = (await createPortalWithKey(ctx.deps.db, { name: 'A' })).auth;
    const b = await createPortalWithKey(ctx.deps.db, { name: 'B' });
    idsB = await seedPortalB(ctx, b.portal.id);
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
