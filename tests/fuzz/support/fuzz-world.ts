import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createTestContext, TEST_CLIENT_SECRET, type TestContext } from '../../support/test-app';
import { createPortalWithKey, seedPortalResources } from '../../support/factories';
import { createApiKey, revokeApiKey } from '../../../backend/src/domain/portals/api-key.service';
import { signV2, signV3 } from '../../../backend/src/hubspot/signature';

// The world every fuzz suite runs in: the real app over a fresh database, a portal with an API
// key and one row of each resource (so routes with ids get past the lookup to their input
// checks), and a second portal whose ids are hostile ids for the first.

export const FUZZ_VAPI_SECRET = 'fuzz-vapi-webhook-secret';
export const FUZZ_RETELL_KEY = 'fuzz-retell-api-key';
const PUBLIC_BASE_URL = 'https://calls.example.test';

export interface FuzzWorld {
  ctx: TestContext;
  dataDir: string;
  auth: Record<string, string>;
  hubId: string;
  ids: Record<string, string>;
  otherIds: Record<string, string>;
  revokedKey: string;
  close(): Promise<void>;
}

export async function createFuzzWorld(env: Record<string, string> = {}): Promise<FuzzWorld> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hac-fuzz-'));
  const ctx = await createTestContext({ DATA_DIR: dataDir, VAPI_WEBHOOK_SECRET: FUZZ_VAPI_SECRET, RETELL_API_KEY: FUZZ_RETELL_KEY, ...env });
  const db = ctx.deps.db;
  const mine = await createPortalWithKey(db, { name: 'Fuzz portal' });
  const other = await createPortalWithKey(db, { name: 'Other portal' });
  const revoked = await createApiKey(db, { portalId: mine.portal.id, name: 'revoked' });
  await revokeApiKey(db, { keyId: revoked.id });
  const world: FuzzWorld = {
    ctx,
    dataDir,
    auth: mine.auth,
    hubId: String(mine.portal.hubId),
    ids: await seedPortalResources(db, mine.portal.id, 'fuzz'),
    otherIds: await seedPortalResources(db, other.portal.id, 'other'),
    revokedKey: revoked.apiKey,
    async close() {
      await ctx.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  // One authenticated request first, so the key's last-used time is settled before counting.
  await request(ctx.app).get('/api/v1/portal').set(mine.auth);
  return world;
}

/** Headers of a request signed the way HubSpot signs it (v3 by default), over the exact body. */
export function hubspotSigned(method: string, pathAndQuery: string, body: string, opts: { version?: 'v2' | 'v3'; secret?: string; ageMs?: number } = {}): Record<string, string> {
  const uri = PUBLIC_BASE_URL + pathAndQuery;
  const secret = opts.secret ?? TEST_CLIENT_SECRET;
  if (opts.version === 'v2') return { 'X-HubSpot-Signature': signV2(secret, method, uri, body), 'X-HubSpot-Signature-Version': 'v2' };
  const ts = String(Date.now() - (opts.ageMs ?? 0));
  return { 'X-HubSpot-Signature-v3': signV3(secret, method, uri, body, ts), 'X-HubSpot-Request-Timestamp': ts };
}
