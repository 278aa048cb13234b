import crypto from 'node:crypto';
import { z } from 'zod';

// The OAuth `state` we send to HubSpot and expect back: "<payload>.<mac>", both base64url.
// payload = {v:1, n: random nonce, iat: issued-at ms}; mac = HMAC-SHA256 under a key derived from
// the app's encryption key (HKDF, its own "info" so it is never the key that seals tokens).
// It proves the callback follows an install we started, within the lifetime; the nonce lets the
// callback refuse a replayed state (see install.service.ts).

const ZStatePayload = z.object({ v: z.literal(1), n: z.string().min(16).max(64), iat: z.number().int().positive() });

export type StateCheck = { ok: true; nonce: string; issuedAt: number } | { ok: false; reason: 'missing' | 'malformed' | 'signature' | 'expired' };

export function deriveStateKey(encryptionKey: Buffer): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'hubspot-oauth-state-v1', 32));
}

export interface OAuthStateSigner {
  issue(now?: number): string;
  verify(state: string | undefined, now?: number): StateCheck;
}

export function createOAuthStateSigner(key: Buffer, ttlMs: number): OAuthStateSigner {
  const mac = (payload: string) => crypto.createHmac('sha256', key).update(payload, 'utf8').digest();
  return {
    issue(now = Date.now()) {
      const payload = Buffer.from(JSON.stringify({ v: 1, n: crypto.randomBytes(16).toString('base64url'), iat: now })).toString('base64url');
      return `${payload}.${mac(payload).toString('base64url')}`;
    },
    verify(state, now = Date.now()) {
      if (!state) return { ok: false, reason: 'missing' };
      const parts = state.split('.');
      if (parts.length !== 2 || !parts[0] || !parts[1] || state.length > 512) return { ok: false, reason: 'malformed' };
      const [payload, given] = parts as [string, string];
      const expected = mac(payload);
      const givenBytes = Buffer.from(given, 'base64url');
      if (givenBytes.length !== expected.length || !crypto.timingSafeEqual(givenBytes, expected)) return { ok: false, reason: 'signature' };
      let parsed: z.infer<typeof ZStatePayload>;
      try {
        parsed = ZStatePayload.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
      } catch {
        return { ok: false, reason: 'malformed' };
      }
      // A state "from the future" beyond small clock skew between instances is as suspect as an old one.
      if (now - parsed.iat > ttlMs || parsed.iat - now > 60_000) return { ok: false, reason: 'expired' };
      return { ok: true, nonce: parsed.n, issuedAt: parsed.iat };
    },
  };
}
