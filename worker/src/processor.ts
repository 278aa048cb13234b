import type { Job } from 'bullmq';
import type { AppDeps } from '../../backend/src/app-deps';
import type { JobName, JobPayload } from '../../backend/src/queues/catalog';

export interface ProcessorContext {
  deps: AppDeps;
  job: Job;
  /** Set by the host: lets a processor back off the whole queue (provider 429). */
  rateLimit(ms: number): Promise<void>;
}

export type Processor<N extends JobName> = (payload: JobPayload<N>, ctx: ProcessorContext) => Promise<unknown>;
