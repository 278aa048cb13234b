// Vapi's endedReason (≈600 values) folded into the classes a campaign acts on, following the
// grouping in research/vapi.md §3.5 (source: fern/calls/call-ended-reason.mdx). Exact names
// first, then the fault families by pattern; anything new is "unknown" rather than a guess.

export const OUTCOME_CLASSES = [
  'completed',
  'no_answer',
  'busy',
  'voicemail',
  'capacity',
  'failed_transient',
  'failed_permanent',
  'account_blocked',
  'cancelled',
  'unknown',
] as const;
export type OutcomeClass = (typeof OUTCOME_CLASSES)[number];

const EXACT: Record<string, OutcomeClass> = {
  'customer-ended-call': 'completed',
  'assistant-ended-call': 'completed',
  'assistant-said-end-call-phrase': 'completed',
  'assistant-ended-call-after-message-spoken': 'completed',
  'assistant-ended-call-with-hangup-task': 'completed',
  'assistant-forwarded-call': 'completed',
  'exceeded-max-duration': 'completed',
  'silence-timed-out': 'completed',
  'customer-did-not-answer': 'no_answer',
  'customer-busy': 'busy',
  voicemail: 'voicemail',
  'call.start.error-subscription-concurrency-limit-reached': 'capacity',
  'twilio-reported-customer-misdialed': 'failed_permanent',
  'vonage-rejected': 'failed_permanent',
  'call.start.error-vapi-number-international': 'failed_permanent',
  'call.start.error-get-customer': 'failed_permanent',
  'call.start.error-subscription-frozen': 'account_blocked',
  'call.start.error-fraud-check-failed': 'account_blocked',
  'call.start.error-vapi-number-outbound-daily-limit': 'account_blocked',
  'assistant-not-found': 'account_blocked',
  'assistant-not-valid': 'account_blocked',
  'call.start.error-get-assistant': 'account_blocked',
  'call.start.error-get-phone-number': 'account_blocked',
  'manually-canceled': 'cancelled',
  'scheduled-call-deleted': 'cancelled',
  'call-deleted': 'cancelled',
  'twilio-failed-to-connect-call': 'failed_transient',
  'vonage-failed-to-connect-call': 'failed_transient',
  'call.in-progress.error-sip-outbound-call-failed-to-connect': 'failed_transient',
  'phone-call-provider-closed-websocket': 'failed_transient',
  'worker-shutdown': 'failed_transient',
  'assistant-join-timed-out': 'failed_transient',
};

const PATTERNS: Array<[RegExp, OutcomeClass]> = [
  [/^customer-ended-call.*transfer/, 'completed'],
  [/insufficient-credits|wallet-does-not-exist/, 'account_blocked'],
  [/vapifault|providerfault|^pipeline-error-/, 'failed_transient'],
];

export function classifyEndedReason(reason: string | null | undefined): OutcomeClass {
  if (!reason) return 'unknown';
  const exact = Object.prototype.hasOwnProperty.call(EXACT, reason) ? EXACT[reason] : undefined;
  return exact ?? PATTERNS.find(([re]) => re.test(reason))?.[1] ?? 'unknown';
}
