import type { FakeOutcome } from './fake-options';

// Everything the fake remembers, readable by tests: the calls, the per-attempt ledger that
// proves "never twice", counters, and the webhook delivery log.

export interface FakeCall {
  id: string;
  apiKey: string;
  orgId: string;
  createdAt: string;
  updatedAt: string;
  status: 'queued' | 'ringing' | 'in-progress' | 'ended';
  endedReason?: string;
  startedAt?: string;
  endedAt?: string;
  /** The POST /call body as received. */
  request: Record<string, any>;
  attemptId: string | null;
  outcome: FakeOutcome | 'refused';
  /** Simulated talk time, reported as durationSeconds. */
  durationSec?: number;
  cost: number;
  transcript: Array<{ role: 'bot' | 'user'; text: string; secondsFromStart: number }>;
  toolSteps: Array<{ arguments: Record<string, unknown>; result: unknown; status: number }>;
  structuredOutputs?: Record<string, { name: string; result: unknown }>;
  /** Holds a concurrency slot until it ends. */
  holdsSlot: boolean;
}

export interface LedgerEntry {
  /** POST /call requests naming this attempt that got past auth. */
  requests: number;
  /** Calls created (201 or created-then-faulted). */
  created: number;
  /** Created calls that would ring a phone: not refused for capacity or account state. */
  dialed: number;
  /** Refusals for capacity, in any form. */
  refused: number;
  callIds: string[];
}

export interface WebhookDelivery {
  type: string;
  callId: string | null;
  url: string;
  status: number | null;
  error?: string;
  at: number;
  durationMs: number;
}

export class FakeState {
  readonly calls = new Map<string, FakeCall>();
  readonly ledger = new Map<string, LedgerEntry>();
  readonly webhooks: WebhookDelivery[] = [];
  /** Wall-clock ms of every accepted create, for measuring achieved rate. */
  readonly createTimes: number[] = [];
  readonly counters = {
    createRequests: 0,
    created: 0,
    dialed: 0,
    refusedHttp400: 0,
    refusedBlocked: 0,
    refusedEndedReason: 0,
    rateLimited: 0,
    unauthorized: 0,
    badRequests: 0,
    faultsInjected: 0,
    getRequests: 0,
    listRequests: 0,
  };
  private live = new Map<string, number>();
  maxLive = 0;

  entry(attemptId: string): LedgerEntry {
    let e = this.ledger.get(attemptId);
    if (!e) this.ledger.set(attemptId, (e = { requests: 0, created: 0, dialed: 0, refused: 0, callIds: [] }));
    return e;
  }

  /** Attempt ids whose customer would have been called more than once. */
  duplicates(): string[] {
    return [...this.ledger].filter(([, e]) => e.dialed > 1).map(([id]) => id);
  }

  liveCalls(apiKey?: string): number {
    if (apiKey !== undefined) return this.live.get(apiKey) ?? 0;
    let total = 0;
    for (const n of this.live.values()) total += n;
    return total;
  }

  takeSlot(apiKey: string): void {
    this.live.set(apiKey, this.liveCalls(apiKey) + 1);
    this.maxLive = Math.max(this.maxLive, this.liveCalls());
  }

  releaseSlot(apiKey: string): void {
    this.live.set(apiKey, Math.max(0, this.liveCalls(apiKey) - 1));
  }

  /** The most creates accepted inside any window of `windowMs` (sliding), for limiter checks. */
  maxCreatesInWindow(windowMs: number): number {
    const t = [...this.createTimes].sort((a, b) => a - b);
    let best = 0;
    for (let lo = 0, hi = 0; hi < t.length; hi++) {
      while (t[hi]! - t[lo]! >= windowMs) lo++;
      best = Math.max(best, hi - lo + 1);
    }
    return best;
  }

  stats() {
    return {
      ...this.counters,
      live: this.liveCalls(),
      maxLive: this.maxLive,
      calls: this.calls.size,
      attempts: this.ledger.size,
      duplicates: this.duplicates().length,
      webhooksSent: this.webhooks.length,
      webhooksFailed: this.webhooks.filter((w) => w.status === null || w.status >= 300).length,
    };
  }
}
