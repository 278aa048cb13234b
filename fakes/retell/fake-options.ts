// Options of the Retell fake. Defaults behave like a fresh Retell account: 20 concurrent calls
// (Retell's pay-as-you-go default), no rate limit, real-time calls, no webhooks until a URL is given.

export const RETELL_FAKE_OUTCOMES = ['answered', 'no_answer', 'busy', 'voicemail', 'failed', 'opt_out'] as const;
export type RetellFakeOutcome = (typeof RETELL_FAKE_OUTCOMES)[number];

/**
 * How a create over the concurrency limit is refused: a 429 whose message names the concurrency
 * limit, or a created call that ends at once with disconnection_reason concurrency_limit_reached.
 */
export type RetellRefusalForm = 'http-429' | 'ended-reason';

export interface RetellCallInfo {
  callId: string;
  number: string;
  attemptId: string | null;
  metadata: Record<string, unknown>;
}

export interface RetellFakeOptions {
  port?: number;
  host?: string;
  /** Accepted API keys (Bearer); each is its own account with its own concurrency pool, and signs its webhooks. */
  apiKeys?: string[];
  concurrencyLimit?: number;
  /** 'rotate' alternates the two forms, refusal by refusal. */
  refusal?: RetellRefusalForm | 'rotate';
  /** Fixed-window request limit per account; over it → 429 with Retry-After. */
  rateLimit?: { max: number; windowMs: number; scope?: 'create' | 'all' } | null;
  /** Wall-clock ms per simulated ms (0.01 = 100× faster). */
  timeScale?: number;
  durations?: Partial<Record<'ringSec' | 'talkSec' | 'voicemailSec' | 'analysisDelaySec', [number, number]>>;
  outcomeMix?: Partial<Record<RetellFakeOutcome, number>>;
  /** Decide a call's fate yourself (wins over the mix). */
  scriptFor?: (call: RetellCallInfo) => RetellFakeOutcome | undefined;
  seed?: number;
  /** Known agents / caller numbers; when set, others get Retell's 404 / 400. */
  agentIds?: string[];
  fromNumbers?: string[];
  webhook?: {
    /** The agent's webhook_url (our /webhooks/retell). */
    url?: string;
    /** The next_step custom function URL (our /webhooks/retell/functions/next_step). */
    functionUrl?: string;
    timeoutMs?: number;
    /** Deliver each webhook twice with this probability (Retell retries on non-2xx / timeouts). */
    duplicateRate?: number;
    /**
     * Events never delivered (e.g. ['call_analyzed']): a webhook lost for good, as when every one
     * of Retell's retries failed, so the reconciler must close the call through get-call.
     */
    dropEvents?: string[];
  };
  /** Most function calls per call before the fake "hangs up". */
  maxFunctionSteps?: number;
  latencyMs?: number;
}

export const RETELL_DEFAULTS = {
  host: '127.0.0.1',
  apiKeys: ['test-retell-key'],
  concurrencyLimit: 20,
  refusal: 'http-429' as RetellRefusalForm | 'rotate',
  timeScale: 1,
  durations: {
    ringSec: [3, 12],
    talkSec: [20, 90],
    voicemailSec: [15, 30],
    analysisDelaySec: [1, 3],
  } as Record<'ringSec' | 'talkSec' | 'voicemailSec' | 'analysisDelaySec', [number, number]>,
  outcomeMix: { answered: 6, no_answer: 2, busy: 1, voicemail: 1 } as Partial<Record<RetellFakeOutcome, number>>,
  seed: 1,
  maxFunctionSteps: 25,
  webhookTimeoutMs: 10_000,
};
