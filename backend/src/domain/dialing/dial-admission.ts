import type { Redis } from 'ioredis';
import { RATE_LUA, type AccountRateLimiter } from './account-rate-limiter';
import { LEASE_LUA, type LiveCallLeases, type LeaseScope } from './live-call-leases';

// Pacing for one attempt in one Redis call: the account's calls-per-minute window, the
// campaign's, then the live-call leases (account and campaign), taken all together or not at all.
// The same Lua functions as AccountRateLimiter.take and LiveCallLeases.acquire, so the same
// exactness across processes; one script instead of three means one round trip, and a refusal
// leaves nothing behind to give back. Window times are Redis's clock; lease expiries are the
// caller's (as LiveCallLeases.acquire), so the reconciler's view of them does not change.
//
// KEYS: account window, account block, campaign window, campaign block, lease keys…
// ARGV: slot ms, account max, campaign max, attempt id, lease now, lease expiry, lease caps…
const ADMIT = `${RATE_LUA}${LEASE_LUA}
local window = tonumber(ARGV[1])
local member = ARGV[4]
local now = redis_now()
local wait = rate_wait(KEYS[1], KEYS[2], now, window, tonumber(ARGV[2]), member)
if wait > 0 then return {0, wait, 'account'} end
wait = rate_wait(KEYS[3], KEYS[4], now, window, tonumber(ARGV[3]), member)
if wait > 0 then return {0, wait, 'campaign'} end
local leaseKeys, caps = {}, {}
for i = 5, #KEYS do
  leaseKeys[#leaseKeys + 1] = KEYS[i]
  caps[#caps + 1] = tonumber(ARGV[2 + i])
end
lease_sweep(leaseKeys, tonumber(ARGV[5]))
if not lease_fits(leaseKeys, caps, member) then return {0, 0, 'lease'} end
rate_add(KEYS[1], now, window, member)
rate_add(KEYS[3], now, window, member)
lease_add(leaseKeys, tonumber(ARGV[6]), member)
return {1, 0, 'ok'}
`;

export type Admission = { ok: true } | { ok: false; refusedBy: 'account' | 'campaign'; retryInMs: number } | { ok: false; refusedBy: 'lease' };

export interface AdmissionRequest {
  /** The rate-limited scopes: the provider account and `campaign:<id>`, each with its per-minute cap. */
  account: { key: string; perWindow: number };
  campaign: { key: string; perWindow: number };
  leases: LeaseScope;
  attemptId: string;
  leaseNowMs: number;
  leaseTtlMs: number;
}

export class DialAdmission {
  constructor(
    private readonly redis: Redis,
    private readonly limiter: AccountRateLimiter,
    private readonly leases: LiveCallLeases,
  ) {
    redis.defineCommand('hacDialAdmit', { lua: ADMIT });
  }

  async admit(r: AdmissionRequest): Promise<Admission> {
    const leaseKeys = this.leases.keysFor(r.leases);
    const keys = [...this.limiter.keys(r.account.key), ...this.limiter.keys(r.campaign.key), ...leaseKeys];
    const args = [this.limiter.slotMs, r.account.perWindow, r.campaign.perWindow, r.attemptId, r.leaseNowMs, r.leaseNowMs + r.leaseTtlMs, ...this.leases.capsFor(r.leases)];
    const [ok, wait, by] = (await (this.redis as any).hacDialAdmit(keys.length, ...keys, ...args)) as [number, number, string];
    if (ok === 1) return { ok: true };
    if (by === 'lease') return { ok: false, refusedBy: 'lease' };
    return { ok: false, refusedBy: by === 'campaign' ? 'campaign' : 'account', retryInMs: Math.max(1, Math.ceil(wait)) };
  }
}
