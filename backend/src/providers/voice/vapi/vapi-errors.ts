// The classes the bundled SDK throws (vapi.client.ts), so instanceof holds.
import { VapiError, VapiTimeoutError } from '../../../generated/vapi-sdk';
import { VoiceProviderError, type AccountProblem, type PlaceCallResult, type ProviderFailure } from '../voice-provider';

// What a failed Vapi request means for the dialer, in one table (design.md §6, research/vapi.md
// §1–2). The create path returns a PlaceCallResult; reads throw VoiceProviderError. Vapi's error
// bodies are NestJS-shaped: {"message": ["…"] | "…", "error": "Bad Request", "statusCode": 400}.

type Refusal = Exclude<PlaceCallResult, { kind: 'placed' }>;

const DEFAULT_RETRY_AFTER_MS = 1_000;
const MAX_RETRY_AFTER_MS = 10 * 60_000;

// 400 bodies that are about the account or its configuration, not this one call: every further
// call would fail the same way, so the campaign pauses. Checked after the concurrency test.
const ACCOUNT_400: ReadonlyArray<readonly [RegExp, AccountProblem]> = [
  [/credit|wallet|balance|billing|payment/i, 'insufficient_credits'],
  [/frozen|suspended|fraud|daily limit|subscription/i, 'account_suspended'],
  [/phone ?number|phoneNumberId/i, 'invalid_phone_number'],
  [/assistant/i, 'invalid_assistant'],
];

export function classifyCreateError(error: unknown): Refusal {
  const status = statusOf(error);
  if (status === undefined) return { kind: 'transient', error: failureOf(error) };
  const text = bodyText(error);
  if (status === 429) return { kind: 'rate_limited', retryAfterMs: retryAfterMs(error) };
  if (status === 400 && /concurrency/i.test(text)) return { kind: 'capacity', signal: 'http_400' };
  const account = accountProblem(status, text);
  if (account) return { kind: 'account', problem: account, reason: accountReason(account, status, text) };
  if (status === 408 || status >= 500) return { kind: 'transient', error: failureOf(error) };
  return { kind: 'rejected', error: failureOf(error) };
}

/** For getCall/listCalls. A 404 on GET /call/:id is not an error (the caller gets null). */
export function toReadError(error: unknown): VoiceProviderError {
  const status = statusOf(error);
  const failure = failureOf(error);
  if (status === 429) return new VoiceProviderError('rate_limited', failure.message, { status, code: failure.code, retryAfterMs: retryAfterMs(error) });
  const account = status === undefined ? undefined : accountProblem(status, bodyText(error));
  if (account && status !== 400) return new VoiceProviderError('account', accountReason(account, status!, bodyText(error)), { status, code: failure.code, problem: account });
  if (status === undefined || status === 408 || status >= 500) return new VoiceProviderError('transient', failure.message, { status, code: failure.code });
  return new VoiceProviderError('rejected', failure.message, { status, code: failure.code });
}

function accountProblem(status: number, text: string): AccountProblem | undefined {
  if (status === 401) return 'unauthorized';
  if (status === 402) return 'payment_required';
  if (status === 403) return 'forbidden';
  // A complaint about the customer (their number, name…) concerns this one call only.
  if ((status === 400 || status === 404) && !/customer/i.test(text)) return ACCOUNT_400.find(([re]) => re.test(text))?.[1];
  return undefined;
}

const ACCOUNT_SENTENCES: Record<AccountProblem, string> = {
  unauthorized: 'Vapi rejected the API key',
  payment_required: 'Vapi requires payment on this account',
  forbidden: 'Vapi refused access for this API key',
  insufficient_credits: 'The Vapi account is out of credits',
  account_suspended: 'The Vapi account or subscription cannot place calls',
  invalid_phone_number: 'Vapi does not accept the caller phone number id',
  invalid_assistant: 'Vapi does not accept the assistant',
};

function accountReason(problem: AccountProblem, status: number, text: string): string {
  const detail = text ? `: ${text.slice(0, 200)}` : '';
  return `${ACCOUNT_SENTENCES[problem]} (HTTP ${status}${detail}).`;
}

export const statusOf = (error: unknown): number | undefined => (error instanceof VapiError && typeof error.statusCode === 'number' ? error.statusCode : undefined);

/** The body's message(s) as one line; the SDK keeps non-JSON bodies as a string. */
export function bodyText(error: unknown): string {
  if (!(error instanceof VapiError)) return '';
  const body = error.body as unknown;
  if (typeof body === 'string') return body.slice(0, 500);
  if (body && typeof body === 'object') {
    const m = (body as { message?: unknown }).message;
    if (Array.isArray(m)) return m.map(String).join('; ');
    if (typeof m === 'string') return m;
    const e = (body as { error?: unknown }).error;
    if (typeof e === 'string') return e;
  }
  return '';
}

// SDK 2.0.1 aborts a timed-out fetch with the reason string "timeout", which Node's fetch rethrows
// as-is: it surfaces as a plain VapiError whose cause is "timeout", not as VapiTimeoutError
// (seen against the fake). Both spellings mean the same thing.
const isTimeout = (error: unknown) => error instanceof VapiTimeoutError || (error instanceof VapiError && error.statusCode === undefined && error.cause === 'timeout');

function failureOf(error: unknown): ProviderFailure {
  if (isTimeout(error)) return { code: 'timeout', message: 'Vapi did not answer before the request timeout.' };
  const status = statusOf(error);
  if (status !== undefined) return { code: `http_${status}`, status, message: `Vapi answered HTTP ${status}${bodyText(error) ? `: ${bodyText(error).slice(0, 200)}` : ''}.` };
  const code = causeCode(error) ?? 'network';
  return { code, message: `The request to Vapi failed before an answer (${code}).` };
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
  const headers = error instanceof VapiError ? (error.rawResponse?.headers as Headers | undefined) : undefined;
  const value = headers?.get?.('retry-after')?.trim();
  if (!value) return DEFAULT_RETRY_AFTER_MS;
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : new Date(value).getTime() - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : DEFAULT_RETRY_AFTER_MS;
}
