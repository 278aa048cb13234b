import type { Client } from 'pg';
import { ImportStaging } from './import-staging';
import { mergeStaged, type ImportMode, type MergeResult } from './import-merge';
import { PhoneIndex } from './phone-index';
import type { PreparedBatch } from './prepared-batch';

// The import pipeline every source shares:
//   source (CSV stream, HubSpot list pages…) → row normaliser → staging COPY → one merge.
// A source yields batches already normalised and written as COPY text (prepared-batch.ts), so
// the pipeline itself only keeps file order: the duplicate check, staging and the merge.

export interface PipelineCounts {
  rowsRead: number;
  duplicate: number;
  rejected: number;
}

export interface RunPipelineOptions {
  /** A dedicated connection: the staging tables are temporary tables of its session. */
  client: Client;
  importId: string;
  portalId: string;
  mode: ImportMode;
  contactSource: string;
  /** The source's rows, normalised, in file order. */
  batches: AsyncIterable<PreparedBatch>;
  /** Called after each batch is staged; may be async (progress writes). */
  onProgress?: (counts: PipelineCounts) => unknown;
  /** Extra figures to store with the completed import (bytes read from a file). */
  bytesRead?: () => number;
}

export interface PipelineResult extends PipelineCounts, MergeResult {
  /** Seconds spent reading+normalising+staging, finishing the COPY, and merging (for profiling). */
  timings: { stageSec: number; closeSec: number; mergeSec: number };
}

/** Stages every prepared batch, deduplicating on the E.164 number (the last row wins). */
export async function stageRows(staging: ImportStaging, o: Pick<RunPipelineOptions, 'batches' | 'onProgress'>): Promise<PipelineCounts> {
  const counts: PipelineCounts = { rowsRead: 0, duplicate: 0, rejected: 0 };
  const seen = new PhoneIndex();
  for await (const batch of o.batches) {
    counts.rowsRead += batch.rowsRead;
    counts.rejected += batch.rejected;
    const { phones, phoneRows } = batch;
    for (let i = 0; i < phones.length; i++) {
      const replaced = seen.set(phones[i]!, phoneRows[i]!);
      if (replaced >= 0) {
        counts.duplicate++;
        staging.addLoser(replaced);
      }
    }
    staging.addBatch(batch);
    await staging.flush();
    await o.onProgress?.({ ...counts });
  }
  return counts;
}

/** Runs stages 2 and 3; returns null if another run of the same import finished it first. */
export async function runImportPipeline(o: RunPipelineOptions): Promise<PipelineResult | null> {
  const t0 = performance.now();
  const staging = await ImportStaging.open(o.client);
  const counts = await stageRows(staging, o);
  const t1 = performance.now();
  await staging.close();
  const t2 = performance.now();
  const merged = await mergeStaged(o.client, {
    importId: o.importId,
    portalId: o.portalId,
    mode: o.mode,
    contactSource: o.contactSource,
    consentRows: staging.consentRows,
    counts: { ...counts, bytesRead: o.bytesRead?.() },
  });
  const t3 = performance.now();
  await o.client.query('DROP TABLE IF EXISTS pg_temp.import_stage, pg_temp.import_losers');
  const sec = (ms: number) => Math.round(ms) / 1000;
  return merged && { ...counts, ...merged, timings: { stageSec: sec(t1 - t0), closeSec: sec(t2 - t1), mergeSec: sec(t3 - t2) } };
}
