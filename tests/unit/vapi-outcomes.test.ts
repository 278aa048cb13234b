import { Vapi } from '@vapi-ai/server-sdk';
import { classifyEndedReason, ENDED_REASON_OUTCOMES, outcomeForEndedReason } from '../../backend/src/providers/voice/vapi/vapi-outcomes';
import { CALL_OUTCOMES } from '../../backend/src/providers/voice/voice-provider';

const allReasons = Object.values(Vapi.ServerMessageEndOfCallReportEndedReason) as string[];

describe('Vapi endedReason → outcome table', () => {
  it('classifies every reason in the SDK enum without falling back', () => {
    expect(allReasons.length).toBeGreaterThan(500);
    const unclassified = allReasons.filter((r) => classifyEndedReason(r).matched === 'fallback');
    expect(unclassified).toEqual([]);
  });

  it('lists only reasons the SDK knows, each under one outcome, every outcome present', () => {
    const known = new Set(allReasons);
    const listed = Object.values(ENDED_REASON_OUTCOMES).flat();
    expect(listed.filter((r) => !known.has(r))).toEqual([]);
    expect(new Set(listed).size).toBe(listed.length);
    expect(Object.keys(ENDED_REASON_OUTCOMES).sort()).toEqual([...CALL_OUTCOMES].sort());
  });

  it.each([
    ['customer-ended-call', 'completed'],
    ['assistant-said-end-call-phrase', 'completed'],
    ['exceeded-max-duration', 'completed'],
    ['customer-did-not-answer', 'no_answer'],
    ['customer-busy', 'busy'],
    ['voicemail', 'voicemail'],
    ['call.start.error-subscription-concurrency-limit-reached', 'capacity'],
    ['twilio-failed-to-connect-call', 'failed_transient'],
    ['call.in-progress.error-vapifault-openai-voice-failed', 'failed_transient'],
    ['call.in-progress.error-providerfault-outbound-sip-503-service-unavailable', 'failed_transient'],
    ['pipeline-error-openai-llm-failed', 'failed_transient'],
    ['twilio-reported-customer-misdialed', 'failed_permanent'],
    ['call.start.error-vapi-number-international', 'failed_permanent'],
    ['call.start.error-subscription-insufficient-credits', 'account_blocked'],
    ['call.start.error-subscription-frozen', 'account_blocked'],
    ['call.start.error-get-phone-number', 'account_blocked'],
    ['assistant-not-found', 'account_blocked'],
    ['manually-canceled', 'cancelled'],
    ['call-deleted', 'cancelled'],
  ])('%s → %s', (reason, outcome) => {
    expect(allReasons).toContain(reason);
    expect(outcomeForEndedReason(reason)).toBe(outcome);
  });

  it('a reason newer than our table retries a bounded number of times', () => {
    expect(classifyEndedReason('something-vapi-adds-next-year')).toEqual({ outcome: 'failed_transient', matched: 'fallback' });
  });
});
