import { logger } from '../../platform/logger';
import { transitionCampaign } from '../campaigns/campaign-transition';
import type { DialingDeps } from './dialing-deps';
import { leaseTtlMs } from './dialing-policy';
import { runDialChecks } from './dial-checks';
import { loadDialContext } from './dial-context';
import { claimAttempt, closeBlockedAttempt, recordPlaced, recordRejected, recordSkipped, rescheduleAttempt, revertClaim } from './attempt-records';
import { recoverClaimedAttempt } from './attempt-recovery.service';

// One dial job = one attempt (job id = attempt id). design.md §4: the attempt is claimed in
// Postgres (queued → dialing) before the provider is asked, so a repeated or stalled job can
// never place a second call; refusals that created nothing (capacity, 429, account) give the
// claim back and are not attempts; an ambiguous failure keeps the claim for recovery.
export type DialStep = { kind: 'done'; result: string } | { kind: 'later'; delayMs: number; result: string };

const done = (result: string): DialStep => ({ kind: 'done', result });
const later = (delayMs: number, result: string): DialStep => ({ kind: 'later', delayMs: Math.max(0, Math.round(delayMs)), result });

export async function dialAttempt(deps: DialingDeps, callId: string): Promise<DialStep> {
  const { db } = deps;
  const now = deps.now();
  // One round trip: the attempt and everything the checks below need, read now (dial time).
  const ctx = await loadDialContext(deps.sql, callId, now);
  if (!ctx || !ctx.cc || !ctx.campaign) return done('unknown_attempt');
  const { call, cc, campaign } = ctx;
  if (call.status !== 'pending' || call.placedAt) {
    // A webhook (carrying our attempt id) can record the call before this job does.
    if (cc.state === 'dialing' && call.providerCallId) {
      await db.campaignContact.updateMany({ where: { id: cc.id, state: 'dialing' }, data: { state: 'in_call' } });
    }
    return done('already_placed');
  }

  // A claimed attempt is recovered (and, if never received, re-dialed) on the provider that was
  // asked first, even if the portal switched providers since: asking the other one would find
  // nothing and ring the person a second time.
  const voiceLookup = deps.voice.forPortal(cc.state === 'dialing' ? { ...ctx.portal, voiceProvider: call.provider } : ctx.portal);
  if (!voiceLookup.ok) {
    await pauseForAccount(deps, campaign.portalId, campaign.id, voiceLookup.reason);
    if (cc.state === 'queued') await rescheduleAttempt(db, { callId, ccId: cc.id, at: now, from: 'queued' });
    return done('account_unusable');
  }
  const voice = voiceLookup.voice;

  // Attempts made before this one: the claim counted this attempt, and a recovery that finds the
  // provider never received it gives that count back (revertClaim) before dialing it again.
  let attemptsMade = cc.attempts;
  if (cc.state === 'dialing') {
    const r = await recoverClaimedAttempt(deps, voice, { call, ccId: cc.id });
    if (r.kind !== 'retry_dial') return r;
    attemptsMade = Math.max(0, cc.attempts - 1);
  } else if (cc.state !== 'queued') {
    return done(`contact_${cc.state}`);
  }

  const checks = await runDialChecks(db, deps.policy, { campaign, contact: ctx.contact, portal: ctx.portal, attemptsMade, facts: ctx.facts }, now);
  if (!checks.ok) {
    if (checks.action === 'skip') {
      await recordSkipped(db, { callId, ccId: cc.id, reason: checks.reason, audit: checks.audit, now });
    } else if (checks.action === 'reschedule') {
      await rescheduleAttempt(db, { callId, ccId: cc.id, at: checks.at, from: 'queued' });
    } else if (campaign.state === 'cancelled' || campaign.state === 'completed') {
      await db.$transaction([
        db.campaignContact.updateMany({ where: { id: cc.id, state: 'queued' }, data: { state: 'cancelled', skipReason: 'campaign_ended' } }),
        db.call.deleteMany({ where: { id: callId, placedAt: null, dialStartedAt: null } }),
      ]);
    } else {
      // Paused (or not yet running): back to waiting; resume plans it again.
      await rescheduleAttempt(db, { callId, ccId: cc.id, at: now, from: 'queued' });
    }
    return done(`check_${checks.reason}`);
  }

  // Pacing: the account's and the campaign's calls per minute, then the live-call leases, in one
  // Redis script that takes all of them or none.
  const campKey = `campaign:${campaign.id}`;
  const scope = { accountKey: voice.accountKey, accountCap: voice.accountConcurrency, campaignId: campaign.id, campaignCap: campaign.maxConcurrent };
  const admission = await deps.admission.admit({
    account: { key: voice.accountKey, perWindow: voice.accountCallsPerMinute },
    campaign: { key: campKey, perWindow: campaign.callsPerMinute },
    leases: scope,
    attemptId: callId,
    leaseNowMs: now.getTime(),
    leaseTtlMs: leaseTtlMs(deps.policy),
  });
  if (!admission.ok) {
    if (admission.refusedBy === 'lease') return later(deps.policy.capacityRetryMs, 'lease_full');
    return later(admission.retryInMs, `rate_${admission.refusedBy}`);
  }
  const giveBackAll = async () => {
    await deps.leases.release(scope, callId);
    await deps.limiter.giveBack(voice.accountKey, callId);
    await deps.limiter.giveBack(campKey, callId);
  };

  if (!(await claimAttempt(deps.sql, { callId, ccId: cc.id, provider: voice.provider.name, accountKey: voice.accountKey, audit: checks.audit, now }))) {
    // Another run of this same attempt won the claim. The lease and rate slots are keyed by the
    // attempt id, so they are the winner's now: give nothing back.
    return done('claim_lost');
  }

  let plan;
  try {
    const version = await deps.versions.require(db, campaign.portalId, call.scriptVersionId ?? '');
    plan = voice.buildPlan({
      attemptId: callId,
      version,
      contact: ctx.contact,
      callerId: campaign.callerId,
      metadata: { portalId: campaign.portalId, campaignId: campaign.id, contactId: call.contactId },
    });
  } catch (err) {
    logger.error('could not build the call plan', { callId, err });
    await recordRejected(db, { callId, ccId: cc.id, reason: 'plan_failed', now });
    await giveBackAll();
    return done('plan_failed');
  }

  const result = await voice.provider.placeCall(plan);
  if (result.kind === 'placed' || result.kind === 'transient') {
    await deps.limiter.confirm([voice.accountKey, campKey], callId);
  }
  switch (result.kind) {
    case 'placed':
      await recordPlaced(deps.sql, { callId, ccId: cc.id, providerCallId: result.providerCallId, now: deps.now() });
      logger.info('call placed', { callId, campaignId: campaign.id, providerCallId: result.providerCallId });
      return done('placed');
    case 'capacity':
      await giveBackAll();
      if (result.providerCallId) {
        // The refused call exists at the provider and will report on this attempt id.
        const at = new Date(deps.now().getTime() + deps.policy.capacityRetryMs);
        await closeBlockedAttempt(db, { callId, ccId: cc.id, providerCallId: result.providerCallId, at, now: deps.now() });
        return done(`capacity_${result.signal}`);
      }
      await revertClaim(db, { callId, ccId: cc.id });
      return later(deps.policy.capacityRetryMs, `capacity_${result.signal}`);
    case 'rate_limited':
      await revertClaim(db, { callId, ccId: cc.id });
      await giveBackAll();
      await deps.limiter.blockFor(voice.accountKey, result.retryAfterMs);
      return later(result.retryAfterMs, 'provider_429');
    case 'rejected':
      await recordRejected(db, { callId, ccId: cc.id, reason: result.error.code, now: deps.now() });
      await giveBackAll();
      logger.warn('provider rejected the call', { callId, code: result.error.code, message: result.error.message });
      return done('rejected');
    case 'account':
      await pauseForAccount(deps, campaign.portalId, campaign.id, result.reason);
      await rescheduleAttempt(db, { callId, ccId: cc.id, at: deps.now(), from: 'dialing' });
      await giveBackAll();
      return done(`account_${result.problem}`);
    case 'transient':
      // The call may exist. Keep the claim and the lease; recovery asks the provider after the grace period.
      logger.warn('ambiguous provider failure; will reconcile', { callId, code: result.error.code });
      return later(deps.policy.dialGraceMs, 'ambiguous');
  }
}

async function pauseForAccount(deps: Pick<DialingDeps, 'db'>, portalId: string, campaignId: string, reason: string) {
  await transitionCampaign(deps.db, portalId, campaignId, 'paused', { actor: 'system:dialer', reason, from: 'running' }).catch(() => undefined);
  logger.warn('campaign paused: provider account unusable', { campaignId, reason });
}

