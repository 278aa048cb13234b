import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { AppError } from '../../platform/app-error';
import { SAMPLE_BYTES } from './csv-sniff';
import { CsvRowCounter } from './csv-row-counter';

// Streams an upload to a file under DATA_DIR while hashing it: the file is never held in memory,
// an upload over the size cap is cut off as soon as it passes the cap, and a refused or broken
// upload leaves no file behind.

export interface StoredUpload {
  path: string;
  sha256: string;
  bytes: number;
  sample: Buffer;
}

export interface StoreUploadOptions {
  dir: string;
  maxBytes: number;
  /** Content-Length when the client sent one: lets an oversized upload be refused unread. */
  declaredBytes?: number;
  /** Called once with the first SAMPLE_BYTES (or the whole file if smaller); throwing aborts the upload. */
  checkSample?: (sample: Buffer, isWholeFile: boolean) => void;
  /** Most data rows (after the header) the file may hold; over it, `tooManyRows` is thrown while it streams. */
  maxRows?: { rows: number; tooManyRows: () => Error };
}

export const tooLarge = (maxBytes: number) =>
  new AppError('IMPORT_TOO_LARGE', 413, `The file is larger than the ${formatBytes(maxBytes)} this server accepts for one import.`, { maxBytes });

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${+(n / 1024 ** 3).toFixed(2)} GB`;
  if (n >= 1024 ** 2) return `${+(n / 1024 ** 2).toFixed(2)} MB`;
  return `${n} bytes`;
}

export async function storeUpload(input: Readable, opts: StoreUploadOptions): Promise<StoredUpload> {
  if (opts.declaredBytes !== undefined && opts.declaredBytes > opts.maxBytes) throw tooLarge(opts.maxBytes);
  await fs.promises.mkdir(opts.dir, { recursive: true });
  const finalPath = path.join(opts.dir, `${crypto.randomUUID()}.csv`);
  const partPath = `${finalPath}.part`;
  const out = fs.createWriteStream(partPath, { flags: 'wx' });
  const hash = crypto.createHash('sha256');
  const head: Buffer[] = [];
  let headBytes = 0;
  let bytes = 0;
  let sampleChecked = false;
  const rows = opts.maxRows ? new CsvRowCounter() : undefined;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > opts.maxBytes) throw tooLarge(opts.maxBytes);
      if (rows && opts.maxRows) {
        rows.push(chunk);
        // A record still arriving counts already: it has begun, so it is a row of the file.
        if (rows.dataRows > opts.maxRows.rows) throw opts.maxRows.tooManyRows();
      }
      if (headBytes < SAMPLE_BYTES) {
        head.push(chunk);
        headBytes += chunk.length;
        if (headBytes >= SAMPLE_BYTES) {
          opts.checkSample?.(Buffer.concat(head).subarray(0, SAMPLE_BYTES), false);
          sampleChecked = true;
        }
      }
      hash.update(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
    }
    const sample = Buffer.concat(head).subarray(0, SAMPLE_BYTES);
    if (!sampleChecked) opts.checkSample?.(sample, true);
    out.end();
    await once(out, 'finish');
    await fs.promises.rename(partPath, finalPath);
    return { path: finalPath, sha256: hash.digest('hex'), bytes, sample };
  } catch (err) {
    // Leaving the for-await early has already destroyed `input`; the HTTP layer closes the connection.
    // The write stream opens its file asynchronously: wait until it has closed, or the open could
    // land after the rm and leave the .part file behind.
    // (An 'error' while closing must not skip the rm: `once` would reject on it.)
    out.on('error', () => undefined);
    out.destroy();
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
    await fs.promises.rm(partPath, { force: true });
    throw err;
  }
}
