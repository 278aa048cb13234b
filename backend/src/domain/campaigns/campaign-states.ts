// Every state a campaign and a campaign contact can be in, and every move allowed between them,
// in one place (design.md §3). Writers apply a move with a compare-and-set on the old state
// (campaign-transition.ts; the dialer does the same for contacts), so a lost race is a no-op.
import { AppError } from '../../platform/app-error';

export const CAMPAIGN_STATES = ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

//   draft ──> scheduled ──> running <──> paused
//     └──────────────────────┘  │          │
//                   scheduled ──┴──> completed | cancelled <──┘
export const CAMPAIGN_TRANSITIONS: Readonly<Record<CampaignState, readonly CampaignState[]>> = {
  draft: ['scheduled', 'running'], // running directly when started without a schedule
  scheduled: ['running', 'cancelled'],
  running: ['paused', 'completed', 'cancelled'],
  paused: ['running', 'completed', 'cancelled'], // completed: live calls finished while paused
  completed: [],
  cancelled: [],
};

export const CAMPAIGN_CONTACT_STATES = ['pending', 'queued', 'dialing', 'in_call', 'done', 'retry_wait', 'skipped', 'failed', 'cancelled'] as const;
export type CampaignContactState = (typeof CAMPAIGN_CONTACT_STATES)[number];

// pending: snapshotted, not yet due · queued: a dial job exists · dialing: the attempt row is
// written and the provider is being asked · in_call: the provider accepted it · retry_wait: due
// again at nextAttemptAt · done / skipped / failed / cancelled: final.
export const CAMPAIGN_CONTACT_TRANSITIONS: Readonly<Record<CampaignContactState, readonly CampaignContactState[]>> = {
  pending: ['queued', 'skipped', 'cancelled'],
  // retry_wait: outside the window at dial time, rescheduled to the next opening, not dropped.
  queued: ['dialing', 'retry_wait', 'skipped', 'cancelled'],
  // queued: a capacity refusal, requeued without counting an attempt. done/failed/retry_wait
  // straight from dialing: the end-of-call report can arrive before the in-progress status.
  dialing: ['in_call', 'queued', 'retry_wait', 'done', 'failed', 'skipped'],
  in_call: ['done', 'retry_wait', 'failed'],
  retry_wait: ['queued', 'skipped', 'cancelled'],
  done: [],
  skipped: [],
  failed: [],
  cancelled: [],
};

export const FINAL_CAMPAIGN_STATES: readonly CampaignState[] = ['completed', 'cancelled'];
export const FINAL_CONTACT_STATES: readonly CampaignContactState[] = ['done', 'skipped', 'failed', 'cancelled'];

/** Why a contact was skipped (CampaignContact.skipReason), in dial-check order. */
export const CONTACT_SKIP_REASONS = ['invalid_number', 'dnc', 'no_consent', 'outside_window', 'frequency_cap', 'max_attempts', 'campaign_ended'] as const;

export function canTransition(from: CampaignState, to: CampaignState): boolean {
  return CAMPAIGN_TRANSITIONS[from]?.includes(to) ?? false;
}

export function assertTransition(from: CampaignState, to: CampaignState): void {
  if (canTransition(from, to)) return;
  const allowed = CAMPAIGN_TRANSITIONS[from] ?? [];
  throw new AppError(
    'CAMPAIGN_TRANSITION_INVALID',
    409,
    `A ${from} campaign cannot become ${to}${allowed.length ? `; from ${from} it can become ${allowed.join(' or ')}` : `; ${from} is final`}.`,
    { from, to, allowed },
  );
}

export function canContactTransition(from: CampaignContactState, to: CampaignContactState): boolean {
  return CAMPAIGN_CONTACT_TRANSITIONS[from]?.includes(to) ?? false;
}

export function assertContactTransition(from: CampaignContactState, to: CampaignContactState): void {
  if (canContactTransition(from, to)) return;
  throw new AppError('CAMPAIGN_CONTACT_TRANSITION_INVALID', 409, `A campaign contact cannot go from ${from} to ${to}.`, { from, to });
}

/** The states a contact may be in just before `to`: the where-clause of a compare-and-set. */
export function contactStatesBefore(to: CampaignContactState): CampaignContactState[] {
  return CAMPAIGN_CONTACT_STATES.filter((s) => CAMPAIGN_CONTACT_TRANSITIONS[s].includes(to));
}
