import crypto from 'node:crypto';

// HubSpot request signatures (research/hubspot.md §2). v3: base64 HMAC-SHA256 over
// METHOD + URI + body + timestamp with the app's client secret, timestamp within 5 minutes.
// v2: hex SHA-256 of secret + METHOD + URI + body (custom workflow actions still use it).
export const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000;

// HubSpot's docs ask to decode these escapes in the URI before signing; its SDKs do not, so both
// forms are tried.
const DECODE: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$',
  '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};
export const decodeSignedUri = (uri: string) =>
  uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODE[m.toUpperCase()] ?? m);

export function signV3(secret: string, method: string, uri: string, body: string, timestamp: string): string {
  return crypto.createHmac('sha256', secret).update(method.toUpperCase() + uri + body + timestamp, 'utf8').digest('base64');
}

export function signV2(secret: string, method: string, uri: string, body: string): string {
  return crypto.createHash('sha256').update(secret + method.toUpperCase() + uri + body, 'utf8').digest('hex');
}

export interface SignedRequest {
  method: string;
  uri: string;
  body: string;
  headers: { signatureV3?: string; timestamp?: string; signature?: string; signatureVersion?: string };
}

export type SignatureCheck = { ok: true; version: 'v2' | 'v3' } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

function equalBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && a.length > 0 && crypto.timingSafeEqual(a, b);
}

export function verifyHubSpotSignature(
  secret: string,
  req: SignedRequest,
  options: { now?: number; allowV2?: boolean } = {},
): SignatureCheck {
  const now = options.now ?? Date.now();
  const uris = [...new Set([decodeSignedUri(req.uri), req.uri])];
  const { signatureV3, timestamp, signature, signatureVersion } = req.headers;
  if (signatureV3) {
    const ts = Number(timestamp);
    if (!timestamp || !Number.isFinite(ts)) return { ok: false, reason: 'missing' };
    if (Math.abs(now - ts) > MAX_SIGNATURE_AGE_MS) return { ok: false, reason: 'stale' };
    const given = Buffer.from(signatureV3, 'base64');
    const match = uris.some((u) => equalBytes(Buffer.from(signV3(secret, req.method, u, req.body, timestamp), 'base64'), given));
    return match ? { ok: true, version: 'v3' } : { ok: false, reason: 'mismatch' };
  }
  if (options.allowV2 && signature && (signatureVersion ?? 'v2').toLowerCase() === 'v2') {
    // v2 has no timestamp of its own; when HubSpot sends one alongside, hold it to the same window.
    if (timestamp && Math.abs(now - Number(timestamp)) > MAX_SIGNATURE_AGE_MS) return { ok: false, reason: 'stale' };
    if (!/^[0-9a-f]{64}$/i.test(signature)) return { ok: false, reason: 'mismatch' };
    const given = Buffer.from(signature.toLowerCase(), 'hex');
    const match = uris.some((u) => equalBytes(Buffer.from(signV2(secret, req.method, u, req.body), 'hex'), given));
    return match ? { ok: true, version: 'v2' } : { ok: false, reason: 'mismatch' };
  }
  return { ok: false, reason: 'missing' };
}
