import crypto from 'node:crypto';
import { timingSafeEqualStrings } from '../../../platform/crypto';
import type { WebhookHeaders, WebhookVerification } from '../voice-provider';

// x-retell-signature, as retell-sdk 5.66.1 computes it (src/lib/webhook_auth.ts): the header is
// "v=<unix ms>,d=<hex HMAC-SHA256(apiKey, rawBody + timestamp)>", the key is the Retell API key,
// and a timestamp more than 5 minutes from now is refused. The SDK's verify is async (Web Crypto)
// and answers only true/false; this is the same computation with node:crypto, synchronous, and it
// says why a request failed. A unit test checks both agree on what the SDK's own sign() produces.

export const RETELL_SIGNATURE_HEADER = 'x-retell-signature';
export const RETELL_TOLERANCE_MS = 5 * 60 * 1000;

export interface RetellWebhookAuthOptions {
  /** The Retell API key that signs webhooks. Unset → every request is refused. */
  apiKey: string | undefined;
  toleranceMs?: number;
  now?: () => number;
}

export function verifyRetellWebhook(rawBody: Buffer, headers: WebhookHeaders, options: RetellWebhookAuthOptions): WebhookVerification {
  if (!options.apiKey) return { ok: false, reason: 'not_configured' };
  const signature = header(headers, RETELL_SIGNATURE_HEADER);
  if (!signature) return { ok: false, reason: 'missing' };
  const match = /^v=(\d+),d=([0-9a-f]{64})$/i.exec(signature.trim());
  if (!match) return { ok: false, reason: 'mismatch' };
  const timestamp = Number(match[1]);
  if (!Number.isSafeInteger(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const now = (options.now ?? Date.now)();
  if (Math.abs(now - timestamp) > (options.toleranceMs ?? RETELL_TOLERANCE_MS)) return { ok: false, reason: 'stale_timestamp' };
  const expected = signRetellDigest(options.apiKey, rawBody, match[1]!);
  return timingSafeEqualStrings(match[2]!.toLowerCase(), expected) ? { ok: true, method: 'hmac' } : { ok: false, reason: 'mismatch' };
}

/** hex HMAC-SHA256 over rawBody followed by the decimal ms timestamp. */
export function signRetellDigest(apiKey: string, rawBody: Buffer | string, timestamp: string): string {
  return crypto.createHmac('sha256', apiKey).update(rawBody).update(timestamp, 'utf8').digest('hex');
}

/** The full header value; the Retell fake signs with this. */
export function signRetellPayload(apiKey: string, rawBody: Buffer | string, timestampMs = Date.now()): string {
  return `v=${timestampMs},d=${signRetellDigest(apiKey, rawBody, String(timestampMs))}`;
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}
