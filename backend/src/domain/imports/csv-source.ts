import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { ColumnPlan } from './column-mapping';
import type { ContactInput, SourceRow } from './contact-input';
import type { Delimiter } from './csv-sniff';

// Stage 1 for CSV files: streams the stored upload through csv-parse (BOM, CRLF, quoted
// delimiters and line breaks) in batches of records, and turns each record into a SourceRow
// using the column plan.
// Row numbers count the header as row 1, as a spreadsheet shows them.

export interface CsvSourceOptions {
  path: string;
  delimiter: Delimiter;
  /** Records per batch (the last may be shorter). */
  batchSize?: number;
  /** Bytes read from the file so far, for progress. */
  onBytes?: (total: number) => void;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One record as a comma-separated CSV line, quoted where needed (for the rejected-rows file). */
export function toCsvLine(cells: readonly string[]): string {
  return cells.map((c) => (NEEDS_QUOTES.test(c) || c.startsWith(' ') || c.endsWith(' ') ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
}

// A class rather than an object literal with a closure: one closure per row is measurable at
// millions of rows.
class CsvRow implements SourceRow {
  constructor(
    readonly rowNumber: number,
    readonly input: ContactInput,
    private readonly cells: string[],
  ) {}

  raw(): string {
    return toCsvLine(this.cells);
  }
}

/** A run of parsed CSV records and the file row number of the first one (the header is row 1). */
export interface CsvRecordBatch {
  records: string[][];
  firstRowNumber: number;
}

/** Streams the file's records in batches; the header record is included (row 1). */
export async function* readCsvRecordBatches(o: CsvSourceOptions): AsyncGenerator<CsvRecordBatch> {
  const file = fs.createReadStream(o.path, { highWaterMark: 256 * 1024 });
  let bytes = 0;
  file.on('data', (chunk) => o.onBytes?.((bytes += chunk.length)));
  const parser = file.pipe(
    parse({
      bom: true,
      delimiter: o.delimiter,
      relax_column_count: true,
      // A lone stray quote inside a field is kept as text instead of failing the whole file.
      relax_quotes: true,
      max_record_size: 1024 * 1024,
    }),
  );
  file.on('error', (err) => parser.destroy(err));
  let next = 1;
  for await (const records of recordBatches(parser, o.batchSize ?? 2000)) {
    yield { records, firstRowNumber: next };
    next += records.length;
  }
}

/** The file's rows, in batches, with the column plan applied. */
export async function* readCsvRows(o: CsvSourceOptions & { plan: ColumnPlan }): AsyncGenerator<SourceRow[]> {
  for await (const batch of readCsvRecordBatches(o)) yield csvRecordsToRows(batch, o.plan);
}

/** Turns a batch of records into SourceRows with the column plan, skipping the header and blank rows. */
export function csvRecordsToRows(batch: CsvRecordBatch, plan: ColumnPlan): SourceRow[] {
  const fields = Object.entries(plan.fields) as Array<[keyof ContactInput, number]>;
  const properties = plan.properties;
  const rows: SourceRow[] = [];
  let rowNumber = batch.firstRowNumber - 1;
  for (const cells of batch.records) {
    rowNumber++;
    if (rowNumber === 1) continue; // the header, already read by the sniffer
    let empty = true;
    for (const c of cells) if (c.trim() !== '') { empty = false; break; }
    if (empty) continue; // blank lines and ",,,," rows carry nothing
    const input: ContactInput = {};
    for (const [field, index] of fields) (input as Record<string, string | undefined>)[field] = cells[index];
    if (properties.length) {
      const props: Record<string, string> = {};
      for (const [name, index] of properties) {
        const v = cells[index];
        if (v !== undefined && v !== '') props[name] = v;
      }
      input.properties = props;
    }
    rows.push(new CsvRow(rowNumber, input, cells));
  }
  return rows;
}

/**
 * Groups a record stream into arrays. 'data' events are csv-parse's fastest output; the stream is
 * paused while a full batch waits for the consumer, which keeps memory bounded (backpressure).
 */
export async function* recordBatches(stream: Readable, size: number): AsyncGenerator<string[][]> {
  let pending: string[][] = [];
  let finished = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  stream.on('data', (record: string[]) => {
    pending.push(record);
    if (pending.length >= size) {
      stream.pause();
      notify();
    }
  });
  stream.once('end', () => ((finished = true), notify()));
  stream.once('close', () => ((finished = true), notify()));
  stream.once('error', (err) => ((failure = err), notify()));
  try {
    for (;;) {
      if (failure) throw failure;
      if (pending.length >= size || (finished && pending.length)) {
        const out = pending;
        pending = [];
        yield out;
        stream.resume();
      } else if (finished) {
        return;
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
      }
    }
  } finally {
    // The consumer may stop early (a failed import): release the file.
    if (!stream.destroyed) stream.destroy();
  }
}
