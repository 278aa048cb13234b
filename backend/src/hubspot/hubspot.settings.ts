// Tunables of the HubSpot integration, in one place.
export const HUBSPOT_SETTINGS = {
  /**
   * Requests per portal per rolling window, shared by every process (Redis). HubSpot allows an
   * OAuth app 100–110 requests per 10 s per installed account (private apps on Professional or
   * Enterprise 190): research/hubspot.md §4.4. We stay at the bottom of that range so other
   * integrations of the same account keep some room.
   * latencyAllowanceMs: HubSpot counts a request when it arrives, we when we send it; a slot stays
   * taken for the window plus this allowance, so uneven network latency cannot squeeze more than
   * maxRequests arrivals into one of HubSpot's windows.
   */
  rateLimit: { maxRequests: 100, windowMs: 10_000, latencyAllowanceMs: 1_000 },
  /** How long a call may wait for a rate-limit slot before giving up with a typed, retryable error. */
  rateLimitMaxWaitMs: 15_000,
  /** Refresh an access token this long before it expires (HubSpot's tokens live 30 minutes). */
  tokenRefreshMarginMs: 5 * 60_000,
  /** Cross-process refresh lock: long enough for one token request, short enough to recover from a crash. */
  refreshLockTtlMs: 15_000,
  /** How long a second process waits for another's refresh before trying itself. */
  refreshWaitMs: 20_000,
  /** OAuth `state` lifetime between the install redirect and HubSpot's callback. */
  oauthStateTtlMs: 10 * 60_000,
  /** Lists v3 memberships: HubSpot's maximum page size. */
  membershipsPageSize: 250,
  /** Lists v3 search: HubSpot's default page size (20) and its maximum (500). */
  listSearchPageSize: 20,
  listSearchMaxCount: 500,
  /** CRM batch endpoints take at most 100 inputs. */
  batchReadMax: 100,
} as const;
