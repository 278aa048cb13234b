// The voice-provider port: what the dialer and the webhook route need from Vapi (Retell later),
// in our own types. Adapters (providers/voice/<name>/) translate; nothing here names an SDK.
// design.md §4 (never twice, leases, webhooks at-least-once) explains the shape of each method.

/** Provider-specific JSON built by that provider's script mapping (e.g. Vapi assistantOverrides). */
export type ProviderJson = Record<string, unknown>;

export interface CallPlan {
  /** Our attempt id (Call.id). Sent as assistantOverrides.metadata.attemptId; reconciliation keys on it. */
  attemptId: string;
  /** A saved assistant, or a transient one built by the script mapping. */
  agent: { kind: 'saved'; assistantId: string } | { kind: 'transient'; assistant: ProviderJson };
  /** Already built by the script mapping (variableValues, firstMessage, tools, server…). */
  overrides?: ProviderJson;
  /** The provider's id of the caller number (Vapi phoneNumberId). */
  callerId: string;
  customer: { number: string; name?: string; externalId?: string };
  /** Extra correlation ids echoed back in every webhook (portalId, campaignId…); attemptId always wins. */
  metadata?: Record<string, string | number | boolean | null>;
  /** Free-text label shown in the provider's dashboard. */
  label?: string;
}

/** Our view of a provider call's life; a late event never moves it backwards (see STATUS_RANK). */
export type ProviderCallStatus = 'queued' | 'ringing' | 'in_progress' | 'forwarding' | 'ended';
export const STATUS_RANK: Record<ProviderCallStatus, number> = { queued: 0, ringing: 1, in_progress: 2, forwarding: 3, ended: 4 };

