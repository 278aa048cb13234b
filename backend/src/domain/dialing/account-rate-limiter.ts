import type { Redis } from 'ioredis';

// Calls per minute per provider account, across every worker process. A sliding-window log in a
// sorted set (one member per call placed), checked and written by one Lua script, so no window
// ever holds more than `max` starts — unlike a fixed window, which lets two bursts meet at a
// boundary. A 429 from the provider blocks the account until Retry-After has passed, for every
// worker, without stalling other accounts that share the dial queue.
const TAKE = `
local key = KEYS[1]
local blockKey = KEYS[2]
local now = tonumber(ARGV[1])
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

export type LimiterDecision = { ok: true } | { ok: false; retryInMs: number };

export class AccountRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly windowMs = 60_000,
  ) {
    redis.defineCommand('hacRateTake', { lua: TAKE, numberOfKeys: 2 });
  }

  private keys(accountKey: string) {
    return [`${this.prefix}:rate:${accountKey}`, `${this.prefix}:rate-block:${accountKey}`] as const;
  }

  /** Takes a slot for this attempt (idempotent per attempt id) or says how long to wait. */
  async take(accountKey: string, perWindow: number, attemptId: string, now = Date.now()): Promise<LimiterDecision> {
    const [key, block] = this.keys(accountKey);
    const [ok, wait] = (await (this.redis as any).hacRateTake(key, block, now, this.windowMs, perWindow, attemptId)) as [number, number];
    return ok === 1 ? { ok: true } : { ok: false, retryInMs: Math.max(1, Math.ceil(wait)) };
  }

  /** A refusal gives the slot back: the provider did not start a call for it. */
  async giveBack(accountKey: string, attemptId: string): Promise<void> {
    await this.redis.zrem(this.keys(accountKey)[0], attemptId);
  }

  /** Honour a provider 429 for every worker: nothing dials on this account until then. */
  async blockFor(accountKey: string, ms: number, now = Date.now()): Promise<void> {
    const [, block] = this.keys(accountKey);
    await this.redis.set(block, String(now + ms), 'PX', ms + 1000);
  }
}
