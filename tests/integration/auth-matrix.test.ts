import request from 'supertest';
import { createTestContext, TEST_CLIENT_SECRET, type TestContext } from '../support/test-app';
import { createPortalWithKey, seedPortalResources } from '../support/factories';
import { signV3 } from '../../backend/src/hubspot/signature';
import { createApiKey, revokeApiKey } from '../../backend/src/domain/portals/api-key.service';
import type { RouteInfo } from '../../backend/src/http/api-router';

// The access matrix: every /api/v1 route of the live route table (so a route added later is in it
// without anyone writing a line here) × every way a caller can present itself:
//   none       no credentials                      → 401 UNAUTHENTICATED
//   revoked    a portal API key since revoked       → 401 API_KEY_REVOKED
//   stale      a HubSpot v3 signature 6 minutes old → 401 HUBSPOT_SIGNATURE_STALE
//   tampered   a v3 signature over another body     → 401 HUBSPOT_SIGNATURE_MISMATCH
//   other      portal A's key, portal B's ids       → 404 (never B's data; tenant-isolation.test.ts
//                                                     also checks B's rows stay unchanged)
//   own-key    portal A's key, A's own ids          → let in: never 401/403/404, never 5xx
//   own-signed a fresh v3 signature for A's hub id  → let in, the same
// The refusals must come before any handler runs: nothing is written by them.

const PUBLIC = 'https://calls.example.test';
const MARKER_A = 'ZZ-portal-a-own';
const MARKER_B = 'ZZ-portal-b-other';

type Caller = 'none' | 'revoked' | 'stale' | 'tampered' | 'other' | 'own-key' | 'own-signed';

let ctx: TestContext;
let a: Awaited<ReturnType<typeof createPortalWithKey>>;
let revokedAuth: Record<string, string>;
let idsB: Record<string, string>;

beforeAll(async () => {
  ctx = await createTestContext();
  a = await createPortalWithKey(ctx.deps.db, { name: 'A' });
  const old = await createApiKey(ctx.deps.db, { portalId: a.portal.id, name: 'old' });
  await revokeApiKey(ctx.deps.db, { keyId: old.id });
  revokedAuth = { Authorization: `Bearer ${old.apiKey}` };
  const b = await createPortalWithKey(ctx.deps.db, { name: 'B' });
  idsB = await seedPortalResources(ctx.deps.db, b.portal.id, MARKER_B);
});
afterAll(() => ctx.close());

const urlFor = (route: RouteInfo, ids: Record<string, string>) => '/api/v1' + route.path.replace(/:(\w+)/g, (_, p: string) => ids[p] ?? 'unknown-param');
const bodyFor = (route: RouteInfo, ids: Record<string, string>) =>
  route.method === 'get' || route.method === 'delete' ? '' : JSON.stringify({ ...ids, scriptVersionId: ids.versionId, variants: [{ scriptVersionId: ids.versionId, weight: 1, label: 'A' }] });

function send(route: RouteInfo, url: string, body: string, headers: Record<string, string>) {
  let r = request(ctx.app)[route.method](url).set(headers);
  if (body) r = r.set('Content-Type', 'application/json').send(body);
  return r;
}

function signedHeaders(method: string, url: string, body: string, ageMs: number, signedBody = body): Record<string, string> {
  const ts = String(Date.now() - ageMs);
  return { 'X-HubSpot-Signature-v3': signV3(TEST_CLIENT_SECRET, method, PUBLIC + url, signedBody, ts), 'X-HubSpot-Request-Timestamp': ts };
}

async function call(route: RouteInfo, caller: Caller, idsA: Record<string, string>) {
  const method = route.method.toUpperCase();
  if (caller === 'other') {
    const url = urlFor(route, idsB);
    return send(route, url, bodyFor(route, idsB), a.auth);
  }
  const url = urlFor(route, idsA);
  const body = bodyFor(route, idsA);
  const hub = `${url}${url.includes('?') ? '&' : '?'}portalId=${a.portal.hubId}&userId=77`;
  switch (caller) {
    case 'none':
      return send(route, url, body, {});
    case 'revoked':
      return send(route, url, body, revokedAuth);
    case 'stale':
      return send(route, hub, body, signedHeaders(method, hub, body, 6 * 60_000));
    case 'tampered':
      return send(route, hub, body, signedHeaders(method, hub, body, 0, `${body} `));
    case 'own-key':
      return send(route, url, body, a.auth);
    case 'own-signed':
      return send(route, hub, body, signedHeaders(method, hub, body, 0));
  }
}

const REFUSED: Partial<Record<Caller, string>> = {
  none: 'UNAUTHENTICATED',
  revoked: 'API_KEY_REVOKED',
  stale: 'HUBSPOT_SIGNATURE_STALE',
  tampered: 'HUBSPOT_SIGNATURE_MISMATCH',
};

it('answers every route × every caller as the matrix says', async () => {
  const failures: string[] = [];
  const routes = ctx.apiRoutes;
  expect(routes.length).toBeGreaterThan(20);
  for (const route of routes) {
    const name = `${route.method.toUpperCase()} ${route.path}`;
    const hasParams = /:\w+/.test(route.path);
    const idsA = await seedPortalResources(ctx.deps.db, a.portal.id, MARKER_A);
    for (const caller of ['none', 'revoked', 'stale', 'tampered', 'other', 'own-key', 'own-signed'] as Caller[]) {
      // Fresh own rows for each caller let in: a DELETE or a start by one must not change the next.
      const ids = caller === 'own-signed' ? await seedPortalResources(ctx.deps.db, a.portal.id, MARKER_A) : idsA;
      const res = await call(route, caller, ids);
      const text = JSON.stringify(res.body) + (res.text ?? '');
      const code = res.body?.error?.code;
      if (res.status >= 500) failures.push(`${name} [${caller}]: server error ${res.status}`);
      const refused = REFUSED[caller];
      if (refused && (res.status !== 401 || code !== refused)) failures.push(`${name} [${caller}]: expected 401 ${refused}, got ${res.status} ${code ?? ''}`);
      if (caller === 'other') {
        if (text.includes(MARKER_B) || Object.values(idsB).some((id) => text.includes(id))) failures.push(`${name} [other]: answer holds portal B's data`);
        if (hasParams && res.status !== 404) failures.push(`${name} [other]: expected 404 for B's ids, got ${res.status}`);
      }
      if ((caller === 'own-key' || caller === 'own-signed') && [401, 403, 404].includes(res.status)) {
        failures.push(`${name} [${caller}]: own portal refused with ${res.status} ${code ?? ''}`);
      }
    }
  }
  expect(failures).toEqual([]);
  // Seven requests and two seedings per route: a few seconds alone, far longer on a loaded machine.
}, 180_000);

it('writes nothing for a refused caller', async () => {
  const db = ctx.deps.db;
  const counts = async () => Promise.all([db.contact.count(), db.segment.count(), db.script.count(), db.campaign.count(), db.dncEntry.count(), db.import.count(), db.apiKey.count()]);
  const before = await counts();
  const idsA = { contactId: '00000000-0000-4000-8000-000000000000' };
  for (const route of ctx.apiRoutes.filter((r) => r.method !== 'get')) {
    for (const caller of ['none', 'revoked', 'stale', 'tampered'] as Caller[]) await call(route, caller, idsA);
  }
  expect(await counts()).toEqual(before);
}, 60_000);
