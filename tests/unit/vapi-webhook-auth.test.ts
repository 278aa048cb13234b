import crypto from 'node:crypto';
import { signVapiPayload, verifyVapiWebhook } from '../../backend/src/providers/voice/vapi/vapi-webhook-auth';

const SECRET = 'whsec-test-0123456789';
const NOW = Date.parse('2030-05-01T12:00:00Z');
const body = Buffer.from(JSON.stringify({ message: { type: 'status-update', status: 'ringing', call: { id: 'c1' } } }));
const opts = { secret: SECRET, now: () => NOW };

// Independent of the code under test: Node's HMAC over the documented "{timestamp}.{body}".
const hmacHex = (ts: string, raw: Buffer, key = SECRET) => crypto.createHmac('sha256', key).update(Buffer.concat([Buffer.from(`${ts}.`), raw])).digest('hex');

describe('Vapi webhook verification: shared secret', () => {
  it('accepts the X-Vapi-Secret header (any case) and Authorization: Bearer', () => {
    expect(verifyVapiWebhook(body, { 'x-vapi-secret': SECRET }, opts)).toEqual({ ok: true, method: 'secret' });
    expect(verifyVapiWebhook(body, { 'X-Vapi-Secret': SECRET }, opts)).toEqual({ ok: true, method: 'secret' });
    expect(verifyVapiWebhook(body, { authorization: `Bearer ${SECRET}` }, opts)).toEqual({ ok: true, method: 'secret' });
  });

  it('refuses a wrong secret, a missing one, and everything when none is configured', () => {
    expect(verifyVapiWebhook(body, { 'x-vapi-secret': `${SECRET}x` }, opts)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyVapiWebhook(body, { 'x-vapi-secret': '' }, opts)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyVapiWebhook(body, { authorization: 'Basic abc' }, opts)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyVapiWebhook(body, {}, opts)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyVapiWebhook(body, { 'x-vapi-secret': SECRET }, { secret: undefined })).toEqual({ ok: false, reason: 'not_configured' });
  });

  it('mode hmac refuses a bare shared secret', () => {
    expect(verifyVapiWebhook(body, { 'x-vapi-secret': SECRET }, { ...opts, mode: 'hmac' })).toEqual({ ok: false, reason: 'missing' });
  });
});

describe('Vapi webhook verification: HMAC of {timestamp}.{rawBody}', () => {
  const tsMs = String(NOW - 1000);
  const tsSec = String(Math.floor(NOW / 1000) - 1);

  it('signVapiPayload is the documented HMAC', () => {
    expect(signVapiPayload(SECRET, tsMs, body)).toBe(hmacHex(tsMs, body));
  });

  it('accepts a valid signature with the timestamp in milliseconds or seconds, and a sha256= prefix', () => {
    expect(verifyVapiWebhook(body, { 'x-signature': hmacHex(tsMs, body), 'x-timestamp': tsMs }, opts)).toEqual({ ok: true, method: 'hmac' });
    expect(verifyVapiWebhook(body, { 'x-signature': hmacHex(tsSec, body), 'x-timestamp': tsSec }, opts)).toEqual({ ok: true, method: 'hmac' });
    expect(verifyVapiWebhook(body, { 'x-signature': `sha256=${hmacHex(tsMs, body).toUpperCase()}`, 'x-timestamp': [tsMs] }, opts)).toEqual({ ok: true, method: 'hmac' });
  });

  it('refuses a tampered body, a wrong key, and a signature moved to another timestamp', () => {
    const sig = hmacHex(tsMs, body);
    const tampered = Buffer.from(body.toString().replace('ringing', 'ended'));
    expect(verifyVapiWebhook(tampered, { 'x-signature': sig, 'x-timestamp': tsMs }, opts)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyVapiWebhook(body, { 'x-signature': hmacHex(tsMs, body, 'other-secret'), 'x-timestamp': tsMs }, opts)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyVapiWebhook(body, { 'x-signature': sig, 'x-timestamp': String(NOW - 2000) }, opts)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses stale and far-future timestamps (5 minute window), and junk timestamps', () => {
    const stale = String(NOW - 5 * 60_000 - 1);
    const future = String(NOW + 5 * 60_000 + 1000);
    expect(verifyVapiWebhook(body, { 'x-signature': hmacHex(stale, body), 'x-timestamp': stale }, opts)).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifyVapiWebhook(body, { 'x-signature': hmacHex(future, body), 'x-timestamp': future }, opts)).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifyVapiWebhook(body, { 'x-signature': hmacHex('abc', body), 'x-timestamp': 'abc' }, opts)).toEqual({ ok: false, reason: 'bad_timestamp' });
    expect(verifyVapiWebhook(body, { 'x-signature': hmacHex(tsMs, body) }, opts)).toEqual({ ok: false, reason: 'missing' });
  });

  it('the window is configurable', () => {
    const old = String(NOW - 60_000);
    const headers = { 'x-signature': hmacHex(old, body), 'x-timestamp': old };
    expect(verifyVapiWebhook(body, headers, { ...opts, toleranceMs: 30_000 })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifyVapiWebhook(body, headers, opts)).toEqual({ ok: true, method: 'hmac' });
  });

  it('covers the raw bytes: the same JSON re-serialised does not verify', () => {
    const pretty = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2));
    expect(verifyVapiWebhook(pretty, { 'x-signature': hmacHex(tsMs, body), 'x-timestamp': tsMs }, opts)).toEqual({ ok: false, reason: 'mismatch' });
  });
});
