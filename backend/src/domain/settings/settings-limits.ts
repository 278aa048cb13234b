// How far a portal may raise its pacing. On the platform's shared Vapi account every portal
// draws on one pool (Vapi's default is 10 live calls per account, research/vapi.md), so a
// portal stays within it; with its own key the limit is its own account's, which we cannot
// read, so we cap at what the dialer is tested for.
export const PACING_LIMITS = {
  platformAccount: { maxConcurrentCalls: 10, callsPerMinute: 120 },
  ownAccount: { maxConcurrentCalls: 100, callsPerMinute: 600 },
} as const;

export const pacingLimitsFor = (hasOwnKey: boolean) => (hasOwnKey ? PACING_LIMITS.ownAccount : PACING_LIMITS.platformAccount);
