import { decideAfterAttempt } from '../../backend/src/domain/dialing/retry-decision';
import { DEFAULT_RETRY_POLICY } from '../../backend/src/domain/campaigns/campaign-validation';

const now = new Date('2026-11-24T15:00:00Z');
const base = { optedOut: false, attemptsMade: 1, maxAttempts: 3, policy: DEFAULT_RETRY_POLICY, now };

describe('what an ended attempt means for its contact', () => {
  it('a completed call is done; an opt-out is done whatever the outcome', () => {
    expect(decideAfterAttempt({ ...base, outcome: 'completed' })).toEqual({ next: 'done', reason: 'completed' });
    expect(decideAfterAttempt({ ...base, outcome: 'no_answer', optedOut: true })).toEqual({ next: 'done', reason: 'opted_out' });
  });

  it('retries no answer, busy and voicemail after the policy delay', () => {
    expect(decideAfterAttempt({ ...base, outcome: 'no_answer' })).toEqual({ next: 'retry_wait', at: new Date(now.getTime() + 240 * 60_000), reason: 'no_answer' });
    expect(decideAfterAttempt({ ...base, outcome: 'busy' })).toEqual({ next: 'retry_wait', at: new Date(now.getTime() + 30 * 60_000), reason: 'busy' });
    expect(decideAfterAttempt({ ...base, outcome: 'voicemail' })).toMatchObject({ next: 'retry_wait', reason: 'voicemail' });
    expect(decideAfterAttempt({ ...base, outcome: 'failed_transient' })).toEqual({ next: 'retry_wait', at: new Date(now.getTime() + 60 * 60_000), reason: 'failed_transient' });
  });

  it('stops at max attempts: voicemail ends done, the others failed', () => {
    expect(decideAfterAttempt({ ...base, attemptsMade: 3, outcome: 'no_answer' })).toEqual({ next: 'failed', reason: 'no_answer_max_attempts' });
    expect(decideAfterAttempt({ ...base, attemptsMade: 3, outcome: 'voicemail' })).toEqual({ next: 'done', reason: 'voicemail_max_attempts' });
  });

  it('follows a policy that says not to retry', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, busy: { retry: false, delayMinutes: 30 } };
    expect(decideAfterAttempt({ ...base, policy, outcome: 'busy' })).toEqual({ next: 'failed', reason: 'busy' });
  });

  it('never retries a permanent failure or a blocked account', () => {
    expect(decideAfterAttempt({ ...base, outcome: 'failed_permanent' }).next).toBe('failed');
    expect(decideAfterAttempt({ ...base, outcome: 'account_blocked' }).next).toBe('failed');
  });

  it('requeues a late concurrency refusal without spending the attempt', () => {
    expect(decideAfterAttempt({ ...base, outcome: 'capacity', capacityRetryMs: 7000 })).toEqual({ next: 'requeue', at: new Date(now.getTime() + 7000), reason: 'capacity' });
  });

  it('lets the script ask for a retry of a connected call', () => {
    expect(decideAfterAttempt({ ...base, outcome: 'completed', dispositionRetry: true })).toMatchObject({ next: 'retry_wait', reason: 'disposition_retry' });
  });
});
