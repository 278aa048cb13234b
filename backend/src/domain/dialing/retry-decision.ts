import type { CallOutcome } from '../../providers/voice/voice-provider';
import type { TRetryPolicy } from '../campaigns/campaign.schemas';

// What an ended attempt means for its campaign contact, from the campaign's retry policy
// (pure). Capacity refusals never reach here: they are not attempts.
export type AttemptVerdict =
  /** A concurrency refusal reported after the call was accepted: requeue, not an attempt. */
  | { next: 'requeue'; at: Date; reason: 'capacity' }
  | { next: 'done'; reason: string }
  | { next: 'failed'; reason: string }
  | { next: 'retry_wait'; at: Date; reason: string };

export function decideAfterAttempt(input: {
  outcome: CallOutcome;
  /** The script's disposition rules may overrule the policy (e.g. opted out → never retry). */
  dispositionRetry?: boolean | null;
  optedOut: boolean;
  attemptsMade: number;
  maxAttempts: number;
  policy: TRetryPolicy;
  now: Date;
  capacityRetryMs?: number;
}): AttemptVerdict {
  const { outcome, policy, now } = input;
  if (outcome === 'capacity') return { next: 'requeue', at: new Date(now.getTime() + (input.capacityRetryMs ?? 5_000)), reason: 'capacity' };
  if (input.optedOut) return { next: 'done', reason: 'opted_out' };
  if (outcome === 'completed') {
    if (input.dispositionRetry) return retryOrStop(input, 'no_answer', 'disposition_retry');
    return { next: 'done', reason: 'completed' };
  }
  if (outcome === 'failed_permanent') return { next: 'failed', reason: 'failed_permanent' };
  if (outcome === 'account_blocked') return { next: 'failed', reason: 'account_blocked' };
  if (outcome === 'cancelled') return { next: 'failed', reason: 'cancelled_by_provider' };
  const rule = outcome === 'no_answer' || outcome === 'busy' || outcome === 'voicemail' ? outcome : 'failed';
  if (!policy[rule].retry) return { next: outcome === 'voicemail' ? 'done' : 'failed', reason: outcome };
  return retryOrStop(input, rule, outcome);
  function retryOrStop(i: typeof input, r: keyof TRetryPolicy, reason: string): AttemptVerdict {
    if (i.attemptsMade >= i.maxAttempts) return { next: outcome === 'voicemail' ? 'done' : 'failed', reason: `${reason}_max_attempts` };
    return { next: 'retry_wait', at: new Date(now.getTime() + policy[r].delayMinutes * 60_000), reason };
  }
}
