import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanHeader, planColumns } from '../../backend/src/domain/imports/column-mapping';
import { createContactNormaliser } from '../../backend/src/domain/imports/contact-normaliser';
import { csvRecordsToRows, readCsvRecordBatches, readCsvRows, type CsvRecordBatch } from '../../backend/src/domain/imports/csv-source';
import { prepareBatch, prepareInline, type PreparedBatch } from '../../backend/src/domain/imports/prepared-batch';
import { uuidV7 } from '../../backend/src/domain/imports/uuid-v7';
import { HEADER, writeContactCsv } from '../fixtures/csv/contact-file-generator';

// An import stages its rows batch by batch (prepared-batch.ts). Where the batches are cut must not
// matter: the same file gives the same staged text, numbers and row numbers in file order at any
// batch size; only the ids staged for new contacts differ (they are random by design).

const CONTEXT = { region: 'US' as const, portalTimeZone: 'America/Denver' };
const plan = planColumns(cleanHeader(HEADER), {});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** All batches as one, with each accepted row's contact id (the second COPY column) blanked out. */
const joined = (batches: PreparedBatch[]) => ({
  copyText: batches.map((b) => b.copyText).join('').replace(/^(\d+)\t[0-9a-f-]{36}\t/gm, '$1\tID\t'),
  phones: batches.flatMap((b) => b.phones),
  phoneRows: batches.flatMap((b) => Array.from(b.phoneRows)),
  rowsRead: batches.reduce((n, b) => n + b.rowsRead, 0),
  rejected: batches.reduce((n, b) => n + b.rejected, 0),
  consentRows: batches.reduce((n, b) => n + b.consentRows, 0),
});

describe('prepared batches', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hac-prep-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stage the same text and numbers in file order whatever the batch size', async () => {
    const file = path.join(dir, 'contacts.csv');
    const made = await writeContactCsv(file, { rows: 12_345 });
    const normalise = createContactNormaliser(CONTEXT);
    const staged = async (batchSize: number) => joined(await collect(prepareInline(readCsvRows({ path: file, delimiter: ',', plan, batchSize }), normalise)));
    const whole = await staged(20_000);
    expect(whole).toMatchObject({ rowsRead: 12_345, rejected: made.invalid });
    expect(whole.phoneRows).toEqual([...whole.phoneRows].sort((a, b) => a - b));
    for (const size of [1, 7, 500, 2000]) expect(await staged(size)).toEqual(whole);
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
