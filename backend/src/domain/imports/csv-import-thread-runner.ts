import { Worker } from 'node:worker_threads';
import type { CountryCode } from 'libphonenumber-js/max';
import type { ColumnPlan } from './column-mapping';
import type { Delimiter } from './csv-sniff';
import type { ImportMode } from './import-merge';
import type { PipelineCounts, PipelineResult } from './import-pipeline';
import { threadBootstrap } from './thread-bootstrap';

// A CSV import is CPU-bound for seconds to minutes (parsing, libphonenumber). It runs in a
// worker thread so the worker process's event loop stays free: BullMQ lock renewals and the
// dialling jobs sharing the process are not held up, and the thread's own small heap limit
// keeps the import's memory bounded.

export interface CsvThreadSpec {
  databaseUrl: string;
  importId: string;
  portalId: string;
  mode: ImportMode;
  path: string;
  delimiter: Delimiter;
  plan: ColumnPlan;
  region: CountryCode | undefined;
  portalTimeZone: string;
}

export type CsvThreadMessage =
  | { type: 'progress'; counts: PipelineCounts; bytesRead: number }
  | { type: 'done'; result: PipelineResult | null; bytesRead: number }
  | { type: 'error'; message: string; code?: string };

export interface CsvThreadRun {
  result: Promise<{ result: PipelineResult | null; bytesRead: number }>;
  /** Stops the thread; its connection closes and Postgres rolls back anything uncommitted. */
  terminate(): Promise<void>;
}

export function startCsvImportThread(spec: CsvThreadSpec, onProgress: (counts: PipelineCounts, bytesRead: number) => void): CsvThreadRun {
  const worker = new Worker(threadBootstrap('csv-import.thread'), {
    eval: true,
    workerData: spec,
    resourceLimits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 8 },
  });
  const result = new Promise<{ result: PipelineResult | null; bytesRead: number }>((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: CsvThreadMessage) => {
      if (m.type === 'progress') onProgress(m.counts, m.bytesRead);
      else if (m.type === 'done') {
        settled = true;
        resolve({ result: m.result, bytesRead: m.bytesRead });
      } else {
        settled = true;
        reject(Object.assign(new Error(m.message), { code: m.code }));
      }
    });
    worker.on('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`the import thread stopped unexpectedly (exit code ${code})`));
    });
  });
  return {
    result,
    async terminate() {
      await worker.terminate();
    },
  };
}
