import type { CallOutcome } from '../voice-provider';

// Vapi endedReason → our outcome, in one place (research/vapi.md §3.5; names from the SDK 2.0.1
// enum ServerMessageEndOfCallReportEndedReason, 597 values). Exact names first, then families by
// pattern, in order. A unit test walks the whole SDK enum so a new reason cannot slip through
// unclassified without the test saying so.

export const ENDED_REASON_OUTCOMES: Readonly<Record<CallOutcome, readonly string[]>> = {
  completed: [
    'customer-ended-call',
    'assistant-ended-call',
    'assistant-said-end-call-phrase',
    'assistant-ended-call-after-message-spoken',
    'assistant-ended-call-with-hangup-task',
    'assistant-forwarded-call',
    'exceeded-max-duration',
    'silence-timed-out',
    'customer-ended-call-before-warm-transfer',
    'customer-ended-call-after-warm-transfer-attempt',
    'customer-ended-call-during-transfer',
    'vonage-completed',
    'call.in-progress.twilio-completed-call',
    'call.in-progress.sip-completed-call',
    // The customer was on the line; only the hand-off to a human failed.
    'call.forwarding.operator-busy',
    'call.forwarding.no-answer',
    'call.ending.hook-executed-say',
    'call.ending.hook-executed-transfer',
    'call.in-progress.error-transfer-failed',
  ],
  no_answer: [
    'customer-did-not-answer',
    'call.ringing.hook-executed-say',
    'call.ringing.hook-executed-transfer',
    'call.ringing.sip-inbound-caller-hungup-before-call-connect',
  ],
  busy: ['customer-busy'],
  voicemail: ['voicemail'],
  capacity: ['call.start.error-subscription-concurrency-limit-reached'],
  failed_transient: [
    'twilio-failed-to-connect-call',
    'vonage-failed-to-connect-call',
    'vonage-disconnected',
    'call.in-progress.error-sip-outbound-call-failed-to-connect',
    'call.in-progress.error-sip-inbound-call-failed-to-connect',
    'call.ringing.error-sip-inbound-call-failed-to-connect',
    'call.in-progress.error-assistant-did-not-receive-customer-audio',
    'phone-call-provider-closed-websocket',
    'phone-call-provider-bypass-enabled-but-no-call-received',
    'worker-shutdown',
    'assistant-join-timed-out',
  ],
  failed_permanent: [
    'twilio-reported-customer-misdialed',
    'vonage-rejected',
    'call.start.error-vapi-number-international',
    'call.start.error-get-customer',
    'customer-did-not-give-microphone-permission',
  ],
  account_blocked: [
    'call.start.error-subscription-frozen',
    'call.start.error-subscription-insufficient-credits',
    'call.start.error-subscription-wallet-does-not-exist',
    'call.start.error-subscription-upgrade-failed',
    'call.start.error-fraud-check-failed',
    'call.start.error-vapi-number-outbound-daily-limit',
    'call.start.error-get-assistant',
    'call.start.error-get-phone-number',
    'call.start.error-get-resources-validation',
    'call.start.error-get-transport',
    'call.start.error-enterprise-feature-not-available-recording-consent',
    'call.start.assistant-version-error-validation',
    'call-start-error-neither-assistant-nor-server-set',
    'assistant-not-found',
    'assistant-not-valid',
  ],
  cancelled: ['manually-canceled', 'scheduled-call-deleted', 'call-deleted'],
};

/** Families of reasons, tried in order after the exact names. */
export const ENDED_REASON_PATTERNS: ReadonlyArray<readonly [RegExp, CallOutcome]> = [
  [/-vapifault-|-providerfault-/, 'failed_transient'],
  // Our configuration (model/transport combination) is wrong: every call would fail the same way.
  [/-configfault-/, 'account_blocked'],
  [/^pipeline-error-/, 'failed_transient'],
  // Our assistant-request webhook misbehaved: a configuration problem every call would repeat.
  [/^assistant-request-/, 'account_blocked'],
  [/^call\.in-progress\.error-warm-transfer-/, 'completed'],
  [/^call\.in-progress\.error-pipeline-/, 'failed_transient'],
];

/** Unknown reasons (a newer API than our table) retry a bounded number of times. */
export const FALLBACK_OUTCOME: CallOutcome = 'failed_transient';

const EXACT = new Map<string, CallOutcome>(
  Object.entries(ENDED_REASON_OUTCOMES).flatMap(([outcome, reasons]) => reasons.map((r) => [r, outcome as CallOutcome] as const)),
);

export function classifyEndedReason(endedReason: string): { outcome: CallOutcome; matched: 'exact' | 'pattern' | 'fallback' } {
  const exact = EXACT.get(endedReason);
  if (exact) return { outcome: exact, matched: 'exact' };
  for (const [pattern, outcome] of ENDED_REASON_PATTERNS) if (pattern.test(endedReason)) return { outcome, matched: 'pattern' };
  return { outcome: FALLBACK_OUTCOME, matched: 'fallback' };
}

export const outcomeForEndedReason = (endedReason: string): CallOutcome => classifyEndedReason(endedReason).outcome;
