import type { CallOutcome } from '../../providers/voice/voice-provider';
import { readRetryPolicy } from '../campaigns/campaign-validation';
import { logger } from '../../platform/logger';
import type { DialingDeps } from './dialing-deps';
import { decideAfterAttempt } from './retry-decision';
import { completeCampaignIfDone } from './campaign-progress.service';

// The end of one attempt, whoever learns of it first (end-of-call webhook or the reconciler):
// the live-call lease is released, and the campaign contact moves on by the campaign's retry
// policy. Idempotent: a second report for the same attempt finds nothing left to move.
export interface AttemptEnd {
  callId: string;
  outcome: CallOutcome;
  optedOut?: boolean;
  /** From the script's disposition rules, when they decided. */
  dispositionRetry?: boolean | null;
}

export async function finishAttempt(deps: Pick<DialingDeps, 'db' | 'leases' | 'now' | 'policy'>, end: AttemptEnd): Promise<{ contactState: string | null }> {
  const { db, leases } = deps;
  const call = await db.call.findUnique({
    where: { id: end.callId },
    select: { id: true, portalId: true, campaignId: true, campaignContactId: true, providerAccount: true },
  });
  if (!call) return { contactState: null };
  if (call.providerAccount) await leases.release({ accountKey: call.providerAccount, campaignId: call.campaignId }, call.id);
  if (!call.campaignContactId || !call.campaignId) return { contactState: null };

  const [cc, campaign] = await Promise.all([
    db.campaignContact.findUnique({ where: { id: call.campaignContactId } }),
    db.campaign.findUnique({ where: { id: call.campaignId }, select: { id: true, portalId: true, maxAttempts: true, retryPolicy: true, state: true } }),
  ]);
  if (!cc || !campaign) return { contactState: null };
  // Only an attempt that is still this contact's live one moves it (a late duplicate does not).
  if (cc.state !== 'dialing' && cc.state !== 'in_call') return { contactState: cc.state };

  const now = deps.now();
  const verdict = decideAfterAttempt({
    outcome: end.outcome,
    optedOut: Boolean(end.optedOut),
    dispositionRetry: end.dispositionRetry,
    attemptsMade: cc.attempts,
    maxAttempts: campaign.maxAttempts,
    policy: readRetryPolicy(campaign.retryPolicy),
    now,
    capacityRetryMs: deps.policy.capacityRetryMs,
  });
  if (verdict.next === 'requeue') {
    // Vapi accepted the call and then refused it for concurrency: give the attempt back.
    const { count } = await db.campaignContact.updateMany({
      where: { id: cc.id, state: { in: ['dialing', 'in_call'] } },
      data: { state: 'retry_wait', nextAttemptAt: verdict.at, attempts: { decrement: 1 }, lastOutcome: 'capacity' },
    });
    return { contactState: count === 1 ? 'retry_wait' : cc.state };
  }
  // A cancelled or completed campaign schedules no more calls. The contact was called, so it ends
  // failed (unreached), not cancelled: a placed call is never "cancelled" (campaign-states.ts).
  const ended = campaign.state === 'cancelled' || campaign.state === 'completed';
  const next = verdict.next === 'retry_wait' && ended ? 'failed' : verdict.next;
  const moved = await db.campaignContact.updateMany({
    where: { id: cc.id, state: { in: ['dialing', 'in_call'] } },
    data: {
      state: next,
      lastOutcome: end.optedOut ? 'opted_out' : end.outcome,
      nextAttemptAt: verdict.next === 'retry_wait' && next === 'retry_wait' ? verdict.at : null,
      skipReason: verdict.next === 'retry_wait' && ended ? 'campaign_ended' : null,
    },
  });
  if (moved.count === 1) {
    logger.info('attempt finished', { callId: call.id, campaignId: campaign.id, outcome: end.outcome, next, reason: verdict.reason });
    if (next !== 'retry_wait') await completeCampaignIfDone(db, campaign.portalId, campaign.id, now);
  }
  return { contactState: next };
}
