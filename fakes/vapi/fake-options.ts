// Options of the Vapi fake. Every field is optional; defaults behave like a fresh Vapi account:
// 10 concurrent calls, no published rate limit, real-time calls, no webhooks until a server URL
// is known (from the call's assistantOverrides.server, the assistant's server, or `webhook.url`).

export const FAKE_OUTCOMES = ['answered', 'no_answer', 'busy', 'voicemail', 'failed', 'opt_out'] as const;
export type FakeOutcome = (typeof FAKE_OUTCOMES)[number];

/** The three ways Vapi refuses a call over the concurrency limit (research/vapi.md §2). */
export const REFUSAL_FORMS = ['http-400', 'blocked', 'ended-reason'] as const;
export type RefusalForm = (typeof REFUSAL_FORMS)[number];

export type WebhookAuth =
  | { type: 'none' }
  /** Bearer credential with headerName X-Vapi-Secret and no prefix: the legacy shared secret. */
  | { type: 'secret'; secret: string; headerName?: string }
  /** HmacAuthenticationPlan defaults: hex HMAC-SHA256 of "{timestamp}.{body}". */
  | { type: 'hmac'; secret: string; signatureHeader?: string; timestampHeader?: string; timestampUnit?: 'ms' | 's' };

export interface CallInfo {
  callId: string;
  number: string;
  attemptId: string | null;
  metadata: Record<string, unknown>;
}

/** A per-call script: the outcome, and the answers the "customer" gives to next_step questions. */
export interface CallScript {
  outcome: FakeOutcome;
  answers?: unknown[];
}

export interface ToolStepContext {
  step: number;
  /** The previous tool result (parsed JSON when it was JSON), undefined before the first call. */
  lastResult: unknown;
  call: CallInfo;
  outcome: FakeOutcome;
  /** Answers still unused from CallScript.answers. */
  answers: unknown[];
}

export interface VapiFakeOptions {
  port?: number;
  host?: string;
  /** Accepted Bearer tokens; each key is its own account with its own concurrency pool. */
  apiKeys?: string[];
  /** Live calls per account. Vapi's default is 10. */
  concurrencyLimit?: number;
  /** How a call over the limit is refused; 'rotate' cycles through the three forms. */
  refusal?: RefusalForm | 'rotate';
  /** Fixed-window request limit per account; over it → 429 with Retry-After. Off by default. */
  rateLimit?: { max: number; windowMs: number; scope?: 'create' | 'all' } | null;
  /** Wall-clock ms per simulated ms: 1 real time, 0.01 = 100× faster, 0 = as fast as possible. */
  timeScale?: number;
  /** Simulated seconds, each [min, max]. */
  durations?: Partial<Record<'queuedSec' | 'ringSec' | 'talkSec' | 'voicemailSec' | 'reportDelaySec', [number, number]>>;
  /** Relative weights; the default mix is 6 answered : 2 no answer : 1 busy : 1 voicemail. */
  outcomeMix?: Partial<Record<FakeOutcome, number>>;
  /** Decide a call's fate yourself (wins over the mix). */
  scriptFor?: (call: CallInfo) => FakeOutcome | CallScript | undefined;
  seed?: number;
  /** Known caller ids / assistants; when set, others get Vapi's 400. */
  phoneNumberIds?: string[];
  assistantIds?: string[];
  /** 'insufficient_credits' / 'frozen': every call ends at start with that endedReason. */
  account?: 'ok' | 'insufficient_credits' | 'frozen';
  webhook?: {
    /** The org-level server URL, used when the call and assistant name none. */
    url?: string;
    auth?: WebhookAuth;
    timeoutMs?: number;
    /** 0..1: deliver a message twice; drop it. For out-of-order / duplicate / lost-report tests. */
    duplicateRate?: number;
    dropRate?: number;
    dropTypes?: string[];
  };
  toolWalk?: {
    toolName?: string;
    maxSteps?: number;
    /** The arguments the "customer" reports at each step; default reads the instruction text. */
    answer?: (ctx: ToolStepContext) => Record<string, unknown>;
  };
  /** Where our attempt id sits in assistantOverrides.metadata. */
  attemptIdKey?: string;
  /** Added to every API response, before faults. */
  latencyMs?: number;
}

export const DEFAULTS = {
  host: '127.0.0.1',
  apiKeys: ['test-vapi-key'],
  concurrencyLimit: 10,
  refusal: 'http-400' as RefusalForm | 'rotate',
  timeScale: 1,
  durations: {
    queuedSec: [0.2, 0.5],
    ringSec: [3, 12],
    talkSec: [20, 90],
    voicemailSec: [15, 30],
    reportDelaySec: [1, 3],
  } as Record<'queuedSec' | 'ringSec' | 'talkSec' | 'voicemailSec' | 'reportDelaySec', [number, number]>,
  outcomeMix: { answered: 6, no_answer: 2, busy: 1, voicemail: 1 } as Partial<Record<FakeOutcome, number>>,
  seed: 1,
  attemptIdKey: 'attemptId',
  toolName: 'next_step',
  maxToolSteps: 25,
  webhookTimeoutMs: 20_000, // Vapi's server.timeoutSeconds default
};
