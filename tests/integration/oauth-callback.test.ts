import request from 'supertest';
import { Client as PgClient } from 'pg';
import { startHubSpotHarness, captureLogs, servicesLikeAnotherProcess, type HubSpotHarness } from './hubspot-test-support';
import { HUBSPOT_SCOPES } from '../../backend/src/hubspot/scopes';
import { AI_CONTACT_PROPERTIES, AI_PROPERTY_GROUP } from '../../backend/src/domain/outbox/writeback-port';
import { writebackOf } from '../../fakes/hubspot/routes/writeback.routes';

// The whole install against the HubSpot fake: our /oauth/install → the fake's authorize page →
// our /oauth/callback → the fake's token and token-info endpoints (through @hubspot/api-client),
// then our contact property group and properties created in the new portal.

/** Follows the install like a browser and returns the callback path+query HubSpot sent us to. */
async function authorizeAtFake(h: HubSpotHarness, hubId: number, grantScopes?: string[]): Promise<string> {
  const install = await request(h.ctx.app).get('/oauth/install').expect(302);
  const authorize = new URL(install.headers.location!);
  authorize.searchParams.set('hub_id', String(hubId)); // the account the user picks at HubSpot
  if (grantScopes) authorize.searchParams.set('scope', grantScopes.join(' ')); // what HubSpot grants
  const res = await fetch(authorize, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const back = new URL(res.headers.get('location')!);
  expect(back.origin).toBe('https://calls.example.test');
  return `${back.pathname}${back.search}`;
}

/** Every row of every table in the database, as text. */
async function dumpDatabase(url: string): Promise<string> {
  const pg = new PgClient({ connectionString: url });
  await pg.connect();
  try {
    const tables = await pg.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
    expect(tables.rows.map((t) => t.table_name)).toContain('Portal');
    const parts: string[] = [];
    for (const { table_name } of tables.rows) {
      const rows = await pg.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`);
      parts.push(...rows.rows.map((r) => r.row));
    }
    return parts.join('\n');
  } finally {
    await pg.end();
  }
}

describe('OAuth callback end to end against the HubSpot fake', () => {
  let h: HubSpotHarness;
  beforeAll(async () => {
    h = await startHubSpotHarness();
  });
  afterAll(() => h.close());

  it('creates the portal with sealed tokens that appear in no table and no log line', async () => {
    const logs = captureLogs();
    let callbackPath: string;
    try {
      callbackPath = await authorizeAtFake(h, 777001);
      const res = await request(h.ctx.app).get(callbackPath).expect(200);
      expect(res.type).toBe('text/html');
      expect(res.text).toContain('777001');
    } finally {
      await logs.stop();
    }

    const portal = await h.ctx.deps.db.portal.findUniqueOrThrow({ where: { hubId: 777001n } });
    const [accessToken] = [...h.fake.state.accessTokens.entries()].filter(([, t]) => t.hubId === 777001).map(([token]) => token);
    const [refreshToken] = [...h.fake.state.refreshTokens.entries()].filter(([, t]) => t.hubId === 777001).map(([token]) => token);
    expect(accessToken).toBeDefined();
    expect(refreshToken).toBeDefined();
    // Sealed, and what is sealed is exactly what HubSpot issued.
    expect(h.ctx.deps.cipher.decrypt(portal.accessTokenEnc!)).toBe(accessToken);
    expect(h.ctx.deps.cipher.decrypt(portal.refreshTokenEnc!)).toBe(refreshToken);
    expect(portal.scopes).toEqual([...HUBSPOT_SCOPES]);
    expect(portal.installedAt).not.toBeNull();
    const ttl = portal.tokenExpiresAt!.getTime() - Date.now();
    expect(ttl).toBeGreaterThan(29 * 60_000);
    expect(ttl).toBeLessThanOrEqual(30 * 60_000);

    const dump = await dumpDatabase(h.ctx.database.url);
    expect(dump).toContain(portal.id);
    expect(dump).not.toContain(accessToken!);
    expect(dump).not.toContain(refreshToken!);

    const logText = logs.lines.join('\n');
    expect(logText).toContain('hubspot app installed');
    expect(logText).not.toContain(accessToken!);
    expect(logText).not.toContain(refreshToken!);
    expect(logText).not.toContain(new URL(`https://x${callbackPath}`).searchParams.get('code')!);

    // The exchange went through the SDK with the registered redirect URL and our credentials.
    const exchange = h.fake.state.requests.find((r) => r.path === '/oauth/v1/token')!;
    expect(exchange.status).toBe(200);
    expect(exchange.body).toMatchObject({ grant_type: 'authorization_code', redirect_uri: 'https://calls.example.test/oauth/callback', client_id: 'test-client-id' });
    expect(h.fake.state.count('GET', /^\/oauth\/v1\/access-tokens\//, 200)).toBe(1);
  });

  /** Our group and the properties in it, as the fake holds them for one account. */
  const propertiesAt = (hubId: number) => {
    const w = writebackOf(h.fake.state, hubId);
    const props = [...(w.properties.get('contacts')?.values() ?? [])];
    return { groups: [...(w.groups.get('contacts') ?? [])], properties: props.map((p) => p.name).sort(), groupNames: [...new Set(props.map((p) => p.groupName))] };
  };
  const ours = { groups: [AI_PROPERTY_GROUP], properties: [...AI_CONTACT_PROPERTIES].sort(), groupNames: [AI_PROPERTY_GROUP] };

  it('creates our contact property group and properties in the portal right after the install', async () => {
    expect(propertiesAt(777005).groups).toEqual([]);
    await request(h.ctx.app).get(await authorizeAtFake(h, 777005)).expect(200);
    expect(propertiesAt(777005)).toEqual(ours);
    // A reinstall finds them there (409, taken as done) and still succeeds.
    await request(h.ctx.app).get(await authorizeAtFake(h, 777005)).expect(200);
    expect(propertiesAt(777005)).toEqual(ours);
  });

  it('still installs when the properties cannot be created, logs a warning with the portal, and the write-back creates them later', async () => {
    // HubSpot fails the group creation once (a 500): the install stands.
    h.fake.state.failNext({ status: 500, method: 'POST', path: /^\/crm\/v3\/properties\/contacts\/groups$/ });
    const logs = captureLogs();
    try {
      const res = await request(h.ctx.app).get(await authorizeAtFake(h, 777006)).expect(200);
      expect(res.text).toContain('installed');
    } finally {
      await logs.stop();
    }
    const portal = await h.ctx.deps.db.portal.findUniqueOrThrow({ where: { hubId: 777006n } });
    expect(portal.accessTokenEnc).not.toBeNull();
    expect(propertiesAt(777006).groups).toEqual([]);
    const warning = logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.message === 'hubspot contact properties not created at install; the first write-back will create them');
    expect(warning).toMatchObject({ level: 'warn', portalId: portal.id, hubId: 777006 });

    // The lazy path (what the outbox sender calls before a contact update, in the worker) creates them.
    const worker = servicesLikeAnotherProcess(h.ctx);
    try {
      await worker.services.writeback.ensureContactProperties(portal.id);
    } finally {
      worker.redis.disconnect();
    }
    expect(propertiesAt(777006)).toEqual(ours);
  });

  it('still installs when HubSpot did not grant the schema scope the properties need', async () => {
    const granted = HUBSPOT_SCOPES.filter((s) => s !== 'crm.schemas.contacts.write');
    const logs = captureLogs();
    let res: request.Response;
    try {
      res = await request(h.ctx.app).get(await authorizeAtFake(h, 777007, granted)).expect(200);
    } finally {
      await logs.stop();
    }
    expect(res.text).toContain('crm.schemas.contacts.write');
    expect(await h.ctx.deps.db.portal.count({ where: { hubId: 777007n } })).toBe(1);
    expect(propertiesAt(777007).groups).toEqual([]);
    expect(h.fake.state.count('POST', '/crm/v3/properties/contacts/groups', 403)).toBeGreaterThanOrEqual(1);
    expect(logs.lines.join('\n')).toContain('hubspot contact properties not created at install');
  });

  it('refuses a replayed callback URL and leaves the stored tokens alone', async () => {
    const path = await authorizeAtFake(h, 777002);
    await request(h.ctx.app).get(path).expect(200);
    const before = await h.ctx.deps.db.portal.findUniqueOrThrow({ where: { hubId: 777002n } });
    const res = await request(h.ctx.app).get(path).expect(400);
    expect(res.body.error.code).toBe('OAUTH_STATE_INVALID');
    const after = await h.ctx.deps.db.portal.findUniqueOrThrow({ where: { hubId: 777002n } });
    expect(after.accessTokenEnc).toBe(before.accessTokenEnc);
    expect(after.updatedAt).toEqual(before.updatedAt);
  });

  it('updates the same portal on a reinstall', async () => {
    await request(h.ctx.app).get(await authorizeAtFake(h, 777003)).expect(200);
    const first = await h.ctx.deps.db.portal.findUniqueOrThrow({ where: { hubId: 777003n } });
    const res = await request(h.ctx.app).get(await authorizeAtFake(h, 777003)).expect(200);
    expect(res.text).toContain('reconnected');
    const rows = await h.ctx.deps.db.portal.findMany({ where: { hubId: 777003n } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(first.id);
    expect(h.ctx.deps.cipher.decrypt(rows[0]!.accessTokenEnc!)).not.toBe(h.ctx.deps.cipher.decrypt(first.accessTokenEnc!));
  });

  it('answers a code HubSpot refuses with 400 OAUTH_CODE_INVALID and writes nothing', async () => {
    const path = await authorizeAtFake(h, 777004);
    const forged = path.replace(/code=[^&]+/, 'code=code-forged');
    const res = await request(h.ctx.app).get(forged).expect(400);
    expect(res.body.error.code).toBe('OAUTH_CODE_INVALID');
    expect(await h.ctx.deps.db.portal.count({ where: { hubId: 777004n } })).toBe(0);
  });
});
