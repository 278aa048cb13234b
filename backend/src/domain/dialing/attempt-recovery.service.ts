import { VoiceProviderError } from '../../providers/voice/voice-provider';
import { findCallsByAttemptId } from '../../providers/voice/find-calls-by-attempt';
import { logger } from '../../platform/logger';
import type { DialingDeps } from './dialing-deps';
import type { PortalVoice } from './dialing-port';
import { recordPlaced, revertClaim } from './attempt-records';

// An attempt found claimed (dialing) with no provider id: a worker died or lost its lock after
// the claim, or the provider's answer was ambiguous. Before anything is placed again the provider
// is asked, by our attempt id in the call metadata, whether the call exists — and only after the
// grace period, when any request still in flight from the old worker has settled.
export type RecoveryStep = { kind: 'done'; result: string } | { kind: 'later'; delayMs: number; result: string } | { kind: 'retry_dial' };

export async function recoverClaimedAttempt(
  deps: DialingDeps,
  voice: PortalVoice,
  x: { call: { id: string; dialStartedAt: Date | null; createdAt: Date }; ccId: string },
): Promise<RecoveryStep> {
  const now = deps.now();
  const claimedAt = x.call.dialStartedAt ?? x.call.createdAt;
  const waited = now.getTime() - claimedAt.getTime();
  if (waited < deps.policy.dialGraceMs) return { kind: 'later', delayMs: deps.policy.dialGraceMs - waited, result: 'recovery_wait' };

  let found: { providerCallId: string } | undefined;
  try {
    // The provider stamps createdAt with its own clock: search well around our claim time.
    const skew = deps.policy.clockSkewMs;
    const search = await findCallsByAttemptId(voice.provider, {
      attemptId: x.call.id,
      from: new Date(claimedAt.getTime() - skew),
      to: new Date(Math.max(now.getTime(), Date.now()) + skew),
    });
    found = search.calls[0];
    // An incomplete search proves nothing: never re-dial on it.
    if (!found && !search.complete) return { kind: 'later', delayMs: deps.policy.capacityRetryMs, result: 'recovery_search_incomplete' };
  } catch (err) {
    const ms = err instanceof VoiceProviderError && err.details.retryAfterMs ? err.details.retryAfterMs : deps.policy.capacityRetryMs;
    return { kind: 'later', delayMs: ms, result: 'recovery_provider_unavailable' };
  }
  if (found) {
    await recordPlaced(deps.sql, { callId: x.call.id, ccId: x.ccId, providerCallId: found.providerCallId, now });
    logger.info('recovered a placed call by attempt id', { callId: x.call.id, providerCallId: found.providerCallId });
    return { kind: 'done', result: 'recovered_placed' };
  }
  // The provider never created it: give the claim back and dial it now, as the same attempt.
  await revertClaim(deps.db, { callId: x.call.id, ccId: x.ccId });
  logger.info('claimed attempt was never placed; dialing it again', { callId: x.call.id });
  return { kind: 'retry_dial' };
}
