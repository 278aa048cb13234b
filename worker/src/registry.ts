import type { JobName } from '../../backend/src/queues/catalog';
import type { Processor } from './processor';
import { systemPing } from './processors/system-ping.processor';
import { importCsv } from './processors/import-csv.processor';

// Every job name in the catalog maps to its processor; the type makes a missing one a compile error.
export const registry: { [N in JobName]: Processor<N> } = {
  'system.ping': systemPing,
  'imports.csv': importCsv,
};
