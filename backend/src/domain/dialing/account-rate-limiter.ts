import type { Redis } from 'ioredis';

// Calls per minute per provider account, across every worker process. A sliding-window log in a
// sorted set (one member per call placed), checked and written by one Lua script, so no window
// ever holds more than `max` starts — unlike a fixed window, which lets two bursts meet at a
// boundary. Time is Redis's own clock, read inside the script: a time taken in the worker before
// the round trip is stale by the time the slot is judged, and workers' clocks differ. A slot is
// held for the window plus an allowance for the trip from here to the provider, which counts
// arrivals, not our sends. A 429 from the provider blocks the account until Retry-After has
// passed, for every worker, without stalling other accounts that share the dial queue.
// The sliding window as Lua functions, shared by TAKE below and by the dial admission script
// (dial-admission.ts), which takes both windows and both leases in one call.
export const RATE_LUA = `
local function redis_now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
-- 0 when the attempt may take a slot (or already holds one), else how many ms to wait.
local function rate_wait(key, blockKey, now, window, max, member)
  local blocked = tonumber(redis.call('GET', blockKey) or '0')
  if blocked > now then return blocked - now end
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZSCORE', key, member) then return 0 end
  if redis.call('ZCARD', key) < max then return 0 end
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return tonumber(oldest[2]) + window - now
end
-- NX: a slot the attempt already holds keeps its time.
local function rate_add(key, now, window, member)
  if redis.call('ZADD', key, 'NX', now, member) == 1 then redis.call('PEXPIRE', key, window * 2) end
end
`;

const TAKE = `${RATE_LUA}
local now = tonumber(ARGV[1])
if now < 0 then now = redis_now() end
local window = tonumber(ARGV[2])
local wait = rate_wait(KEYS[1], KEYS[2], now, window, tonumber(ARGV[3]), ARGV[4])
if wait > 0 then return {0, wait} end
rate_add(KEYS[1], now, window, ARGV[4])
return {1, 0}
`;

// The provider has answered: the slot is re-stamped with this moment (Redis time), which is after
// the request reached the provider, so the window the provider counts can never hold more than
// the cap, however long the trip took. XX: only a slot still held; GT: never moved back. Every
// key given (the account's and the campaign's window) in one call.
const CONFIRM = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = 0
for _, key in ipairs(KEYS) do n = n + redis.call('ZADD', key, 'XX', 'GT', 'CH', now, ARGV[1]) end
return n
`;

export type LimiterDecision = { ok: true } | { ok: false; retryInMs: number };

export class AccountRateLimiter {
  /** How long past the window a slot still counts (1% of the window, at most a second). */
  private readonly allowanceMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly windowMs = 60_000,
    opts: { allowanceMs?: number } = {},
  ) {
    this.allowanceMs = opts.allowanceMs ?? Math.min(1000, Math.round(windowMs / 100));
    redis.defineCommand('hacRateTake', { lua: TAKE, numberOfKeys: 2 });
    redis.defineCommand('hacRateConfirm', { lua: CONFIRM });
  }

  /** The window's sorted set and the 429 block key of one limited scope (an account, a campaign). */
  keys(accountKey: string) {
    return [`${this.prefix}:rate:${accountKey}`, `${this.prefix}:rate-block:${accountKey}`] as const;
  }

  /** How long a slot counts: the window plus the allowance for the trip to the provider. */
  get slotMs(): number {
    return this.windowMs + this.allowanceMs;
  }

  /**
   * Takes a slot for this attempt (idempotent per attempt id) or says how long to wait. `now` is
   * for tests that need a deterministic clock; the dialer leaves it out and Redis's clock is used.
   */
  async take(accountKey: string, perWindow: number, attemptId: string, now?: number): Promise<LimiterDecision> {
    const [key, block] = this.keys(accountKey);
    const [ok, wait] = (await (this.redis as any).hacRateTake(key, block, now ?? -1, this.slotMs, perWindow, attemptId)) as [number, number];
    return ok === 1 ? { ok: true } : { ok: false, retryInMs: Math.max(1, Math.ceil(wait)) };
  }

  /** Call when the provider has answered a create that may have started a call (placed or ambiguous). */
  async confirm(accountKeys: string | string[], attemptId: string): Promise<void> {
    const keys = (Array.isArray(accountKeys) ? accountKeys : [accountKeys]).map((k) => this.keys(k)[0]);
    await (this.redis as any).hacRateConfirm(keys.length, ...keys, attemptId);
  }

  /** A refusal gives the slot back: the provider did not start a call for it. */
  async giveBack(accountKey: string, attemptId: string): Promise<void> {
    await this.redis.zrem(this.keys(accountKey)[0], attemptId);
  }

  /** Honour a provider 429 for every worker: nothing dials on this account until then. */
  async blockFor(accountKey: string, ms: number, now?: number): Promise<void> {
    const [, block] = this.keys(accountKey);
    const base = now ?? (await this.serverTimeMs());
    await this.redis.set(block, String(base + ms), 'PX', ms + 1000);
  }

  private async serverTimeMs(): Promise<number> {
    const [sec, micro] = await this.redis.time();
    return Number(sec) * 1000 + Math.floor(Number(micro) / 1000);
  }
}
