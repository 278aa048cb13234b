import request from 'supertest';
import { HUBSPOT_OPTIONAL_SCOPES, HUBSPOT_SCOPES } from '../../backend/src/hubspot/scopes';
import { createOAuthStateSigner, deriveStateKey } from '../../backend/src/hubspot/oauth/oauth-state';
import { createTestContext, type TestContext } from '../support/test-app';
import { startHubSpotHarness, TEST_CLIENT_ID, type HubSpotHarness } from './hubspot-test-support';

// GET /oauth/install and the refusals of GET /oauth/callback: every bad state is a 400 with
// OAUTH_STATE_INVALID, no token request reaches HubSpot, and no portal is written.

describe('GET /oauth/install', () => {
  let h: HubSpotHarness;
  beforeAll(async () => {
    h = await startHubSpotHarness();
  });
  afterAll(() => h.close());

  it("redirects to HubSpot's authorize page with our client id, callback, scopes and a verifiable state", async () => {
    const res = await request(h.ctx.app).get('/oauth/install').expect(302);
    const location = new URL(res.headers.location!);
    expect(`${location.origin}${location.pathname}`).toBe(h.ctx.config.hubspot.authorizeUrl);
    expect(location.searchParams.get('client_id')).toBe(TEST_CLIENT_ID);
    expect(location.searchParams.get('redirect_uri')).toBe('https://calls.example.test/oauth/callback');
    expect(location.searchParams.get('scope')!.split(' ')).toEqual([...HUBSPOT_SCOPES]);
    expect(location.searchParams.get('optional_scope')!.split(' ')).toEqual([...HUBSPOT_OPTIONAL_SCOPES]);
    expect(res.headers.location).toContain('scope=oauth%20crm.objects.contacts.read');
    const state = location.searchParams.get('state')!;
    const signer = createOAuthStateSigner(deriveStateKey(h.ctx.config.encryptionKey!), 10 * 60_000);
    expect(signer.verify(state)).toMatchObject({ ok: true });
  });

  describe('callback refusals', () => {
    const signer = () => createOAuthStateSigner(deriveStateKey(h.ctx.config.encryptionKey!), 10 * 60_000);
    const callback = (query: string) => request(h.ctx.app).get(`/oauth/callback?${query}`);

    async function expectRefused(query: string, code = 'OAUTH_STATE_INVALID') {
      const tokenCallsBefore = h.fake.state.count('POST', '/oauth/v1/token');
      const res = await callback(query).expect(400);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message).toMatch(/\w+ \w+/);
      expect(await h.ctx.deps.db.portal.count()).toBe(0);
      expect(h.fake.state.count('POST', '/oauth/v1/token')).toBe(tokenCallsBefore);
    }

    it('refuses a missing state', () => expectRefused('code=abc'));
    it('refuses a garbage state', () => expectRefused('code=abc&state=not-a-state'));
    it('refuses a state signed with another key', async () => {
      const other = createOAuthStateSigner(deriveStateKey(Buffer.alloc(32, 7)), 10 * 60_000);
      await expectRefused(`code=abc&state=${encodeURIComponent(other.issue())}`);
    });
    it('refuses a tampered state', async () => {
      const [payload, mac] = signer().issue().split('.') as [string, string];
      const forged = Buffer.from(JSON.stringify({ v: 1, n: 'BBBBBBBBBBBBBBBBBBBBBB', iat: Date.now() })).toString('base64url');
      await expectRefused(`code=abc&state=${forged}.${mac}`);
      await expectRefused(`code=abc&state=${payload}.${mac.slice(0, -2)}AA`);
    });
    it('refuses an expired state', async () => {
      const old = signer().issue(Date.now() - 11 * 60_000);
      await expectRefused(`code=abc&state=${encodeURIComponent(old)}`);
    });
    it('refuses a repeated state parameter', async () => {
      const s = encodeURIComponent(signer().issue());
      await expectRefused(`code=abc&state=${s}&state=${s}`);
    });
    it('passes on the user declining at HubSpot, with a code of its own', async () => {
      const s = encodeURIComponent(signer().issue());
      await expectRefused(`error=access_denied&error_description=declined&state=${s}`, 'OAUTH_ACCESS_DENIED');
    });
    it('refuses a valid state without a code', async () => {
      await expectRefused(`state=${encodeURIComponent(signer().issue())}`, 'OAUTH_CODE_MISSING');
    });
  });
});

describe('OAuth install without PUBLIC_BASE_URL', () => {
  let h: HubSpotHarness;
  beforeAll(async () => {
    h = await startHubSpotHarness({ PUBLIC_BASE_URL: '' });
  });
  afterAll(() => h.close());

  it("uses the request's own host for the callback URL", async () => {
    const res = await request(h.ctx.app).get('/oauth/install').set('Host', 'calls.local:3000').expect(302);
    expect(new URL(res.headers.location!).searchParams.get('redirect_uri')).toBe('http://calls.local:3000/oauth/callback');
  });
});

describe('OAuth install without HubSpot credentials', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ HUBSPOT_CLIENT_SECRET: '' });
  });
  afterAll(() => ctx.close());

  it('answers 503 HUBSPOT_OAUTH_UNCONFIGURED on both routes and writes nothing', async () => {
    for (const path of ['/oauth/install', '/oauth/callback?code=abc&state=x.y']) {
      const res = await request(ctx.app).get(path).expect(503);
      expect(res.body.error).toMatchObject({ code: 'HUBSPOT_OAUTH_UNCONFIGURED' });
      expect(res.body.error.message).toContain('HUBSPOT_CLIENT_SECRET');
    }
    expect(await ctx.deps.db.portal.count()).toBe(0);
  });
});
