import type { Db } from '../../platform/prisma';
import { skipReasonInWords } from './skip-reasons';
import type { OutputFields, WorkflowOutcome } from './workflow-action.schemas';

// The output fields a workflow branches on, from the campaign contact's final state and its last
// call. Every field is always present (empty when unknown) so a branch never reads a missing value.

const SUMMARY_MAX = 2000;

function fields(state: 'SUCCESS' | 'FAIL_CONTINUE', f: { outcome: WorkflowOutcome; disposition?: string | null; durationSec?: number | null; summary?: string | null; skipReason?: string | null }): OutputFields {
  return {
    hs_execution_state: state,
    outcome: f.outcome,
    disposition: f.disposition ?? '',
    durationSeconds: String(Math.max(0, Math.round(f.durationSec ?? 0))),
    summary: (f.summary ?? '').slice(0, SUMMARY_MAX),
    skipReason: f.skipReason ?? '',
  };
}

/** Not called: skipped before or at dial time. SUCCESS, so the workflow branches on skipReason. */
export const skippedOutputs = (reason: string) => fields('SUCCESS', { outcome: 'skipped', skipReason: reason, summary: skipReasonInWords(reason) });

/** The action itself could not run (no such campaign, app not installed): FAIL_CONTINUE. */
export const failedOutputs = (reason: string) => fields('FAIL_CONTINUE', { outcome: 'skipped', skipReason: reason, summary: skipReasonInWords(reason) });

export const expiredOutputs = () => fields('SUCCESS', { outcome: 'expired', skipReason: 'workflow_expired', summary: skipReasonInWords('workflow_expired') });

const OUTCOME_OF: Record<string, WorkflowOutcome> = {
  completed: 'completed',
  voicemail: 'voicemail',
  no_answer: 'no_answer',
  busy: 'busy',
  cancelled: 'cancelled',
};

/** Outputs for a campaign contact in a final state (done, failed, skipped, cancelled). */
export async function outputsForCampaignContact(db: Db, campaignContactId: string): Promise<OutputFields> {
  const cc = await db.campaignContact.findUnique({ where: { id: campaignContactId }, select: { state: true, skipReason: true } });
  if (!cc) return failedOutputs('campaign_not_found');
  if (cc.state === 'skipped') return skippedOutputs(cc.skipReason ?? 'unknown');
  const call = await db.call.findFirst({
    where: { campaignContactId, outcome: { not: null }, placedAt: { not: null } },
    orderBy: { attemptNumber: 'desc' },
    select: { outcome: true, disposition: true, durationSec: true, summary: true },
  });
  if (!call) {
    // Cancelled (or failed) before any call ended: nothing was said to anyone.
    return cc.state === 'cancelled' ? fields('SUCCESS', { outcome: 'cancelled', skipReason: cc.skipReason ?? 'campaign_ended', summary: skipReasonInWords(cc.skipReason ?? 'campaign_ended') }) : fields('SUCCESS', { outcome: 'failed', skipReason: cc.skipReason });
  }
  return fields('SUCCESS', {
    outcome: OUTCOME_OF[call.outcome!] ?? 'failed',
    disposition: call.disposition,
    durationSec: call.durationSec,
    summary: call.summary,
  });
}
