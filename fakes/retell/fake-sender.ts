import { sign } from 'retell-sdk';
import type { RetellFakeState } from './fake-state';

// Posts signed requests to our backend the way Retell does: JSON body, x-retell-signature made
// by retell-sdk's own sign() ("v=<ms>,d=<hex HMAC-SHA256(apiKey, body + ms)>"), so the fake never
// shares the backend's implementation of the check.

export interface PostResult {
  status: number | null;
  body: unknown;
  error?: string;
}

export class RetellSender {
  constructor(
    private state: RetellFakeState,
    private options: { timeoutMs: number; duplicateRate: number; rand: () => number },
  ) {}

  async post(url: string, apiKey: string, payload: unknown, label: { event: string; callId: string | null }): Promise<PostResult> {
    const first = await this.once(url, apiKey, payload, label);
    if (this.options.duplicateRate > 0 && this.options.rand() < this.options.duplicateRate) await this.once(url, apiKey, payload, label);
    return first;
  }

  private async once(url: string, apiKey: string, payload: unknown, label: { event: string; callId: string | null }): Promise<PostResult> {
    const body = JSON.stringify(payload);
    const signature = await sign(body, apiKey);
    const started = Date.now();
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-retell-signature': signature },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const text = await res.text();
      this.state.webhooks.push({ ...label, url, status: res.status, at: started });
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Retell passes a non-JSON function answer through as text.
      }
      return { status: res.status, body: parsed };
    } catch (err) {
      this.state.webhooks.push({ ...label, url, status: null, error: (err as Error).message, at: started });
      return { status: null, body: undefined, error: (err as Error).message };
    }
  }
}
