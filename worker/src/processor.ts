import type { Job } from 'bullmq';
import type { AppDeps } from '../../backend/src/app-deps';
import type { JobName, JobPayload } from '../../backend/src/queues/catalog';
import type { DialingDeps } from '../../backend/src/domain/dialing/dialing-deps';
import type { HubSpotServices } from '../../backend/src/hubspot/hubspot-services';

export interface ProcessorContext {
  deps: AppDeps;
  job: Job;
  /** The job's lock token, needed to move it to delayed from inside the processor. */
  token: string | undefined;
  /** Set by the host: lets a processor back off the whole queue (provider 429). */
  rateLimit(ms: number): Promise<void>;
  /** The dialing services of this process (built once: leases and limiter load their scripts once). */
  dialing(): DialingDeps;
  /** The HubSpot gateway and friends of this process (one rate limiter and token manager per process). */
  hubspot(): HubSpotServices;
}

export type Processor<N extends JobName> = (payload: JobPayload<N>, ctx: ProcessorContext) => Promise<unknown>;
