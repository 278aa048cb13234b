import { parse } from 'csv-parse/sync';
import { AppError } from '../../platform/app-error';

// Looks at the first bytes of an upload, before any work is queued, so a file we can never
// import is refused in the request itself: empty, binary, not UTF-8, or without a header row.

export const SAMPLE_BYTES = 64 * 1024;
export type Delimiter = ',' | ';' | '\t';

export interface CsvShape {
  delimiter: Delimiter;
  header: string[];
}

const notText = (message: string) => new AppError('IMPORT_NOT_CSV', 415, message);

/** The header line: everything up to the first line break outside quotes, or null if none yet. */
function headerLine(text: string): string | null {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) return text.slice(0, i);
  }
  return null;
}

function countOutsideQuotes(line: string, ch: string): number {
  let quoted = false;
  let n = 0;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === ch) n++;
  }
  return n;
}

/**
 * @param sample the first SAMPLE_BYTES of the file (or all of it)
 * @param isWholeFile true when the sample is the entire file
 */
export function inspectCsvSample(sample: Buffer, isWholeFile: boolean): CsvShape {
  let bytes = sample;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  if (bytes.length === 0 || (isWholeFile && bytes.toString('utf8').trim() === '')) {
    throw new AppError('IMPORT_EMPTY_FILE', 400, 'The uploaded file is empty.');
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw notText('The file is UTF-16 text; save it as "CSV UTF-8" and upload it again.');
  }
  if (bytes.includes(0)) throw notText('The file contains binary data, not CSV text.');
  let text: string;
  try {
    // stream: true lets the sample end in the middle of a multi-byte character.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !isWholeFile });
  } catch {
    throw notText('The file is not UTF-8 text; save it as "CSV UTF-8" and upload it again.');
  }
  // eslint-disable-next-line no-control-regex
  const controls = text.match(/[\x01-\x08\x0b\x0e-\x1f\x7f]/g)?.length ?? 0;
  if (controls > text.length / 100) throw notText('The file contains binary data, not CSV text.');
  const line = headerLine(text) ?? (isWholeFile ? text : null);
  if (line === null) throw new AppError('IMPORT_HEADER_TOO_LONG', 400, `The header row is longer than ${SAMPLE_BYTES / 1024} KB; is this a CSV file?`);
  let delimiter: Delimiter = ',';
  let most = 0;
  for (const d of [',', ';', '\t'] as const) {
    const n = countOutsideQuotes(line, d);
    if (n > most) [delimiter, most] = [d, n];
  }
  let header: string[];
  try {
    header = (parse(line, { delimiter, relax_quotes: true }) as string[][])[0] ?? [];
  } catch {
    throw new AppError('IMPORT_BAD_HEADER', 400, 'The header row could not be read as CSV (check its quotes).');
  }
  if (header.every((h) => h.trim() === '')) throw new AppError('IMPORT_BAD_HEADER', 400, 'The first row must name the columns; it is blank.');
  if (isWholeFile && text.slice(line.length).trim() === '') {
    throw new AppError('IMPORT_NO_ROWS', 400, 'The file has a header row but no data rows.');
  }
  return { delimiter, header };
}
