import { parentPort, workerData } from 'node:worker_threads';
import { createContactNormaliser } from './contact-normaliser';
import { csvRecordsToRows } from './csv-source';
import { prepareBatch } from './prepared-batch';
import type { CsvPrepareSpec, PrepareReply, PrepareRequest } from './csv-prepare-pool';

// Entry point of a CSV import's helper thread (csv-prepare-pool.ts): prepares the batches it is
// sent, one at a time, and answers each by its id. It holds no connection and writes nothing.

const spec = workerData as CsvPrepareSpec;
const normalise = createContactNormaliser({ region: spec.region, portalTimeZone: spec.portalTimeZone });

parentPort!.on('message', ({ id, batch }: PrepareRequest) => {
  let reply: PrepareReply;
  try {
    reply = { id, batch: prepareBatch(csvRecordsToRows(batch, spec.plan), normalise) };
  } catch (err) {
    reply = { id, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort!.postMessage(reply, 'batch' in reply ? [reply.batch.phoneRows.buffer as ArrayBuffer] : []);
});
