import fc from 'fast-check';
import request from 'supertest';
import type { RouteInfo } from '../../backend/src/http/api-router';
import { createFuzzWorld, hubspotSigned, type FuzzWorld } from './support/fuzz-world';
import { expectStillUp, fuzzTimeout, runFuzzSurface, type Answer } from './support/fuzz-runner';
import { deepNesting, hostileJson, jsonText, malformedJson, shortHostileString, unstorableText, wellFormed } from './support/hostile-json';
import { hostileBody, hostileQuery } from './support/schema-hostile';
import { bodyKindOf, isWrite, paramsOf, querySchemaOf, routeKey, urlOf } from './support/api-inputs';

// /api/v1 under fuzz, walking the app's own route table (ctx.apiRoutes): hostile JSON bodies,
// hostile query strings and path ids, and bad credentials. Each must be refused with a 4xx and a
// code, with nothing written.

let w: FuzzWorld;
let routes: RouteInfo[];

beforeAll(async () => {
  w = await createFuzzWorld();
  routes = w.ctx.apiRoutes;
});
afterAll(() => w.close());

interface ApiCase {
  route: RouteInfo;
  url: string;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

function send(c: ApiCase): Promise<Answer> {
  let req = request(w.ctx.app)[c.route.method](c.url).set(c.headers ?? w.auth);
  if (c.body !== undefined) req = req.set('Content-Type', c.contentType ?? 'application/json').send(c.body);
  return req.then((res) => ({ status: res.status, body: res.body }));
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/vnd.api+json', 'application/json; charset=koi8-r'];

it('classifies every route, so each is fuzzed for what it reads', () => {
  const unknownParams = routes.flatMap((r) => paramsOf(r).filter((p) => !(p in w.ids)).map((p) => `${routeKey(r)} (:${p})`));
  const unclassified = routes.filter((r) => isWrite(r) && !bodyKindOf(r)).map(routeKey);
  expect({ unknownParams, unclassified }).toEqual({ unknownParams: [], unclassified: [] });
});

function bodyCases(): fc.Arbitrary<ApiCase> {
  const writes = routes.filter(isWrite);
  const withBodies = writes.filter((r) => bodyKindOf(r)?.kind !== 'none');
  const at = (r: RouteInfo) => urlOf(r, w.ids);
  const shaped = (r: RouteInfo): fc.Arbitrary<string> => {
    const kind = bodyKindOf(r)!;
    if (kind.kind === 'schema') return hostileBody(kind.schema).map(jsonText);
    // Not an object at all: no object schema accepts it, and a CSV route takes no JSON.
    if (kind.kind === 'object') return fc.oneof(fc.array(hostileJson, { maxLength: 3 }).map(jsonText), deepNesting.filter((d) => jsonText(d).startsWith('[')).map(jsonText));
    return hostileJson.map(jsonText).filter((t) => /^[[{]/.test(t));
  };
  const oversize = `{"pad":"${'x'.repeat(w.ctx.config.limits.apiBodyBytes)}"}`;
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...withBodies).chain((route) => shaped(route).map((body) => ({ route, url: at(route), body }))) },
    {
      weight: 3,
      arbitrary: fc.tuple(fc.constantFrom(...writes), malformedJson, fc.constantFrom(...JSON_TYPES)).map(([route, body, contentType]) => ({ route, url: at(route), body, contentType })),
    },
    { weight: 1, arbitrary: fc.constantFrom(...writes).map((route) => ({ route, url: at(route), body: oversize })) },
    // Whatever the route reads: nesting no walker survives, text no database column can hold.
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...writes), fc.oneof(deepNesting, unstorableText)).map(([route, body]) => ({ route, url: at(route), body: jsonText(body) })) },
  );
}

it('refuses hostile JSON bodies on every write route', async () => {
  await runFuzzSurface({ surface: 'api-bodies', ctx: w.ctx, cases: bodyCases(), send });
  await expectStillUp(w.ctx);
}, fuzzTimeout());

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const ISSUED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** The shape every cursor this API hands out has: base64url of ["<ISO time>", "<uuid>"]. */
function hasIssuedShape(cursor: string): boolean {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && ISSUED_AT.test(v[0]) && !Number.isNaN(Date.parse(v[0])) && typeof v[1] === 'string' && /^[0-9a-f-]{36}$/i.test(v[1]);
  } catch {
    return false;
  }
}

const uuid = '0b8e7c1e-3f5d-4a6b-9c2d-1e0f2a3b4c5d';
const badCursors: fc.Arbitrary<string> = fc
  .oneof(
    fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 80 }),
    fc.constantFrom('[]', '{}', 'null', '"x"', '[1]', '[null,null]', `["2020-01-01T00:00:00.000Z"]`, `["2020-01-01T00:00:00.000Z","not-a-uuid"]`, `["not a date","${uuid}"]`,
      `["-271821-04-20T00:00:00.000Z","${uuid}"]`, `["+275760-09-13T00:00:00.000Z","${uuid}"]`, `[8640000000000000,"${uuid}"]`, `[-8640000000000000,"${uuid}"]`,
      `["2020-01-01T00:00:00.000Z","${uuid}",1]`, `{"0":"2020-01-01T00:00:00.000Z","1":"${uuid}"}`).map(b64),
    hostileJson.map((j) => b64(jsonText(j))),
  )
  .filter((c) => !hasIssuedShape(c));

