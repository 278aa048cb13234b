import crypto from 'node:crypto';
import { timingSafeEqualStrings } from '../../../platform/crypto';
import type { WebhookHeaders, WebhookVerification } from '../voice-provider';

// Vapi webhook authentication (research/vapi.md §3.6), two credential kinds:
// - shared secret: a Bearer credential with headerName "X-Vapi-Secret" and no "Bearer " prefix
//   (the legacy inline `secret`), or the default Authorization: Bearer <secret>;
// - HMAC: hex HMAC-SHA256 of "{timestamp}.{rawBody}" in x-signature, timestamp in x-timestamp
//   (Vapi's HmacAuthenticationPlan defaults). The timestamp unit is not documented, so seconds
//   and milliseconds are both accepted (told apart by magnitude); outside the window → stale.
// Every comparison is constant-time; the HMAC covers the raw bytes, never re-serialised JSON.

export interface VapiWebhookAuthOptions {
  /** The shared secret, also the HMAC key. Unset → every request is refused. */
  secret: string | undefined;
  /** Which credential kinds to accept. Default: either. */
  mode?: 'secret' | 'hmac' | 'either';
  secretHeader?: string;
  signatureHeader?: string;
  timestampHeader?: string;
  /** Accepted clock difference either way. Default 5 minutes. */
  toleranceMs?: number;
  now?: () => number;
}

export const DEFAULT_TOLERANCE_MS = 5 * 60 * 1000;

export function verifyVapiWebhook(rawBody: Buffer, headers: WebhookHeaders, options: VapiWebhookAuthOptions): WebhookVerification {
  const { secret } = options;
  if (!secret) return { ok: false, reason: 'not_configured' };
  const mode = options.mode ?? 'either';
  const signature = header(headers, options.signatureHeader ?? 'x-signature');

  if (signature !== undefined && mode !== 'secret') {
    return verifyHmac(rawBody, signature, header(headers, options.timestampHeader ?? 'x-timestamp'), secret, options);
  }
  if (mode !== 'hmac') {
    const presented = header(headers, options.secretHeader ?? 'x-vapi-secret') ?? bearer(header(headers, 'authorization'));
    if (presented !== undefined) return timingSafeEqualStrings(presented, secret) ? { ok: true, method: 'secret' } : { ok: false, reason: 'mismatch' };
  }
  return { ok: false, reason: 'missing' };
}

function verifyHmac(
  rawBody: Buffer,
  signature: string,
  timestamp: string | undefined,
  secret: string,
  options: VapiWebhookAuthOptions,
): WebhookVerification {
  if (timestamp === undefined) return { ok: false, reason: 'missing' };
  if (!/^\d{1,16}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const n = Number(timestamp);
  const ms = n < 1e11 ? n * 1000 : n;
  const now = (options.now ?? Date.now)();
  if (Math.abs(now - ms) > (options.toleranceMs ?? DEFAULT_TOLERANCE_MS)) return { ok: false, reason: 'stale_timestamp' };
  const expected = signVapiPayload(secret, timestamp, rawBody);
  const given = signature.trim().replace(/^sha256=/i, '').toLowerCase();
  return timingSafeEqualStrings(given, expected) ? { ok: true, method: 'hmac' } : { ok: false, reason: 'mismatch' };
}

/** hex HMAC-SHA256 over `${timestamp}.${rawBody}`; the Vapi fake signs with this too. */
export function signVapiPayload(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return crypto.createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(rawBody).digest('hex');
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

const bearer = (value: string | undefined) => (value && /^Bearer\s+/i.test(value) ? value.replace(/^Bearer\s+/i, '') : undefined);