/** What an ended call means for the campaign. Each provider maps its own reasons onto these. */
export const CALL_OUTCOMES = [
  'completed', // connected and ended normally: the only outcome whose summary may go to HubSpot
  'no_answer', // retry per policy
  'busy', // retry per policy
  'voicemail', // policy: retry or final
  'capacity', // provider concurrency refusal: requeue, NOT an attempt
  'failed_transient', // provider/carrier fault: retry up to N
  'failed_permanent', // bad or unreachable number: final
  'account_blocked', // credits, frozen account, missing assistant/number: pause the campaign
  'cancelled', // deleted or cancelled on the provider side
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export interface ProviderFailure {
  /** A sentence safe to show an operator (no tokens, no full phone numbers). */
  message: string;
  /** HTTP status when there was a response. */
  status?: number;
  /** Short machine code: 'timeout', 'network', 'http_503', 'bad_response', 'ECONNRESET'… */
  code: string;
}

export type AccountProblem = 'unauthorized' | 'payment_required' | 'forbidden' | 'insufficient_credits' | 'invalid_phone_number' | 'invalid_assistant' | 'account_suspended';

export type PlaceCallResult =
  /** Accepted: store providerCallId on the attempt now. */
  | { kind: 'placed'; providerCallId: string; status: ProviderCallStatus }
  /** Concurrency refusal in any of its forms: requeue, not an attempt. A blocked call may still carry an id. */
  | { kind: 'capacity'; signal: 'http_400' | 'concurrency_blocked' | 'ended_reason'; providerCallId?: string }
  /** 429: wait retryAfterMs (worker.rateLimit) and try again; no call exists. */
  | { kind: 'rate_limited'; retryAfterMs: number }
  /** 5xx, timeout, network: AMBIGUOUS, the call may exist. Reconcile by attempt id; never blindly retry. */
  | { kind: 'transient'; error: ProviderFailure }
  /** Definitive 4xx (validation, bad customer number): no call exists, retrying will not help. */
  | { kind: 'rejected'; error: ProviderFailure }
  /** Credentials, credits, caller id or assistant unusable: pause the campaign with this reason. */
  | { kind: 'account'; problem: AccountProblem; reason: string };

export interface CallMessage {
  role: 'system' | 'assistant' | 'user' | 'tool_call' | 'tool_result' | 'other';
  text: string | null;
  secondsFromStart: number | null;
  /** Tool name / call id / result for tool roles; absent otherwise. */
  tool?: { name?: string; callId?: string; result?: unknown };
}

/** The final facts of an ended call, from an end-of-call report or from GET call (reconciler). */
export interface CallReport {
  providerCallId: string;
  attemptId: string | null;
  metadata: Record<string, unknown>;
  endedReason: string;
  outcome: CallOutcome;
  startedAt: Date | null;
  endedAt: Date | null;
  durationSec: number | null;
  /** USD. */
  cost: number | null;
  transcript: string | null;
  /** Model-written; may be invented for calls that never connected (see research/vapi.md §3.4). */
  summary: string | null;
  messages: CallMessage[];
  /** Structured outputs by name (Vapi artifact.structuredOutputs) merged over analysis.structuredData. */
  structuredOutputs: Record<string, unknown>;
  successEvaluation: string | null;
  /** True when a structured output named like optOut / doNotCall is truthy. The script may decide more. */
  optOutRequested: boolean;
  recordingUrl: string | null;
  stereoRecordingUrl: string | null;
}

/** A call as the provider reports it now (GET call / list). `report` is set once it has ended. */
export interface ProviderCall {
  providerCallId: string;
  attemptId: string | null;
  metadata: Record<string, unknown>;
  status: ProviderCallStatus | null;
  createdAt: Date | null;
  endedReason: string | null;
  report: CallReport | null;
}

export interface ToolCallRequest {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

interface EventBase {
  /** Unique per distinct event; a repeat delivery yields the same key (ProviderEvent.dedupeKey). */
  dedupeKey: string;
  /** The provider's type string, as received. */
  type: string;
  providerCallId: string | null;
  attemptId: string | null;
  metadata: Record<string, unknown>;
  occurredAt: Date | null;
}

export type VoiceEvent =
  | (EventBase & { kind: 'status'; status: ProviderCallStatus; endedReason: string | null })
  | (EventBase & { kind: 'ended'; report: CallReport })
  | (EventBase & { kind: 'transcript'; role: 'assistant' | 'user'; final: boolean; text: string })
  | (EventBase & { kind: 'tool_calls'; toolCalls: ToolCallRequest[] })
  | (EventBase & { kind: 'hang' })
  /** Any other type, or a status we do not model: store it, answer 2xx, apply nothing. */
  | (EventBase & { kind: 'unknown' });

export type ParseEventResult = { ok: true; event: VoiceEvent } | { ok: false; issue: string };

export type WebhookVerification =
  | { ok: true; method: 'secret' | 'hmac' }
  | { ok: false; reason: 'not_configured' | 'missing' | 'mismatch' | 'stale_timestamp' | 'bad_timestamp' };

export type WebhookHeaders = Record<string, string | string[] | undefined>;

/** Thrown by getCall / listCalls (placeCall never throws: it returns PlaceCallResult). */
export class VoiceProviderError extends Error {
  constructor(
    readonly kind: 'transient' | 'rate_limited' | 'rejected' | 'account',
    message: string,
    readonly details: { status?: number; code?: string; retryAfterMs?: number; problem?: AccountProblem } = {},
  ) {
    super(message);
    this.name = 'VoiceProviderError';
  }
}

export interface ListCallsQuery {
  createdAtGe: Date;
  createdAtLe?: Date;
  /** Page size; the provider caps it (Vapi: default 100). */
  limit?: number;
}

export interface VoiceProvider {
  readonly name: string;
  /** One create request, never retried inside (SDK retries off). */
  placeCall(plan: CallPlan): Promise<PlaceCallResult>;
  /** null when the provider does not know the id. */
  getCall(providerCallId: string): Promise<ProviderCall | null>;
  listCalls(query: ListCallsQuery): Promise<ProviderCall[]>;
  /**
   * Calls whose metadata names this attempt, when the provider can filter on metadata (Retell's
   * list-calls can). Absent: reconciliation scans time windows with listCalls instead.
   */
  findCallsByAttempt?(attemptId: string): Promise<{ calls: ProviderCall[]; complete: boolean }>;
  verifyWebhook(rawBody: Buffer, headers: WebhookHeaders): WebhookVerification;
  parseEvent(json: unknown): ParseEventResult;
}
