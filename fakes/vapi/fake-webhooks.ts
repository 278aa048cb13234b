import crypto from 'node:crypto';
import type { WebhookAuth } from './fake-options';
import type { FakeState } from './fake-state';

// Posts server messages the way Vapi does: JSON POST, the credential's header(s), the server's
// static headers, a timeout (server.timeoutSeconds, 20 s by default) and no retries (Vapi's
// default backoffPlan is none). Signing is written here independently of the backend's verifier,
// from the documented HmacAuthenticationPlan defaults, so a shared bug cannot hide.

export interface SenderOptions {
  auth: WebhookAuth;
  timeoutMs: number;
  duplicateRate: number;
  dropRate: number;
  dropTypes: string[];
  rand: () => number;
}

export interface PostResult {
  status: number | null;
  body: unknown;
}

export function authHeaders(auth: WebhookAuth, rawBody: string, now = Date.now()): Record<string, string> {
  switch (auth.type) {
    case 'none':
      return {};
    case 'secret':
      return { [auth.headerName ?? 'X-Vapi-Secret']: auth.secret };
    case 'hmac': {
      const timestamp = String(auth.timestampUnit === 's' ? Math.floor(now / 1000) : now);
      const signature = crypto.createHmac('sha256', auth.secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex');
      return { [auth.signatureHeader ?? 'x-signature']: signature, [auth.timestampHeader ?? 'x-timestamp']: timestamp };
    }
  }
}

export class WebhookSender {
  constructor(
    public options: SenderOptions,
    private state: FakeState,
  ) {}

  /** A fire-and-forget server message (status, transcript, report), subject to drop/duplicate chaos. */
  async notify(url: string, payload: { message: { type: string } }, callId: string, staticHeaders: Record<string, string>): Promise<void> {
    const { dropRate, dropTypes, duplicateRate, rand } = this.options;
    if (dropTypes.includes(payload.message.type) || (dropRate > 0 && rand() < dropRate)) return;
    await this.post(url, payload, callId, staticHeaders);
    if (duplicateRate > 0 && rand() < duplicateRate) await this.post(url, payload, callId, staticHeaders);
  }

  /** One POST; the answer's JSON body is returned (tool-calls needs it). Never throws. */
  async post(url: string, payload: { message: { type: string } }, callId: string | null, staticHeaders: Record<string, string>): Promise<PostResult> {
    const raw = JSON.stringify(payload);
    const started = Date.now();
    const headers = { 'content-type': 'application/json', ...staticHeaders, ...authHeaders(this.options.auth, raw) };
    try {
      const res = await fetch(url, { method: 'POST', headers, body: raw, signal: AbortSignal.timeout(this.options.timeoutMs) });
      const text = await res.text();
      this.record(payload.message.type, callId, url, res.status, started);
      return { status: res.status, body: parseJson(text) };
    } catch (err) {
      this.record(payload.message.type, callId, url, null, started, err instanceof Error ? err.message : String(err));
      return { status: null, body: undefined };
    }
  }

  private record(type: string, callId: string | null, url: string, status: number | null, started: number, error?: string) {
    this.state.webhooks.push({ type, callId, url, status, at: started, durationMs: Date.now() - started, ...(error ? { error } : {}) });
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
