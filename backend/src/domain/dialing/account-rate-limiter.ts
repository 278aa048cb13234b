import type { Redis } from 'ioredis';

// Calls per minute per provider account, across every worker process. A sliding-window log in a
// sorted set (one member per call placed), checked and written by one Lua script, so no window
// ever holds more than `max` starts — unlike a fixed window, which lets two bursts meet at a
// boundary. Time is Redis's own clock, read inside the script: a time taken in the worker before
// the round trip is stale by the time the slot is judged, and workers' clocks differ. A slot is
// held for the window plus an allowance for the trip from here to the provider, which counts
// arrivals, not our sends. A 429 from the provider blocks the account until Retry-After has
// passed, for every worker, without stalling other accounts that share the dial queue.
const TAKE = `
local key = KEYS[1]
local blockKey = KEYS[2]
local now = tonumber(ARGV[1])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local window = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
local member = ARGV[4]
local blocked = tonumber(redis.call('GET', blockKey) or '0')
if blocked > now then return {0, blocked - now} end
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZSCORE', key, member) then return {1, 0} end
local count = redis.call('ZCARD', key)
if count < max then
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, window * 2)
  return {1, 0}
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return {0, tonumber(oldest[2]) + window - now}
`;

// The provider has answered: the slot is re-stamped with this moment (Redis time), which is after
// the request reached the provider, so the window the provider counts can never hold more than
// the cap, however long the trip took. XX: only a slot still held; GT: never moved back.
const CONFIRM = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZADD', KEYS[1], 'XX', 'GT', now, ARGV[1])
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
    redis.defineCommand('hacRateConfirm', { lua: CONFIRM, numberOfKeys: 1 });
  }

  private keys(accountKey: string) {
    return [`${this.prefix}:rate:${accountKey}`, `${this.prefix}:rate-block:${accountKey}`] as const;
  }

  /**
   * Takes a slot for this attempt (idempotent per attempt id) or says how long to wait. `now` is
   * for tests that need a deterministic clock; the dialer leaves it out and Redis's clock is used.
   */
  async take(accountKey: string, perWindow: number, attemptId: string, now?: number): Promise<LimiterDecision> {
    const [key, block] = this.keys(accountKey);
    const [ok, wait] = (await (this.redis as any).hacRateTake(key, block, now ?? -1, this.windowMs + this.allowanceMs, perWindow, attemptId)) as [number, number];
    return ok === 1 ? { ok: true } : { ok: false, retryInMs: Math.max(1, Math.ceil(wait)) };
  }

  /** Call when the provider has answered a create that may have started a call (placed or ambiguous). */
  async confirm(accountKey: string, attemptId: string): Promise<void> {
    await (this.redis as any).hacRateConfirm(this.keys(accountKey)[0], attemptId);
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
