import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { CsvRowCounter } from '../../backend/src/domain/imports/csv-row-counter';

// The streaming row count behind the plan's import cap must agree with the CSV parser the import
// uses, however the bytes are cut into chunks: quoted line breaks, doubled quotes, CRLF, blank
// lines and multi-byte characters included.

// A stray quote inside an unquoted field is text to the import's parser (relax_quotes).
const strayQuoteCell = fc.tuple(fc.constantFrom('a', 'é', '5'), fc.string({ unit: fc.constantFrom('a', '"', ' '), maxLength: 5 })).map(([first, rest]) => ({ stray: first + rest }));
const cell = fc.oneof(
  strayQuoteCell,
  fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'é', '😀', ',', '"', '\n', '\r', '\r\n'), maxLength: 8 }),
  fc.constantFrom('', '+12025550123', 'Ada'),
);
const quoteCell = (v: string | { stray: string }) => (typeof v !== 'string' ? v.stray : /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const lineBreak = fc.constantFrom('\n', '\r\n', '\r');

const csvFile = fc
  .record({
    rows: fc.array(fc.array(cell as fc.Arbitrary<string | { stray: string }>, { minLength: 1, maxLength: 4 }), { minLength: 0, maxLength: 12 }),
    breaks: fc.array(lineBreak, { minLength: 13, maxLength: 13 }),
    blanks: fc.array(fc.boolean(), { minLength: 13, maxLength: 13 }),
    trailingBreak: fc.boolean(),
  })
  .map(({ rows, breaks, blanks, trailingBreak }) => {
    const lines = [['phone', 'name'] as Array<string | { stray: string }>, ...rows].map((r) => r.map(quoteCell).join(','));
    let text = '';
    lines.forEach((line, i) => {
      text += line;
      if (i < lines.length - 1 || trailingBreak) text += breaks[i];
      if (blanks[i] && i < lines.length - 1) text += breaks[i];
    });
    return text;
  });

function countInChunks(bytes: Buffer, cuts: number[]): number {
  const counter = new CsvRowCounter();
  let at = 0;
  for (const cut of [...cuts.map((c) => c % (bytes.length + 1))].sort((a, b) => a - b)) {
    counter.push(bytes.subarray(at, Math.max(at, cut)));
    at = Math.max(at, cut);
  }
  counter.push(bytes.subarray(at));
  return counter.dataRows;
}

describe('CsvRowCounter', () => {
  it('counts the data rows csv-parse reads, for any chunking', () => {
    fc.assert(
      fc.property(csvFile, fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        let records: string[][];
        try {
          records = parse(text, { relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as string[][];
        } catch {
          return; // a file the parser refuses fails its import whatever the count (e.g. an unclosed quote)
        }
        // A line of only "" is a record to the parser; whitespace-only lines are records to both; line
        // breaks other than the file's first kind are data to both.
        expect(countInChunks(Buffer.from(text, 'utf8'), cuts)).toBe(Math.max(0, records.length - 1));
      }),
      { numRuns: Number(process.env.ROWCOUNT_RUNS ?? 300) },
    );
  });

  it('does not count blank lines, and counts an unfinished last line', () => {
    const c = new CsvRowCounter();
    c.push(Buffer.from('phone\n\n+1202555'));
    expect(c.dataRows).toBe(1);
    c.push(Buffer.from('0123\n"a\nb"\n'));
    expect(c.dataRows).toBe(2);
  });

  it('takes the first line break as the record delimiter, and a stray quote inside a field as text', () => {
    const crlf = new CsvRowCounter();
    // In a CRLF file a lone LF is data: "1\n2" is one record to the parser.
    crlf.push(Buffer.from('phone\r\n1\n2\r\n3\r'));
    crlf.push(Buffer.from('\n'));
    expect(crlf.dataRows).toBe(2);
    const stray = new CsvRowCounter();
    // ab"c does not open a quoted field, so the next line is a record of its own.
    stray.push(Buffer.from('phone\nab"c\nd\n'));
    expect(stray.dataRows).toBe(2);
  });
});
