import type { Request, RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../../platform/app-error';
import { logger } from '../../platform/logger';
import type { AppDeps } from '../../app-deps';

// Request limits on /api/v1 and the upload page (README "Hardening"): a fixed window per client
// IP (counted before authentication, so guessing keys is limited too) and per portal (after it).
// Counters live in Redis so every web process shares them. If Redis is away, each process falls
// back to an in-memory counter with the same numbers (rate-limiter-flexible's insurance limiter):
// a Redis outage then limits per process instead of failing every request.

export interface RequestLimitsOptions {
  redis: Redis;
  /** Keys become `<keyPrefix>:rl:<scope>:<id>` (tests use their own prefix). */
  keyPrefix: string;
  windowSeconds: number;
  /** Requests per window per portal; 0 = no limit. */
  perPortal: number;
  /** Requests per window per client IP; 0 = no limit. */
  perIp: number;
}

export interface RequestLimits {
  byIp: RequestHandler;
  byPortal(portalIdOf: (req: Request) => string | undefined): RequestHandler;
  /** Counts one request for the portal; throws RateLimitedError over the limit. */
  consumePortal(portalId: string): Promise<void>;
}

type Scope = 'portal' | 'ip';
const WHO: Record<Scope, string> = { portal: 'this portal', ip: 'this address' };

function limiterFor(opts: RequestLimitsOptions, scope: Scope, points: number) {
  if (points <= 0) return null;
  const duration = opts.windowSeconds;
  return new RateLimiterRedis({
    storeClient: opts.redis,
    keyPrefix: `${opts.keyPrefix}:rl:${scope}`,
    points,
    duration,
    insuranceLimiter: new RateLimiterMemory({ points, duration }),
  });
}

export function createRequestLimits(opts: RequestLimitsOptions): RequestLimits {
  const limiters = { portal: limiterFor(opts, 'portal', opts.perPortal), ip: limiterFor(opts, 'ip', opts.perIp) };
  const limitOf = { portal: opts.perPortal, ip: opts.perIp };

  async function consume(scope: Scope, key: string): Promise<void> {
    const limiter = limiters[scope];
    if (!limiter) return;
    try {
      await limiter.consume(key);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) {
        // Both stores failed (should not happen: memory cannot): let the request through, loudly.
        logger.warn('request limit could not be counted', { scope, err: (err as Error).message });
        return;
      }
      const retryAfterSeconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      throw new RateLimitedError(
        'RATE_LIMITED',
        `Too many requests from ${WHO[scope]}: the limit is ${limitOf[scope]} per ${opts.windowSeconds} seconds. Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`,
        retryAfterSeconds,
      );
    }
  }

  const handler =
    (scope: Scope, keyOf: (req: Request) => string | undefined): RequestHandler =>
    (req, _res, next) => {
      const key = keyOf(req);
      if (!key) return next();
      consume(scope, key).then(() => next(), next);
    };

  return {
    byIp: handler('ip', (req) => req.ip ?? req.socket.remoteAddress ?? 'unknown'),
    byPortal: (portalIdOf) => handler('portal', portalIdOf),
    consumePortal: (portalId) => consume('portal', portalId),
  };
}

/** The app's limits from its config; every instance shares the same Redis counters. */
export function requestLimitsFromDeps(deps: Pick<AppDeps, 'redis' | 'queues' | 'config'>): RequestLimits {
  const l = deps.config.limits;
  return createRequestLimits({ redis: deps.redis, keyPrefix: deps.queues.prefix, windowSeconds: l.windowSeconds, perPortal: l.perPortal, perIp: l.perIp });
}