/** A path id that names nothing of this portal: other portals' ids, random uuids, junk. */
function hostileIds(): fc.Arbitrary<string> {
  const encoded = shortHostileString.map((s) => encodeURIComponent(wellFormed(s)));
  return fc.oneof(
    fc.constantFrom(...Object.values(w.otherIds)),
    fc.uuid(),
    encoded.filter((s) => s.length > 0 && s.length < 4_000),
    fc.constantFrom('..', '%2e%2e', '.', 'null', 'undefined', '0', '-1', '%', '%zz', '%E0%A4%A', '%00', '%ED%A0%80', '%FF', uuid.slice(0, 35), `${uuid}0`, ` ${uuid}`, `{${uuid}}`),
  );
}

function urlCases(): fc.Arbitrary<ApiCase> {
  const queried = routes.filter((r) => querySchemaOf(r));
  const withIds = routes.filter((r) => paramsOf(r).length);
  const junkBody = (r: RouteInfo) => (isWrite(r) ? hostileJson.map(jsonText).filter((t) => /^[[{]/.test(t)) : fc.constant(undefined));
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom(...queried).chain((route) => hostileQuery(querySchemaOf(route)!, badCursors).map((q) => ({ route, url: `${urlOf(route, w.ids)}?${q.query}` }))),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(...withIds).chain((route) =>
        fc.tuple(fc.constantFrom(...paramsOf(route)), hostileIds(), junkBody(route)).map(([param, id, body]) => ({ route, url: urlOf(route, w.ids, { [param]: id }), body })),
      ),
    },
  );
}

it('refuses hostile query strings and path ids on every route that reads them', async () => {
  await runFuzzSurface({ surface: 'api-query', ctx: w.ctx, cases: urlCases(), send });
  await expectStillUp(w.ctx);
}, fuzzTimeout());

const headerSafe = fc.string({ unit: 'binary-ascii', maxLength: 60 }).filter((s) => /^[\x20-\x7e]*$/.test(s));
const base64url43 = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 43, maxLength: 43 });

/** Credentials that must not open any route: junk, malformed, unknown or revoked keys, bad HubSpot signatures. */
function badCredentials(route: RouteInfo, url: string, body: string): fc.Arbitrary<Record<string, string>> {
  const method = route.method.toUpperCase();
  return fc.oneof(
    fc.constant({}),
    headerSafe.map((s) => ({ Authorization: `Bearer ${s}` })),
    headerSafe.map((s) => ({ Authorization: `Bearer aic_${s}` })),
    base64url43.map((s) => ({ Authorization: `Bearer aic_Fuzz0000_${s}` })),
    fc.constant({ Authorization: `Bearer ${w.revokedKey}` }),
    fc.constantFrom('Basic YWRtaW46YWRtaW4=', 'Token aic_x', `bearer${w.auth.Authorization!.slice(6)}x`, 'Bearer', '').map((a) => ({ Authorization: a })),
    fc.constant(hubspotSigned(method, url, body, { secret: 'not-the-client-secret' })),
    fc.constant(hubspotSigned(method, url, body, { ageMs: 10 * 60_000 })),
    fc.constant(hubspotSigned(method, url, `${body} `)),
    headerSafe.map((s) => ({ 'X-HubSpot-Signature-v3': s || 'x', 'X-HubSpot-Request-Timestamp': String(Date.now()) })),
    // v2 signatures are only for workflow actions, never for the API.
    fc.constant(hubspotSigned(method, url, body, { version: 'v2' })),
  );
}

function authCases(): fc.Arbitrary<ApiCase> {
  // Signed correctly, but naming a portal that is not installed, or none, or a malformed one.
  const signedPortal = (route: RouteInfo, base: string, body: string) =>
    fc.constantFrom('', 'portalId=999999999999', 'portalId=abc', 'portalId=-1', `portalId=${w.hubId}&portalId=${w.hubId}`, 'portalId=1e3').map((q) => {
      const url = q ? `${base}${base.includes('?') ? '&' : '?'}${q}` : base;
      return { route, url, headers: hubspotSigned(route.method.toUpperCase(), url, body) };
    });
  return fc.constantFrom(...routes).chain((route) => {
    const url = urlOf(route, w.ids);
    const body = isWrite(route) ? '{}' : '';
    const withBody = (c: Omit<ApiCase, 'body'>): ApiCase => (isWrite(route) ? { ...c, body } : c);
    return fc.oneof(
      { weight: 3, arbitrary: badCredentials(route, url, body).map((headers) => withBody({ route, url, headers })) },
      { weight: 1, arbitrary: signedPortal(route, url, body).map(withBody) },
    );
  });
}

it('refuses bad credentials on every route', async () => {
  await runFuzzSurface({ surface: 'api-auth', ctx: w.ctx, cases: authCases(), send });
  await expectStillUp(w.ctx);
}, fuzzTimeout());

// The control, last: a card's correctly signed request for this portal does get in, so the
// signed cases above were refused for what they named, not for how they were signed.
describe('control', () => {
  it('accepts a correctly signed card request for the installed portal', async () => {
    const url = `/api/v1/portal?portalId=${w.hubId}&userId=7`;
    const res = await request(w.ctx.app).get(url).set(hubspotSigned('GET', url, ''));
    expect(res.status).toBe(200);
  });
});
