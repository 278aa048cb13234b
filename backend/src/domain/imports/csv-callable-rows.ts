import { parse } from 'csv-parse/sync';
import type { CountryCode } from 'libphonenumber-js/max';
import { AppError } from '../../platform/app-error';
import { normalisePhone } from '../contacts/phone-normaliser';
import type { ColumnPlan } from './column-mapping';
import type { CsvShape } from './csv-sniff';

// A file small enough to arrive whole in the request sample is read to its end before anything
// is queued: if it is not valid CSV, or not one of its rows holds a number that could be called,
// the upload is refused with the rows' own reasons, instead of an import whose only outcome is
// rejecting every row. (Larger files are checked row by row by the import itself.) Rows are read
// as the import reads them (csv-source.ts), and a number is taken from phone, else mobile phone.

const EXAMPLES = 5;

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

export function assertSomeRowCallable(file: Buffer, shape: CsvShape, plan: ColumnPlan, region: CountryCode | undefined): void {
  let records: string[][];
  try {
    records = parse(file, { bom: true, delimiter: shape.delimiter, relax_column_count: true, relax_quotes: true, max_record_size: 1024 * 1024 });
  } catch (err) {
    throw new AppError('IMPORT_BAD_CSV', 422, sentence(`The file is not valid CSV: ${(err as Error).message}`));
  }
  const columns = [plan.fields.phone, plan.fields.mobilePhone].filter((i): i is number => i !== undefined);
  const examples: Array<{ row: number; reason: string }> = [];
  let rows = 0;
  for (let i = 1; i < records.length; i++) {
    const cells = records[i]!;
    if (cells.every((c) => c.trim() === '')) continue;
    rows++;
    let reason = 'phone number is empty';
    for (const column of columns) {
      const r = normalisePhone(cells[column], region);
      if (r.ok) return;
      if (cells[column]?.trim() && reason === 'phone number is empty') reason = r.reason; // the first number's reason, as the import reports it
    }
    if (examples.length < EXAMPLES) examples.push({ row: i + 1, reason });
  }
  // Only blank rows (",,," lines): the sniffer saw text under the header, but there is no row.
  if (rows === 0) throw new AppError('IMPORT_NO_ROWS', 400, 'The file has a header row but no data rows.');
  const first = examples[0]!;
  throw new AppError(
    'IMPORT_NO_CALLABLE_ROWS',
    422,
    `None of the file's ${rows} row${rows === 1 ? '' : 's'} has a phone number that can be called (row ${first.row}: ${first.reason}); nothing was imported.`,
    { rows, examples },
  );
}
