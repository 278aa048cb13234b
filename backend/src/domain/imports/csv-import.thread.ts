import { parentPort, workerData } from 'node:worker_threads';
import { Client } from 'pg';
import { createContactNormaliser } from './contact-normaliser';
import { readCsvRows } from './csv-source';
import { prepareInline } from './prepared-batch';
import { runImportPipeline, type PipelineCounts } from './import-pipeline';
import type { CsvThreadMessage, CsvThreadSpec } from './csv-import-thread-runner';

// Entry point of the thread a CSV import runs in (see csv-import-thread-runner.ts). It owns one
// Postgres connection for the staging tables and the merge, and reports back by message only.

const PROGRESS_EVERY_MS = 250;

async function main(spec: CsvThreadSpec): Promise<void> {
  const post = (m: CsvThreadMessage) => parentPort!.postMessage(m);
  const client = new Client({ connectionString: spec.databaseUrl, application_name: `hac-import:${spec.importId}` });
  await client.connect();
  try {
    let bytes = 0;
    let lastPost = 0;
    const result = await runImportPipeline({
      client,
      importId: spec.importId,
      portalId: spec.portalId,
      mode: spec.mode,
      contactSource: 'csv_import',
      batches: prepareInline(
        readCsvRows({ path: spec.path, delimiter: spec.delimiter, plan: spec.plan, onBytes: (n) => (bytes = n) }),
        createContactNormaliser({ region: spec.region, portalTimeZone: spec.portalTimeZone }),
      ),
      bytesRead: () => bytes,
      onProgress: (counts: PipelineCounts) => {
        const now = Date.now();
        if (now - lastPost < PROGRESS_EVERY_MS) return;
        lastPost = now;
        post({ type: 'progress', counts, bytesRead: bytes });
      },
    });
    post({ type: 'done', result, bytesRead: bytes });
  } finally {
    await client.end().catch(() => undefined);
  }
}

main(workerData as CsvThreadSpec).catch((err: unknown) => {
  const e = err instanceof Error ? err : new Error(String(err));
  parentPort!.postMessage({ type: 'error', message: e.message, code: (e as { code?: string }).code } satisfies CsvThreadMessage);
});
