import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import { HubSpotRateLimitedError } from './errors';
import { recordHubSpotRateLimited } from '../platform/metrics';

// Per-portal request budget shared by every process: a rolling-window log in a Redis sorted set
// (HubSpot's limit is a rolling 10-second window, TEN_SECONDLY_ROLLING), checked and taken in one
// Lua script so two processes can never both take the last slot. Time comes from Redis (TIME),
// so process clocks do not matter. When HubSpot answers 429 anyway (other integrations of the
// same account share its budget), `pause` stops every process for the wait HubSpot asked for.

const SCRIPT = `
local pause = redis.call('PTTL', KEYS[2])
if pause > 0 then return pause end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(tonumber(oldest[2]) + window - now, 1)
`;

// Extends a pause, never shortens one another process set for longer.
const PAUSE = `if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end return 1`;

export interface RateLimiter {
  /** Waits for a slot for this portal; past `maxWaitMs` throws HubSpotRateLimitedError instead. */
  acquire(portalId: string): Promise<void>;
  /** HubSpot said 429: hold every process's calls for this portal for `ms`. */
  pause(portalId: string, ms: number): Promise<void>;
}

export interface RateLimiterOptions {
  redis: Redis;
  keyPrefix: string;
  maxRequests: number;
  windowMs: number;
  /** Added to the window: time between our grant and HubSpot receiving the request (see settings). */
  latencyAllowanceMs: number;
  maxWaitMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createRateLimiter(opts: RateLimiterOptions): RateLimiter {
  const keys = (portalId: string) => [`${opts.keyPrefix}:hubspot:rate:${portalId}`, `${opts.keyPrefix}:hubspot:rate-pause:${portalId}`];
  const take = async (portalId: string): Promise<number> => {
    const [log, pause] = keys(portalId);
    const member = `${Date.now()}-${crypto.randomBytes(6).toString('hex')}`;
    return Number(await opts.redis.eval(SCRIPT, 2, log!, pause!, opts.maxRequests, opts.windowMs + opts.latencyAllowanceMs, member));
  };
  return {
    async acquire(portalId) {
      const started = Date.now();
      for (;;) {
        const waitMs = await take(portalId);
        if (waitMs <= 0) return;
        const waited = Date.now() - started;
        if (waited + waitMs > opts.maxWaitMs) throw new HubSpotRateLimitedError(waitMs, 'LOCAL_LIMITER', `No HubSpot request slot for this portal within ${opts.maxWaitMs} ms; retry in ${waitMs} ms.`);
        // A little jitter so waiters released together do not all hit Redis in the same millisecond.
        await sleep(waitMs + Math.floor(Math.random() * 20));
      }
    },
    async pause(portalId, ms) {
      recordHubSpotRateLimited();
      if (ms > 0) await opts.redis.eval(PAUSE, 1, keys(portalId)[1]!, Math.ceil(ms));
    },
  };
}
