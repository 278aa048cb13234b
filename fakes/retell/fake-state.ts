import type { RetellFakeOutcome } from './fake-options';

// What the Retell fake remembers, readable by tests: calls in Retell's wire shape, the
// per-attempt ledger that proves "never twice", counters and the webhook log.

export interface RetellFakeCall {
  apiKey: string;
  outcome: RetellFakeOutcome | 'refused';
  holdsSlot: boolean;
  /** The create-phone-call body as received. */
  request: Record<string, any>;
  attemptId: string | null;
  createdAt: number;
  /** The call object as Retell returns it (PhoneCallResponse). */
  wire: Record<string, any>;
  functionSteps: Array<{ args: Record<string, unknown>; status: number | null; result: unknown }>;
}

export interface RetellLedgerEntry {
  requests: number;
  created: number;
  /** Created calls that would ring a phone (not refused). */
  dialed: number;
  refused: number;
  callIds: string[];
}

export interface RetellWebhookDelivery {
  event: string;
  callId: string | null;
  url: string;
  status: number | null;
  error?: string;
  at: number;
}

export class RetellFakeState {
  readonly calls = new Map<string, RetellFakeCall>();
  readonly ledger = new Map<string, RetellLedgerEntry>();
  readonly webhooks: RetellWebhookDelivery[] = [];
  readonly counters = {
    createRequests: 0,
    created: 0,
    dialed: 0,
    refusedConcurrency: 0,
    refusedHttp429: 0,
    refusedEndedReason: 0,
    rateLimited: 0,
    unauthorized: 0,
    badRequests: 0,
    faultsInjected: 0,
    getRequests: 0,
    listRequests: 0,
    functionCalls: 0,
    webhooksDropped: 0,
  };
  private live = new Map<string, number>();
  maxLive = 0;

  entry(attemptId: string): RetellLedgerEntry {
    let e = this.ledger.get(attemptId);
    if (!e) this.ledger.set(attemptId, (e = { requests: 0, created: 0, dialed: 0, refused: 0, callIds: [] }));
    return e;
  }

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
