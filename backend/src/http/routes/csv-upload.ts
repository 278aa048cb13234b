import { PassThrough, type Readable } from 'node:stream';
import type { Request } from 'express';
import busboy from 'busboy';
import { AppError } from '../../platform/app-error';

// Takes a CSV file out of a request without buffering it: a raw text/csv body (options in the
// query string) or multipart/form-data (option fields first, then the file part). Resolves as
// soon as the file starts, with the stream still flowing, so the domain can store and check it.

export interface CsvUpload {
  file: Readable;
  fields: Record<string, string>;
  /** Upper bound of the file's size from Content-Length, when the client sent one. */
  declaredBytes?: number;
}

const RAW_TYPES = /^(text\/csv|application\/csv|text\/plain|application\/vnd\.ms-excel|text\/tab-separated-values)\b/i;
const MULTIPART_OVERHEAD = 1024 * 1024; // fields (10 × 64 KB at most) and part headers

const aborted = () => new AppError('IMPORT_UPLOAD_ABORTED', 400, 'The upload was interrupted before the file was complete.');
const malformed = () => new AppError('MALFORMED_MULTIPART', 400, 'The multipart body could not be read (it breaks off, or its boundary is wrong).');

/**
 * A client that goes away mid-upload must fail the file stream, or its consumer would wait forever.
 * The file may fail before its consumer starts reading (the route still checks the options): the
 * error then stays on the stream for the reader, instead of being thrown with no listener.
 */
function failOnAbort(req: Request, file: Readable): void {
  file.on('error', () => undefined);
  req.once('close', () => {
    if (!req.complete && !file.destroyed) file.destroy(aborted());
  });
}

export function readCsvUpload(req: Request): Promise<CsvUpload> {
  const type = req.get('content-type') ?? '';
  const length = Number(req.get('content-length'));
  const declared = Number.isFinite(length) && length >= 0 ? length : undefined;
  const repeated = Object.entries(req.query).find(([, v]) => typeof v !== 'string');
  if (repeated) return Promise.reject(new AppError('IMPORT_OPTION_REPEATED', 400, `The option "${repeated[0].slice(0, 100)}" is given more than once; give each option once.`));
  const query = req.query as Record<string, string>;
  if (RAW_TYPES.test(type)) {
    // A PassThrough between the socket and the consumer: if the consumer stops early (too large,
    // not CSV) it is the PassThrough that is destroyed, and the answer can still be sent.
    const file = new PassThrough();
    req.pipe(file);
    failOnAbort(req, file);
    return Promise.resolve({ file, fields: { ...query, ...(req.get('x-file-name') ? { fileName: req.get('x-file-name')! } : {}) }, declaredBytes: declared });
  }
  if (!/^multipart\/form-data\b/i.test(type)) {
    return Promise.reject(
      new AppError('UNSUPPORTED_MEDIA_TYPE', 415, 'Send the file as text/csv (options in the query string) or as multipart/form-data with a "file" part.'),
    );
  }
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 10, fieldSize: 64 * 1024 } });
    } catch {
      reject(new AppError('MALFORMED_MULTIPART', 400, 'The multipart body could not be read (check its boundary).'));
      return;
    }
    const fields: Record<string, string> = { ...query };
    let gotFile = false;
    parser.on('field', (name, value) => {
      if (!gotFile) fields[name] = value;
    });
    parser.on('file', (_name, stream, info) => {
      if (gotFile) return void stream.resume(); // only the first file counts
      gotFile = true;
      if (info.filename && !fields.fileName) fields.fileName = info.filename;
      // busboy fails the part with its own error when the form breaks off (no closing boundary):
      // the consumer gets ours, a 400, through a PassThrough of our own.
      const file = new PassThrough();
      stream.on('error', () => file.destroy(malformed()));
      failOnAbort(req, file);
      stream.pipe(file);
      resolve({ file, fields, declaredBytes: declared === undefined ? undefined : Math.max(0, declared - MULTIPART_OVERHEAD) });
    });
    parser.on('error', () => reject(malformed()));
    parser.on('close', () => {
      if (!gotFile) reject(new AppError('IMPORT_FILE_MISSING', 400, 'The form has no file part; attach the CSV as a "file" field.'));
    });
    req.pipe(parser);
  });
}
