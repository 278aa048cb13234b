import { runHubSpotListImport } from '../../../backend/src/domain/imports/hubspot-list-import.service';
import { JOBS } from '../../../backend/src/queues/catalog';
import type { Processor } from '../processor';

export const importHubSpotList: Processor<'imports.hubspot-list'> = async (payload, ctx) => {
  const maxAttempts = ctx.job.opts.attempts ?? JOBS['imports.hubspot-list'].options.attempts ?? 1;
  return runHubSpotListImport(ctx.deps, ctx.hubspot().gateway, payload, { final: ctx.job.attemptsMade + 1 >= maxAttempts, attempt: ctx.job.attemptsMade + 1 });
};
