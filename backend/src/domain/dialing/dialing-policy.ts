// Every timing and pacing constant of the dialer, in one place (style.md: one place per policy).
export interface DialingPolicy {
  /** Longest a call may last; a lease lives this long plus the margin before it counts as lost. */
  maxCallDurationMs: number;
  leaseMarginMs: number;
  /**
   * After a worker claims an attempt, how long before recovery may conclude that the provider
   * never created the call. Longer than the provider request timeout plus BullMQ's lock, so a
   * request still in flight from a killed worker has settled one way or the other.
   */
  dialGraceMs: number;
  /** How far our clock and the provider's may disagree when we search its call list by time. */
  clockSkewMs: number;
  /** Wait before retrying after a concurrency refusal or a full lease (not an attempt). */
  capacityRetryMs: number;
  /** How often the scheduler looks for due contacts, and how many it plans per look. */
  tickEveryMs: number;
  planPageSize: number;
  /** Calls to one contact across all campaigns of the portal (TCPA-minded frequency caps). */
  maxCallsPerContactPerDay: number;
  maxCallsPerContactPerWeek: number;
  /** Calls with no final report this long after their expected end are asked about (reconciler). */
  reconcileEveryMs: number;
}

export const DEFAULT_DIALING_POLICY: DialingPolicy = {
  maxCallDurationMs: 15 * 60_000,
  leaseMarginMs: 2 * 60_000,
  dialGraceMs: 45_000,
  clockSkewMs: 10 * 60_000,
  capacityRetryMs: 5_000,
  tickEveryMs: 2_000,
  planPageSize: 200,
  maxCallsPerContactPerDay: 3,
  maxCallsPerContactPerWeek: 7,
  reconcileEveryMs: 30_000,
};

export const leaseTtlMs = (p: DialingPolicy) => p.maxCallDurationMs + p.leaseMarginMs;
