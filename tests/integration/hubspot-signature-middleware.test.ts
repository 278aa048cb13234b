import request from 'supertest';
import { createTestContext, TEST_CLIENT_SECRET, type TestContext } from '../support/test-app';
import { signV2, signV3 } from '../../backend/src/hubspot/signature';

// Everything under /hubspot is verified against the raw body and the public URL before any
// handler runs. A request that passes the check reaches routing (whatever answers there);
// one that fails gets 401 with a HUBSPOT_SIGNATURE_* code.

const PATH = '/hubspot/workflow-actions/enroll';
const PUBLIC_URL = `https://calls.example.test${PATH}`;
const BODY = JSON.stringify({ callbackId: 'ap-1-2-3', origin: { portalId: 62515 }, inputFields: { campaignId: 'c1' } });

describe('HubSpot signature middleware on /hubspot', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  const post = (headers: Record<string, string>, body = BODY) =>
    request(ctx.app).post(PATH).set('Content-Type', 'application/json').set(headers).send(body);
  const v3Headers = (o: { secret?: string; ts?: number; body?: string; url?: string } = {}) => {
    const ts = String(o.ts ?? Date.now());
    return {
      'X-HubSpot-Signature-v3': signV3(o.secret ?? TEST_CLIENT_SECRET, 'POST', o.url ?? PUBLIC_URL, o.body ?? BODY, ts),
      'X-HubSpot-Request-Timestamp': ts,
    };
  };
  const signatureCode = (res: request.Response) => (res.status === 401 ? (res.body.error?.code as string) : undefined);

  it('lets a valid v3 request through to routing', async () => {
    const res = await post(v3Headers());
    expect(res.status).not.toBe(401);
    expect(String(res.body?.error?.code ?? '')).not.toMatch(/^HUBSPOT_SIGNATURE/);
  });

  it('lets a valid v2 request (custom workflow actions) through', async () => {
    const res = await post({ 'X-HubSpot-Signature': signV2(TEST_CLIENT_SECRET, 'POST', PUBLIC_URL, BODY), 'X-HubSpot-Signature-Version': 'v2' });
    expect(res.status).not.toBe(401);
  });

  it('refuses unsigned, tampered, wrongly keyed, stale and mis-addressed requests with 401', async () => {
    expect(signatureCode(await post({}))).toBe('HUBSPOT_SIGNATURE_MISSING');
    expect(signatureCode(await post(v3Headers(), BODY.replace('c1', 'c2')))).toBe('HUBSPOT_SIGNATURE_MISMATCH');
    expect(signatureCode(await post(v3Headers({ secret: 'someone-elses-secret' })))).toBe('HUBSPOT_SIGNATURE_MISMATCH');
    expect(signatureCode(await post(v3Headers({ ts: Date.now() - 6 * 60_000 })))).toBe('HUBSPOT_SIGNATURE_STALE');
    expect(signatureCode(await post(v3Headers({ url: `http://127.0.0.1${PATH}` })))).toBe('HUBSPOT_SIGNATURE_MISMATCH');
    const v2Tampered = { 'X-HubSpot-Signature': signV2(TEST_CLIENT_SECRET, 'POST', PUBLIC_URL, BODY), 'X-HubSpot-Signature-Version': 'v2' };
    expect(signatureCode(await post(v2Tampered, `${BODY} `))).toBe('HUBSPOT_SIGNATURE_MISMATCH');
    const timestampOnly = { 'X-HubSpot-Request-Timestamp': String(Date.now()) };
    expect(signatureCode(await post(timestampOnly))).toBe('HUBSPOT_SIGNATURE_MISSING');
  });

  it('guards GET routes with query strings too, and every 401 says why in a sentence', async () => {
    const url = `https://calls.example.test/hubspot/cards/contact?portalId=62515&userEmail=a%40b.com`;
    const ts = String(Date.now());
    const ok = await request(ctx.app)
      .get('/hubspot/cards/contact?portalId=62515&userEmail=a%40b.com')
      .set({ 'X-HubSpot-Signature-v3': signV3(TEST_CLIENT_SECRET, 'GET', url, '', ts), 'X-HubSpot-Request-Timestamp': ts });
    expect(ok.status).not.toBe(401);
    const bad = await request(ctx.app).get('/hubspot/cards/contact?portalId=99999').set({
      'X-HubSpot-Signature-v3': signV3(TEST_CLIENT_SECRET, 'GET', url, '', ts),
      'X-HubSpot-Request-Timestamp': ts,
    });
    expect(bad.status).toBe(401);
    expect(bad.body.error.message).toMatch(/signature/i);
  });
});
