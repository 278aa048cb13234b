import type { Db } from '../../platform/prisma';
import type { DialingDeps } from '../dialing/dialing-deps';
import type { VoiceRouter } from '../dialing/dialing-port';
import type { SqlRunner } from '../../platform/sql-runner';

/** What the results side (webhook apply, finalisation, reconciler) runs on; built by results-deps.factory.ts. */
export interface ResultsDeps {
  db: Db;
  /** Runs the webhook hot path's statements (a plain pg pool when there is one, else Prisma). */
  sql: SqlRunner;
  /** finishAttempt's needs: the live-call leases, the dialing policy (timings) and the clock. */
  dialing: Pick<DialingDeps, 'db' | 'leases' | 'now' | 'policy'>;
  /** The reconciler asks the provider about calls whose report never came. */
  voice: VoiceRouter;
  /**
   * Hands a stored end-of-call report to the apply queue (webhooks.apply). Absent: the report is
   * applied in the request (direct callers, some tests).
   */
  enqueueReport?: (eventId: bigint) => Promise<void>;
  /** Hands new outbox rows to the drain queue after their transaction commits (absent: the sweep finds them). */
  kickOutbox?: (outboxIds: string[]) => Promise<void>;
  now(): Date;
}
