import { APIConnectionTimeoutError, APIError } from 'retell-sdk';
import { VoiceProviderError, type AccountProblem, type PlaceCallResult, type ProviderFailure } from '../voice-provider';

// What a failed Retell request means for the dialer, in one table. The create path returns a
// PlaceCallResult; reads throw VoiceProviderError. Retell's error bodies carry a `message`.
//  - 429 naming concurrency → capacity (requeue, not an attempt); any other 429 → rate limited
//    for Retry-After;
//  - 401 / 402 / 403 → the account (pause the campaign);
//  - 408, 5xx, timeouts, network → transient (ambiguous: the call may exist);
//  - other 4xx → rejected (this call only).

type Refusal = Exclude<PlaceCallResult, { kind: 'placed' }>;

const DEFAULT_RETRY_AFTER_MS = 1_000;
const MAX_RETRY_AFTER_MS = 10 * 60_000;

export function classifyRetellCreateError(error: unknown): Refusal {
  const status = statusOf(error);
  if (status === undefined) return { kind: 'transient', error: failureOf(error) };
  const text = bodyText(error);
  if (/concurrency/i.test(text) && (status === 429 || status === 400)) return { kind: 'capacity', signal: 'http_400' };
  if (status === 429) return { kind: 'rate_limited', retryAfterMs: retryAfterMs(error) };
  const account = accountProblem(status, text);
  if (account) return { kind: 'account', problem: account, reason: accountReason(account, status, text) };
  if (status === 408 || status >= 500) return { kind: 'transient', error: failureOf(error) };
  return { kind: 'rejected', error: failureOf(error) };
}

/** For getCall / listCalls. A 404 on get-call is not an error (the caller gets null). */
export function toRetellReadError(error: unknown): VoiceProviderError {
  const status = statusOf(error);
  const failure = failureOf(error);
  if (status === 429) return new VoiceProviderError('rate_limited', failure.message, { status, code: failure.code, retryAfterMs: retryAfterMs(error) });
  const account = status === undefined ? undefined : accountProblem(status, bodyText(error));
  if (account) return new VoiceProviderError('account', accountReason(account, status!, bodyText(error)), { status, code: failure.code, problem: account });
  if (status === undefined || status === 408 || status >= 500) return new VoiceProviderError('transient', failure.message, { status, code: failure.code });
  return new VoiceProviderError('rejected', failure.message, { status, code: failure.code });
}

function accountProblem(status: number, text: string): AccountProblem | undefined {
  if (status === 401) return 'unauthorized';
  if (status === 402) return 'payment_required';
  if (status === 403) return 'forbidden';
  // The caller number or the agent is unusable: every further call would fail the same way.
  if (status === 400 || status === 404 || status === 422) {
    if (/from[_ ]number|phone number.*(not found|not owned|not purchased)/i.test(text)) return 'invalid_phone_number';
    if (/agent/i.test(text)) return 'invalid_assistant';
  }
  return undefined;
}

const ACCOUNT_SENTENCES: Record<AccountProblem, string> = {
  unauthorized: 'Retell rejected the API key',
  payment_required: 'Retell requires payment on this account',
  forbidden: 'Retell refused access for this API key',
  insufficient_credits: 'The Retell account is out of credits',
  account_suspended: 'The Retell account cannot place calls',
  invalid_phone_number: 'Retell does not accept the caller number',
  invalid_assistant: 'Retell does not accept the agent',
};

function accountReason(problem: AccountProblem, status: number, text: string): string {
  return `${ACCOUNT_SENTENCES[problem]} (HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}).`;
}

export const statusOf = (error: unknown): number | undefined => (error instanceof APIError && typeof error.status === 'number' ? error.status : undefined);

export function bodyText(error: unknown): string {
  if (!(error instanceof APIError)) return '';
  const body = error.error as unknown;
  if (typeof body === 'string') return body.slice(0, 500);
  if (body && typeof body === 'object') {
    const m = (body as { message?: unknown; error_message?: unknown }).message ?? (body as { error_message?: unknown }).error_message;
    if (typeof m === 'string') return m;
    if (Array.isArray(m)) return m.map(String).join('; ');
  }
  return '';
}

function failureOf(error: unknown): ProviderFailure {
  if (error instanceof APIConnectionTimeoutError) return { code: 'timeout', message: 'Retell did not answer before the request timeout.' };
  const status = statusOf(error);
  if (status !== undefined) return { code: `http_${status}`, status, message: `Retell answered HTTP ${status}${bodyText(error) ? `: ${bodyText(error).slice(0, 200)}` : ''}.` };
  const code = causeCode(error) ?? 'network';
  return { code, message: `The request to Retell failed before an answer (${code}).` };
}

// fetch failures carry the socket error (ECONNREFUSED, ECONNRESET, UND_ERR_*) a cause or two down.
function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3), bounded; 1 s when absent. */
export function retryAfterMs(error: unknown, now = Date.now()): number {
  const value = error instanceof APIError ? error.headers?.get('retry-after')?.trim() : undefined;
  if (!value) return DEFAULT_RETRY_AFTER_MS;
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : new Date(value).getTime() - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : DEFAULT_RETRY_AFTER_MS;
}
