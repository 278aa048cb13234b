import type { Db } from '../../platform/prisma';
import type { SqlRunner } from '../../platform/sql-runner';
import type { LiveCallLeases } from './live-call-leases';
import type { AccountRateLimiter } from './account-rate-limiter';
import type { DialAdmission } from './dial-admission';
import type { VoiceRouter } from './dialing-port';
import type { DialingPolicy } from './dialing-policy';
import type { ScriptVersionCache } from '../scripts/script-version.cache';

/** What the dialing services run on; built once per process (worker host, tests, demo). */
export interface DialingDeps {
  db: Db;
  /** The hot-path statements (read the attempt, claim, placed): plain pg, named prepared statements. */
  sql: SqlRunner;
  leases: LiveCallLeases;
  limiter: AccountRateLimiter;
  /** The limiter's windows and the leases taken together for one attempt (one Redis call). */
  admission: DialAdmission;
  /** Published script versions this process has parsed (immutable, so kept): the call plan's source. */
  versions: ScriptVersionCache;
  voice: VoiceRouter;
  policy: DialingPolicy;
  now(): Date;
}
