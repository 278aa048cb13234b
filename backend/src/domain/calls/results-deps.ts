import type { Db } from '../../platform/prisma';
import type { DialingDeps } from '../dialing/dialing-deps';
import type { VoiceRouter } from '../dialing/dialing-port';

/** What the results side (webhook apply, finalisation, reconciler) runs on; built by results-deps.factory.ts. */
export interface ResultsDeps {
  db: Db;
  /** finishAttempt's needs: the live-call leases, the dialing policy (timings) and the clock. */
  dialing: Pick<DialingDeps, 'db' | 'leases' | 'now' | 'policy'>;
  /** The reconciler asks the provider about calls whose report never came. */
  voice: VoiceRouter;
  /** Hands new outbox rows to the drain queue after their transaction commits (absent: the sweep finds them). */
  kickOutbox?: (outboxIds: string[]) => Promise<void>;
  now(): Date;
}
