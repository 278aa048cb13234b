import crypto from 'node:crypto';
import { z } from 'zod';
import { logger } from '../../platform/logger';

// The upload page's pass: a card (HubSpot-signed request) gets a token for its portal, and the
// page served in HubSpot's iframe modal sends it back with the file. hubspot.fetch cannot carry a
// file (JSON only, 1 MB), so the browser talks to us directly with this token instead.
// Format: "upl_<payload>.<mac>", payload = base64url JSON {v, p: portalId, exp: ms, n: nonce},
// mac = HMAC-SHA256 under a key derived from APP_ENCRYPTION_KEY for this purpose only (HKDF).

export const UPLOAD_TOKEN_TTL_MS = 10 * 60 * 1000;
const PREFIX = 'upl_';

const ZPayload = z.object({ v: z.literal(1), p: z.string().uuid(), exp: z.number().int().positive(), n: z.string().min(8).max(64) });

export type UploadTokenCheck = { ok: true; portalId: string; expiresAt: number } | { ok: false; reason: 'missing' | 'malformed' | 'signature' | 'expired' };

export interface UploadTokenSigner {
  issue(portalId: string, now?: number): { token: string; expiresAt: number };
  verify(token: string | undefined, now?: number): UploadTokenCheck;
}

let processKey: Buffer | undefined;

/** The signing key: derived from the app's encryption key; without one (local runs) a per-process key. */
export function uploadTokenKey(encryptionKey: Buffer | undefined): Buffer {
  if (encryptionKey) return Buffer.from(crypto.hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'upload-page-token-v1', 32));
  if (!processKey) {
    processKey = crypto.randomBytes(32);
    logger.warn('APP_ENCRYPTION_KEY is not set; upload page tokens only work in the process that issued them');
  }
  return processKey;
}

export function createUploadTokenSigner(key: Buffer, ttlMs = UPLOAD_TOKEN_TTL_MS): UploadTokenSigner {
  const mac = (payload: string) => crypto.createHmac('sha256', key).update(payload, 'utf8').digest();
  return {
    issue(portalId, now = Date.now()) {
      const expiresAt = now + ttlMs;
      const payload = Buffer.from(JSON.stringify({ v: 1, p: portalId, exp: expiresAt, n: crypto.randomBytes(12).toString('base64url') })).toString('base64url');
      return { token: `${PREFIX}${payload}.${mac(payload).toString('base64url')}`, expiresAt };
    },
    verify(token, now = Date.now()) {
      if (!token) return { ok: false, reason: 'missing' };
      if (!token.startsWith(PREFIX) || token.length > 1024) return { ok: false, reason: 'malformed' };
      const [payload, given, ...rest] = token.slice(PREFIX.length).split('.');
      if (!payload || !given || rest.length) return { ok: false, reason: 'malformed' };
      const expected = mac(payload);
      const givenBytes = Buffer.from(given, 'base64url');
      if (givenBytes.length !== expected.length || !crypto.timingSafeEqual(givenBytes, expected)) return { ok: false, reason: 'signature' };
      let parsed: z.infer<typeof ZPayload>;
      try {
        parsed = ZPayload.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
      } catch {
        return { ok: false, reason: 'malformed' };
      }
      if (parsed.exp <= now) return { ok: false, reason: 'expired' };
      return { ok: true, portalId: parsed.p, expiresAt: parsed.exp };
    },
  };
}
