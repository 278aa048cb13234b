import { runCsvImport } from '../../../backend/src/domain/imports/import-runner';
import type { Processor } from '../processor';

export const importCsv: Processor<'imports.csv'> = async (payload, { deps, job }) => {
  const outcome = await runCsvImport(deps, payload, {
    attempt: job.attemptsMade + 1,
    maxAttempts: job.opts.attempts ?? 1,
    onProgress: (p) => job.updateProgress(p),
  });
  return { outcome };
};
