import type { CallOutcome } from '../voice-provider';

// Retell disconnection_reason → our outcome, in one place. Names are the enum of
// PhoneCallResponse.disconnection_reason in retell-sdk 5.66.1; a unit test walks that list so a
// reason added by a newer SDK cannot slip through unclassified without the test saying so.

export const DISCONNECTION_OUTCOMES: Readonly<Record<CallOutcome, readonly string[]>> = {
  completed: [
    'user_hangup',
    'agent_hangup',
    'call_transfer',
    'inactivity',
    'max_duration_reached',
    'transfer_bridged',
    // The person was on the line; only the hand-off to a human did not happen.
    'transfer_cancelled',
    'call_take_over',
  ],
  no_answer: ['dial_no_answer', 'user_declined', 'registered_call_timeout'],
  busy: ['dial_busy'],
  voicemail: ['voicemail_reached', 'ivr_reached'],
  capacity: ['concurrency_limit_reached', 'no_concurrency_fallback'],
  failed_transient: [
    'dial_failed',
    'telephony_provider_unavailable',
    'sip_routing_error',
    'error_llm_websocket_open',
    'error_llm_websocket_lost_connection',
    'error_llm_websocket_runtime',
    'error_llm_websocket_corrupt_payload',
    'error_no_audio_received',
    'error_asr',
    'error_retell',
    'error_unknown',
    'error_user_not_joined',
  ],
  failed_permanent: ['invalid_destination', 'marked_as_spam', 'scam_detected'],
  account_blocked: ['no_valid_payment', 'telephony_provider_permission_denied'],
  cancelled: ['manual_stopped'],
};

/** Unknown reasons (a newer API than our table) retry a bounded number of times. */
export const FALLBACK_OUTCOME: CallOutcome = 'failed_transient';

const EXACT = new Map<string, CallOutcome>(
  Object.entries(DISCONNECTION_OUTCOMES).flatMap(([outcome, reasons]) => reasons.map((r) => [r, outcome as CallOutcome] as const)),
);

export function classifyDisconnection(reason: string): { outcome: CallOutcome; matched: 'exact' | 'fallback' } {
  const exact = EXACT.get(reason);
  return exact ? { outcome: exact, matched: 'exact' } : { outcome: FALLBACK_OUTCOME, matched: 'fallback' };
}

export const outcomeForDisconnection = (reason: string): CallOutcome => classifyDisconnection(reason).outcome;
