import type { NormaliseResult, ContactInput, SourceRow } from './contact-input';
import { stagedContactLine, stagedRejectedLine } from './import-staging';
import { uuidV7 } from './uuid-v7';

// The per-row work of an import that needs nothing but the row: normalising it and writing its
// line of COPY text, most of an import's CPU time. What must see the rows in file order (the
// "last row wins" duplicate check) is left to the pipeline, which gets the numbers for it here.
// (Spreading this over a second thread was measured and dropped: see the README's benchmark.)

export interface PreparedBatch {
  /** COPY text for every row of the batch, accepted and rejected, in file order. */
  copyText: string;
  /** The E.164 number of each accepted row, in file order... */
  phones: string[];
  /** ...and that row's number. */
  phoneRows: Int32Array;
  rowsRead: number;
  rejected: number;
  /** Accepted rows that carried consent values. */
  consentRows: number;
}

export function prepareBatch(rows: readonly SourceRow[], normalise: (input: ContactInput) => NormaliseResult): PreparedBatch {
  let copyText = '';
  const phones: string[] = [];
  const phoneRows = new Int32Array(rows.length);
  let rejected = 0;
  let consentRows = 0;
  // One millisecond for the batch: ids only need to be ordered roughly by time, not within it.
  const ms = Date.now();
  for (const row of rows) {
    const result = normalise(row.input);
    if (!result.ok) {
      rejected++;
      copyText += stagedRejectedLine(row.rowNumber, result.reason, row.raw());
      continue;
    }
    if (result.contact.consent) consentRows++;
    phoneRows[phones.length] = row.rowNumber;
    phones.push(result.contact.phone);
    copyText += stagedContactLine(row.rowNumber, uuidV7(ms), result.contact);
  }
  return { copyText, phones, phoneRows: phoneRows.slice(0, phones.length), rowsRead: rows.length, rejected, consentRows };
}

/** Prepares a source's batches one after another, in file order. */
export async function* prepareInline(rows: AsyncIterable<SourceRow[]>, normalise: (input: ContactInput) => NormaliseResult): AsyncGenerator<PreparedBatch> {
  for await (const batch of rows) yield prepareBatch(batch, normalise);
}
