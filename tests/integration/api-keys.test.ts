import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';
import { revokeApiKey } from '../../backend/src/domain/portals/api-key.service';
import { sha256Hex } from '../../backend/src/platform/crypto';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

describe('portal API keys', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('lets a key in as its own portal and stores only a hash', async () => {
    const { portal, apiKey, auth } = await createPortalWithKey(ctx.deps.db, { name: 'Acme' });
    const r = await request(ctx.app).get('/api/v1/portal').set(auth).expect(200);
    expect(r.body).toMatchObject({ id: portal.id, name: 'Acme', hubId: portal.hubId.toString() });
    const rows = await ctx.deps.db.apiKey.findMany({ where: { portalId: portal.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.keyHash).toBe(sha256Hex(apiKey));
    expect(JSON.stringify(rows)).not.toContain(apiKey.split('_')[2]);
  });

  it('refuses missing, malformed, unknown and revoked keys with 401 and a code', async () => {
    const { auth, keyId } = await createPortalWithKey(ctx.deps.db);
    const codes = async (headers: Record<string, string>) => (await request(ctx.app).get('/api/v1/portal').set(headers).expect(401)).body.error.code;
    expect(await codes({})).toBe('UNAUTHENTICATED');
    expect(await codes({ Authorization: 'Bearer aic_short' })).toBe('API_KEY_MALFORMED');
    expect(await codes({ Authorization: `Bearer aic_AAAAAAAA_${'x'.repeat(43)}` })).toBe('API_KEY_UNKNOWN');
    await revokeApiKey(ctx.deps.db, { keyId });
    expect(await codes(auth)).toBe('API_KEY_REVOKED');
  });

  it('admin CLI creates a portal and a key, and revokes it, printing JSON', async () => {
    const env = { ...process.env, DATABASE_URL: ctx.database.url, REDIS_URL: ctx.config.redisUrl, LOG_LEVEL: 'error' };
    const admin = (...args: string[]) => run(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'backend/src/cli/admin.ts', ...args], { cwd: ROOT, env });
    const hubId = String(900000 + Math.floor(Math.random() * 99999));
    const created = JSON.parse((await admin('portal:create', '--hub-id', hubId, '--name', 'Self Hosted')).stdout);
    expect(created).toMatchObject({ hubId, name: 'Self Hosted' });
    const key = JSON.parse((await admin('apikey:create', '--portal', created.portalId)).stdout);
    expect(key.portalId).toBe(created.portalId);
    await request(ctx.app).get('/api/v1/portal').set({ Authorization: `Bearer ${key.apiKey}` }).expect(200);
    const revoked = JSON.parse((await admin('apikey:revoke', '--key', key.apiKey)).stdout);
    expect(revoked.keyId).toBe(key.keyId);
    await request(ctx.app).get('/api/v1/portal').set({ Authorization: `Bearer ${key.apiKey}` }).expect(401);

    const dup = await admin('portal:create', '--hub-id', hubId, '--name', 'Again').catch((e) => e);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);
    const usage = await admin('portal:create', '--name', 'No hub').catch((e) => e);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/needs --hub-id/);
  }, 240_000);
});
