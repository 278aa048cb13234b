import type { AppDeps } from './app-deps';
import type { DialingDeps } from './domain/dialing/dialing-deps';
import { DEFAULT_DIALING_POLICY, type DialingPolicy } from './domain/dialing/dialing-policy';
import { LiveCallLeases } from './domain/dialing/live-call-leases';
import { AccountRateLimiter } from './domain/dialing/account-rate-limiter';
import { DialAdmission } from './domain/dialing/dial-admission';
import { ScriptVersionCache } from './domain/scripts/script-version.cache';
import { createVoiceRouter } from './providers/voice/voice-router';
import { hotSqlFor } from './sql-runner.factory';

// Composition: the dialing services over this process's Redis, database and voice providers.
// The lease and limiter keys share the queues' prefix, so a test run's keys stay its own.
export function createDialingDeps(deps: AppDeps, opts: { policy?: Partial<DialingPolicy>; now?: () => Date } = {}): DialingDeps {
  const leases = new LiveCallLeases(deps.redis, deps.queues.prefix);
  const limiter = new AccountRateLimiter(deps.redis, deps.queues.prefix);
  return {
    db: deps.db,
    sql: hotSqlFor(deps),
    leases,
    limiter,
    admission: new DialAdmission(deps.redis, limiter, leases),
    versions: new ScriptVersionCache(),
    voice: deps.voice ?? createVoiceRouter(deps),
    policy: { ...DEFAULT_DIALING_POLICY, ...deps.dialingPolicy, ...opts.policy },
    now: opts.now ?? (() => new Date()),
  };
}
