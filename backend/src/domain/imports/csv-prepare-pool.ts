import { Worker } from 'node:worker_threads';
import type { CountryCode } from 'libphonenumber-js/max';
import type { ColumnPlan } from './column-mapping';
import { createContactNormaliser } from './contact-normaliser';
import { csvRecordsToRows, type CsvRecordBatch } from './csv-source';
import { prepareBatch, type PreparedBatch } from './prepared-batch';
import { threadBootstrap } from './thread-bootstrap';

// Normalising rows (libphonenumber above all) is most of a CSV import's CPU time, and one batch
// does not depend on another. So the import thread hands batches to a helper thread while it
// prepares others itself, and the prepared batches come back in file order for the pipeline's
// duplicate check. The import thread also parses the file and feeds COPY, so the helper takes
// two batches in three. A few batches at most are in flight, which bounds the memory held.

export interface CsvPrepareSpec {
  plan: ColumnPlan;
  region: CountryCode | undefined;
  portalTimeZone: string;
}

export type PrepareRequest = { id: number; batch: CsvRecordBatch };
export type PrepareReply = { id: number; batch: PreparedBatch } | { id: number; error: string };

const IN_FLIGHT = 4;
const HELPER_SHARE = (n: number) => n % 3 !== 2;

interface Helper {
  prepare(batch: CsvRecordBatch): Promise<PreparedBatch>;
  close(): Promise<void>;
}

function startHelper(spec: CsvPrepareSpec): Helper {
  const worker = new Worker(threadBootstrap('csv-prepare.thread'), {
    eval: true,
    workerData: spec,
    resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
  });
  const waiting = new Map<number, { resolve: (b: PreparedBatch) => void; reject: (e: Error) => void }>();
  let failure: Error | undefined;
  let nextId = 0;
  const failAll = (err: Error) => {
    failure ??= err;
    for (const w of waiting.values()) w.reject(failure);
    waiting.clear();
  };
  worker.on('message', (m: PrepareReply) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if ('error' in m) w?.reject(new Error(m.error));
    else w?.resolve(m.batch);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the import's helper thread stopped (exit code ${code})`)));
  return {
    prepare(batch) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      const done = new Promise<PreparedBatch>((resolve, reject) => waiting.set(id, { resolve, reject }));
      worker.postMessage({ id, batch } satisfies PrepareRequest);
      return done;
    },
    async close() {
      await worker.terminate();
    },
  };
}

export async function* prepareCsvBatches(source: AsyncIterable<CsvRecordBatch>, spec: CsvPrepareSpec): AsyncGenerator<PreparedBatch> {
  const normalise = createContactNormaliser({ region: spec.region, portalTimeZone: spec.portalTimeZone });
  const helper = startHelper(spec);
  const queue: Array<Promise<PreparedBatch>> = [];
  try {
    let n = 0;
    for await (const batch of source) {
      if (HELPER_SHARE(n++)) {
        const p = helper.prepare(batch);
        // Awaited in order below; until then a failure must not count as unhandled.
        p.catch(() => undefined);
        queue.push(p);
      } else {
        queue.push(Promise.resolve(prepareBatch(csvRecordsToRows(batch, spec.plan), normalise)));
      }
      while (queue.length >= IN_FLIGHT) yield await queue.shift()!;
    }
    while (queue.length) yield await queue.shift()!;
  } finally {
    await helper.close();
  }
}
