import crypto from 'node:crypto';
import { createOAuthStateSigner, deriveStateKey } from '../../backend/src/hubspot/oauth/oauth-state';

const TTL = 10 * 60_000;
const key = deriveStateKey(crypto.randomBytes(32));
const signer = createOAuthStateSigner(key, TTL);

describe('OAuth install state', () => {
  it('verifies a state it issued, with a fresh nonce each time', () => {
    const now = Date.now();
    const a = signer.issue(now);
    const b = signer.issue(now);
    const ca = signer.verify(a, now + 1000);
    const cb = signer.verify(b, now + 1000);
    expect(ca).toMatchObject({ ok: true, issuedAt: now });
    expect(cb.ok && ca.ok && cb.nonce !== ca.nonce).toBe(true);
  });

  it('refuses a state signed under another key', () => {
    const other = createOAuthStateSigner(deriveStateKey(crypto.randomBytes(32)), TTL);
    expect(signer.verify(other.issue())).toEqual({ ok: false, reason: 'signature' });
  });

  it('refuses a tampered payload or signature', () => {
    const state = signer.issue();
    const [payload, mac] = state.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ v: 1, n: 'AAAAAAAAAAAAAAAAAAAAAA', iat: Date.now() })).toString('base64url');
    expect(signer.verify(`${forged}.${mac}`)).toEqual({ ok: false, reason: 'signature' });
    const flipped = mac[0] === 'A' ? `B${mac.slice(1)}` : `A${mac.slice(1)}`;
    expect(signer.verify(`${payload}.${flipped}`)).toEqual({ ok: false, reason: 'signature' });
  });

  it('refuses an expired state, and one issued implausibly far in the future', () => {
    const now = Date.now();
    expect(signer.verify(signer.issue(now - TTL - 1), now)).toEqual({ ok: false, reason: 'expired' });
    expect(signer.verify(signer.issue(now - TTL + 1000), now).ok).toBe(true);
    expect(signer.verify(signer.issue(now + 5 * 60_000), now)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses missing and malformed states', () => {
    expect(signer.verify(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(signer.verify('')).toEqual({ ok: false, reason: 'missing' });
    expect(signer.verify('nodot')).toEqual({ ok: false, reason: 'malformed' });
    expect(signer.verify('a.b.c')).toEqual({ ok: false, reason: 'malformed' });
    // Correctly signed but not our payload shape.
    const payload = Buffer.from('{"hello":"world"}').toString('base64url');
    const mac = crypto.createHmac('sha256', key).update(payload).digest('base64url');
    expect(signer.verify(`${payload}.${mac}`)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('derives a key of its own from the encryption key, the same every time', () => {
    const enc = crypto.randomBytes(32);
    expect(deriveStateKey(enc).equals(deriveStateKey(enc))).toBe(true);
    expect(deriveStateKey(enc).equals(enc)).toBe(false);
  });
});
