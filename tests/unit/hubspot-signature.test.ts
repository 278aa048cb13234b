import fc from 'fast-check';
import { MAX_SIGNATURE_AGE_MS, decodeSignedUri, signV2, signV3, verifyHubSpotSignature } from '../../backend/src/hubspot/signature';

// Vectors from research/hubspot.md §2.4: HubSpot's documented secret and v2 examples, and v3
// values computed with @hubspot/api-client's Signature helper (HubSpot publishes no fixed v3 one).
const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const URL_ = 'https://www.example.com/webhook_uri';
const BODY = '{"example_field":"example_value"}';
const TS = '1700000000000';
const NOW = Number(TS) + 1000;

const v3 = (sig: string | undefined, over: Partial<{ method: string; uri: string; body: string; ts: string; secret: string; now: number }> = {}) =>
  verifyHubSpotSignature(
    over.secret ?? SECRET,
    { method: over.method ?? 'POST', uri: over.uri ?? URL_, body: over.body ?? BODY, headers: { signatureV3: sig, timestamp: over.ts ?? TS } },
    { now: over.now ?? NOW },
  );

const v2 = (sig: string | undefined, over: Partial<{ method: string; body: string; allowV2: boolean; secret: string }> = {}) =>
  verifyHubSpotSignature(
    over.secret ?? SECRET,
    { method: over.method ?? 'POST', uri: URL_, body: over.body ?? BODY, headers: { signature: sig, signatureVersion: 'v2' } },
    { now: NOW, allowV2: over.allowV2 ?? true },
  );

describe('HubSpot signature v3', () => {
  const VECTOR = 'rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=';

  it('computes the research vector and accepts it', () => {
    expect(signV3(SECRET, 'POST', URL_, BODY, TS)).toBe(VECTOR);
    expect(v3(VECTOR)).toEqual({ ok: true, version: 'v3' });
  });

  it('accepts the GET vector whether the URL arrives with %40 or decoded', () => {
    const raw = 'https://api.example-calls.com/api/contacts/614/calls?portalId=1&userEmail=a%40b.com';
    const sig = '83Q8AycQwXg8dbt7XY/jXt6aQfcxTWbW43BHsulvfiw=';
    expect(signV3(SECRET, 'GET', decodeSignedUri(raw), '', TS)).toBe(sig);
    expect(v3(sig, { method: 'GET', uri: raw, body: '' })).toEqual({ ok: true, version: 'v3' });
  });

  it('rejects a tampered body, a wrong secret, another URL or method', () => {
    expect(v3(VECTOR, { body: '{"example_field":"example_valuf"}' })).toEqual({ ok: false, reason: 'mismatch' });
    expect(v3(VECTOR, { secret: 'zzzzzzzz-yyyy-yyyy-yyyy-yyyyyyyyyyyy' })).toEqual({ ok: false, reason: 'mismatch' });
    expect(v3(VECTOR, { uri: 'https://www.example.com/webhook_uri2' })).toEqual({ ok: false, reason: 'mismatch' });
    expect(v3(VECTOR, { method: 'PUT' })).toEqual({ ok: false, reason: 'mismatch' });
    expect(v3('not base64 at all')).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('rejects a timestamp older (or newer) than 5 minutes, even with a matching signature', () => {
    const old = String(NOW - MAX_SIGNATURE_AGE_MS - 1);
    expect(v3(signV3(SECRET, 'POST', URL_, BODY, old), { ts: old })).toEqual({ ok: false, reason: 'stale' });
    const future = String(NOW + MAX_SIGNATURE_AGE_MS + 1);
    expect(v3(signV3(SECRET, 'POST', URL_, BODY, future), { ts: future })).toEqual({ ok: false, reason: 'stale' });
    const edge = String(NOW - MAX_SIGNATURE_AGE_MS + 1);
    expect(v3(signV3(SECRET, 'POST', URL_, BODY, edge), { ts: edge }).ok).toBe(true);
  });

  it('rejects missing headers', () => {
    expect(v3(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(v3(VECTOR, { ts: '' })).toEqual({ ok: false, reason: 'missing' });
    expect(v3(VECTOR, { ts: 'yesterday' })).toEqual({ ok: false, reason: 'missing' });
  });

  it('accepts exactly the signed request and no single-character change of its body', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), fc.nat(), fc.string({ minLength: 1, maxLength: 1 }), (body, pos, ch) => {
        const sig = signV3(SECRET, 'POST', URL_, body, TS);
        expect(v3(sig, { body }).ok).toBe(true);
        const i = pos % body.length;
        const tampered = body.slice(0, i) + ch + body.slice(i + 1);
        if (tampered !== body) expect(v3(sig, { body: tampered }).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('HubSpot signature v2 (custom workflow actions)', () => {
  it('computes and accepts the documented GET and POST vectors', () => {
    const get = 'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e';
    const post = '9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900';
    expect(signV2(SECRET, 'GET', URL_, '')).toBe(get);
    expect(signV2(SECRET, 'POST', URL_, BODY)).toBe(post);
    expect(v2(get, { method: 'GET', body: '' })).toEqual({ ok: true, version: 'v2' });
    expect(v2(post)).toEqual({ ok: true, version: 'v2' });
    expect(v2(post.toUpperCase())).toEqual({ ok: true, version: 'v2' });
  });

  it('rejects a tampered body, a wrong secret, a malformed or missing signature', () => {
    const post = signV2(SECRET, 'POST', URL_, BODY);
    expect(v2(post, { body: `${BODY} ` })).toEqual({ ok: false, reason: 'mismatch' });
    expect(v2(post, { secret: 'another-secret-value' })).toEqual({ ok: false, reason: 'mismatch' });
    expect(v2('abc')).toEqual({ ok: false, reason: 'mismatch' });
    expect(v2(undefined)).toEqual({ ok: false, reason: 'missing' });
  });

  it('is refused where only v3 is allowed', () => {
    expect(v2(signV2(SECRET, 'POST', URL_, BODY), { allowV2: false })).toEqual({ ok: false, reason: 'missing' });
  });

  it('holds a v2 request that carries a timestamp to the same 5-minute window', () => {
    const sig = signV2(SECRET, 'POST', URL_, BODY);
    const check = verifyHubSpotSignature(
      SECRET,
      { method: 'POST', uri: URL_, body: BODY, headers: { signature: sig, signatureVersion: 'v2', timestamp: String(NOW - MAX_SIGNATURE_AGE_MS - 5) } },
      { now: NOW, allowV2: true },
    );
    expect(check).toEqual({ ok: false, reason: 'stale' });
  });
});
