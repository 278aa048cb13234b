import request from 'supertest';
import { createImportHarness, type ImportHarness } from './import-test-support';
import { createPortalWithKey } from '../support/factories';
import { TEST_CLIENT_SECRET } from '../support/test-app';
import { signV3 } from '../../backend/src/hubspot/signature';
import { createUploadTokenSigner, uploadTokenKey, UPLOAD_TOKEN_TTL_MS } from '../../backend/src/domain/uploads/upload-token';

// The CSV upload page behind HubSpot's iframe modal: a signed card request gets a 10-minute token;
// the page and its import endpoints accept that token and nothing else, for that portal only.
// (The browser side is tested in tests/e2e/upload-page-chromium.test.ts.)

const CSV = 'phone,first name,email\n+12025550101,Ada,ada@example.test\n+12025550102,Grace,\nnot a phone,Bad,\n+12025550101,Ada again,\n';

describe('CSV upload page', () => {
  let h: ImportHarness;
  beforeAll(async () => {
    h = await createImportHarness();
  });
  afterAll(() => h.close());

  async function tokenFor(auth: Record<string, string>) {
    const res = await request(h.ctx.app).post('/api/v1/upload-tokens').set(auth).send({}).expect(201);
    return { url: res.body.url as string, token: new URL(res.body.url).searchParams.get('token')!, expiresAt: res.body.expiresAt as string };
  }
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('hands a signed HubSpot card request a short-lived link on the public URL', async () => {
    const portal = await h.ctx.deps.db.portal.findUniqueOrThrow({ where: { id: h.portalId } });
    const path = `/api/v1/upload-tokens?portalId=${portal.hubId}&userId=7`;
    const body = '{}';
    const ts = String(Date.now());
    const res = await request(h.ctx.app)
      .post(path)
      .set('Content-Type', 'application/json')
      .set({ 'X-HubSpot-Signature-v3': signV3(TEST_CLIENT_SECRET, 'POST', `https://calls.example.test${path}`, body, ts), 'X-HubSpot-Request-Timestamp': ts })
      .send(body)
      .expect(201);
    expect(res.body.url).toMatch(/^https:\/\/calls\.example\.test\/upload\?token=upl_/);
    const ttl = Date.parse(res.body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(UPLOAD_TOKEN_TTL_MS - 10_000);
    expect(ttl).toBeLessThanOrEqual(UPLOAD_TOKEN_TTL_MS);
    expect(await request(h.ctx.app).post('/api/v1/upload-tokens').send({})).toMatchObject({ status: 401 });
  });

  it('serves the page for a valid token, framable by HubSpot only, running only its own script', async () => {
    const { token } = await tokenFor(h.auth);
    const res = await request(h.ctx.app).get(`/upload?token=${encodeURIComponent(token)}`).expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['content-security-policy']).toContain('frame-ancestors https://*.hubspot.com');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.text).toContain(`data-token="${token}"`);
    expect(res.text).toContain('<script src="/upload/upload-page.js"></script>');
    expect(res.text).not.toMatch(/<script>(?!<\/script>)/);
    const js = await request(h.ctx.app).get('/upload/upload-page.js').expect(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.text).toContain('/upload/imports');
  });

  it('refuses a missing, tampered or expired token with a sentence, page and API alike', async () => {
    const { token } = await tokenFor(h.auth);
    const tampered = token.slice(0, -3) + (token.endsWith('AAA') ? 'BBB' : 'AAA');
    const signer = createUploadTokenSigner(uploadTokenKey(h.ctx.config.encryptionKey));
    const expired = signer.issue(h.portalId, Date.now() - UPLOAD_TOKEN_TTL_MS - 1000).token;

    const page = await request(h.ctx.app).get('/upload').expect(401);
    expect(page.text).toContain('not valid');
    expect((await request(h.ctx.app).get(`/upload?token=${encodeURIComponent(expired)}`).expect(401)).text).toContain('expired');
    expect((await request(h.ctx.app).get(`/upload?token=${encodeURIComponent(tampered)}`).expect(401)).text).toContain('not valid');

    const post = (auth: Record<string, string>) => request(h.ctx.app).post('/upload/imports').set(auth).set('Content-Type', 'text/csv').send(CSV);
    expect((await post({})).body.error.code).toBe('UPLOAD_TOKEN_MISSING');
    expect((await post(bearer(tampered))).body.error.code).toBe('UPLOAD_TOKEN_SIGNATURE');
    const late = await post(bearer(expired));
    expect(late.status).toBe(401);
    expect(late.body.error).toMatchObject({ code: 'UPLOAD_TOKEN_EXPIRED', message: expect.stringMatching(/expired/) });
    // A portal API key is not an upload token.
    expect((await post(h.auth)).body.error.code).toBe('UPLOAD_TOKEN_MALFORMED');
    expect(await h.ctx.deps.db.import.count({ where: { portalId: h.portalId } })).toBe(0);
  });

  it('imports the file for the token’s portal and reports counts and rejected rows', async () => {
    const { token } = await tokenFor(h.auth);
    const res = await request(h.ctx.app).post('/upload/imports?mode=update&fileName=people.csv').set(bearer(token)).set('Content-Type', 'text/csv').send(CSV);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ fileName: 'people.csv', status: 'queued' });
    let view = res.body;
    for (let i = 0; i < 200 && view.status !== 'completed' && view.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      view = (await request(h.ctx.app).get(`/upload/imports/${res.body.id}`).set(bearer(token)).expect(200)).body;
    }
    expect(view.status).toBe('completed');
    expect(view.counts).toMatchObject({ rowsRead: 4, created: 2, duplicate: 1, rejected: 1 });
    expect(await h.ctx.deps.db.contact.count({ where: { portalId: h.portalId } })).toBe(2);
    const rejected = await request(h.ctx.app).get(`/upload/imports/${res.body.id}/rejected`).set(bearer(token)).expect(200);
    expect(rejected.body.total).toBe(1);
    expect(rejected.body.rows).toEqual([{ rowNumber: 4, reason: expect.stringMatching(/phone/i) }]);

    // Another portal's token cannot see this import.
    const other = await createPortalWithKey(h.ctx.deps.db);
    const { token: otherToken } = await tokenFor(other.auth);
    expect((await request(h.ctx.app).get(`/upload/imports/${res.body.id}`).set(bearer(otherToken))).status).toBe(404);
    expect((await request(h.ctx.app).get(`/upload/imports/${res.body.id}/rejected`).set(bearer(otherToken))).status).toBe(404);
  });

  it('refuses a file that is not CSV and writes nothing', async () => {
    const { token } = await tokenFor(h.auth);
    const before = await h.ctx.deps.db.import.count();
    const res = await request(h.ctx.app).post('/upload/imports').set(bearer(token)).set('Content-Type', 'application/pdf').send(Buffer.from('%PDF-1.4'));
    expect(res.status).toBe(415);
    expect(res.body.error.message).toMatch(/text\/csv/);
    expect(await h.ctx.deps.db.import.count()).toBe(before);
  });
});

describe('upload tokens', () => {
  const key = uploadTokenKey(Buffer.alloc(32, 7));
  const signer = createUploadTokenSigner(key, 60_000);
  const portalId = '11111111-1111-4111-8111-111111111111';

  it('round-trips the portal until it expires, and only under the same key', () => {
    const { token, expiresAt } = signer.issue(portalId, 1_000_000);
    expect(expiresAt).toBe(1_060_000);
    expect(signer.verify(token, 1_059_999)).toEqual({ ok: true, portalId, expiresAt });
    expect(signer.verify(token, 1_060_000)).toEqual({ ok: false, reason: 'expired' });
    expect(createUploadTokenSigner(uploadTokenKey(Buffer.alloc(32, 8))).verify(token, 1_000_001)).toEqual({ ok: false, reason: 'signature' });
    // The key is derived for this purpose: not the encryption key itself.
    expect(key.equals(Buffer.alloc(32, 7))).toBe(false);
  });

  it('refuses anything that is not its own format', () => {
    for (const bad of ['', 'upl_', 'upl_a', 'upl_a.b.c', 'aic_abc.def', `upl_${Buffer.from('{}').toString('base64url')}.x`]) {
      expect(signer.verify(bad || undefined).ok).toBe(false);
    }
  });
});
