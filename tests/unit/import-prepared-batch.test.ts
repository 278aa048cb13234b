import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanHeader, planColumns } from '../../backend/src/domain/imports/column-mapping';
import { createContactNormaliser } from '../../backend/src/domain/imports/contact-normaliser';
import { prepareCsvBatches } from '../../backend/src/domain/imports/csv-prepare-pool';
import { csvRecordsToRows, readCsvRecordBatches, type CsvRecordBatch } from '../../backend/src/domain/imports/csv-source';
import { prepareBatch, type PreparedBatch } from '../../backend/src/domain/imports/prepared-batch';
import { uuidV7 } from '../../backend/src/domain/imports/uuid-v7';
import { HEADER, writeContactCsv } from '../fixtures/csv/contact-file-generator';

// A CSV import prepares its batches in two threads (csv-prepare-pool.ts). What comes out must be
// what one thread would have produced, batch for batch and in file order; only the ids staged for
// new contacts differ (they are random by design).

const CONTEXT = { region: 'US' as const, portalTimeZone: 'America/Denver' };
const plan = planColumns(cleanHeader(HEADER), {});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The batch with each accepted row's contact id (the second COPY column) blanked out. */
const withoutIds = (b: PreparedBatch) => ({
  ...b,
  phoneRows: Array.from(b.phoneRows),
  copyText: b.copyText.replace(/^(\d+)\t[0-9a-f-]{36}\t/gm, '$1\tID\t'),
});

describe('prepared batches', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hac-prep-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('come out of the two-thread pool exactly as one thread prepares them, in file order', async () => {
    const file = path.join(dir, 'contacts.csv');
    await writeContactCsv(file, { rows: 12_345 });
    const source = () => readCsvRecordBatches({ path: file, delimiter: ',', batchSize: 500 });
    const normalise = createContactNormaliser(CONTEXT);
    const inline = (await collect(source())).map((b) => withoutIds(prepareBatch(csvRecordsToRows(b, plan), normalise)));
    const pooled = (await collect(prepareCsvBatches(source(), { plan, ...CONTEXT }))).map(withoutIds);
    expect(pooled.length).toBe(inline.length);
    expect(pooled).toEqual(inline);
    expect(pooled.reduce((n, b) => n + b.rowsRead, 0)).toBe(12_345);
  }, 60_000);

  it('number rows as a spreadsheet does whatever the batch size, past blank lines and quoted line breaks', async () => {
    const file = path.join(dir, 'small.csv');
    fs.writeFileSync(file, 'Phone,Notes\r\n2025550101,"two\r\nlines"\r\n\r\n,,\r\nnope,x\r\n2025550102,\r\n');
    const rowsOf = async (batchSize: number) =>
      (await collect(readCsvRecordBatches({ path: file, delimiter: ',', batchSize }))).flatMap((b: CsvRecordBatch) =>
        csvRecordsToRows(b, planColumns(cleanHeader(['Phone', 'Notes']), {})).map((r) => [r.rowNumber, r.input.phone]),
      );
    const expected = [[2, '2025550101'], [5, 'nope'], [6, '2025550102']];
    for (const size of [1, 2, 3, 1000]) expect(await rowsOf(size)).toEqual(expected);
  });

  it('stage an accepted row with a time-ordered version 7 id', () => {
    const id = uuidV7(0x0123456789ab);
    expect(id).toMatch(/^01234567-89ab-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ids = [1, 2, 3, 1000, 2 ** 40].map((ms) => uuidV7(ms));
    expect([...ids].sort()).toEqual(ids);
    const batch = prepareBatch(csvRecordsToRows({ records: [HEADER, ['1', 'Ada', '', '', '2025550123', '', '', '', '', '']], firstRowNumber: 1 }, plan), createContactNormaliser(CONTEXT));
    expect(batch.copyText).toMatch(/^2\t[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\t\+12025550123\t/);
    expect({ phones: batch.phones, phoneRows: Array.from(batch.phoneRows), rowsRead: batch.rowsRead, rejected: batch.rejected }).toEqual({
      phones: ['+12025550123'],
      phoneRows: [2],
      rowsRead: 1,
      rejected: 0,
    });
  });
});
