import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createImportHarness, filesIn, postCsv, type ImportHarness } from './import-test-support';

// Files that can never import are refused in the request with a code and a sentence, and leave
// nothing behind: no Import row, no contact, no file under DATA_DIR.

const MAX = 256 * 1024;

/** Streams `total` bytes of CSV-ish text to the server (chunked, or with a declared length) and stops at the first answer. */
function streamUpload(port: number, auth: Record<string, string>, total: number, declaredLength?: number): Promise<{ status: number; body: any; sent: number }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...auth, 'Content-Type': 'text/csv' };
    if (declaredLength !== undefined) headers['Content-Length'] = String(declaredLength);
    const req = http.request({ host: '127.0.0.1', port, path: '/api/v1/imports', method: 'POST', headers });
    let sent = 0;
    let answered = false;
    const line = Buffer.from('2025550123,Ada Lovelace,ada@example.com\n'.repeat(1000));
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text), sent }));
    });
    req.on('error', (err) => (answered ? undefined : reject(err)));
    const pump = () => {
      while (!answered && sent < total) {
        const chunk = sent === 0 ? Buffer.concat([Buffer.from('phone,name,email\n'), line]) : line;
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered && declaredLength === undefined) req.end();
    };
    pump();
  });
}

describe('CSV import: bad input', () => {
  let h: ImportHarness;
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    h = await createImportHarness({ worker: false, env: { IMPORT_MAX_BYTES: String(MAX) } });
    server = h.ctx.app.listen(0);
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.close();
    await h.close();
  });
  afterEach(async () => {
    expect(await h.ctx.deps.db.import.count()).toBe(0);
    expect(await h.ctx.deps.db.contact.count()).toBe(0);
    expect(filesIn(h.dataDir)).toEqual([]);
  });

  const expectError = (res: { status: number; body: any }, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(/^[A-Z].+\.$/); // a sentence
  };

  it('refuses an empty file', async () => {
    expectError(await postCsv(h, ''), 400, 'IMPORT_EMPTY_FILE');
    expectError(await postCsv(h, '\uFEFF  \r\n'), 400, 'IMPORT_EMPTY_FILE');
  });

  it('refuses a header with no rows under it', async () => {
    expectError(await postCsv(h, 'phone,name\r\n'), 400, 'IMPORT_NO_ROWS');
  });

  it('refuses a file without a phone column, naming the columns it found', async () => {
    const res = await postCsv(h, 'name,email\nAda,ada@example.com\n');
    expectError(res, 422, 'IMPORT_NO_PHONE_COLUMN');
    expect(res.body.error.details.header).toEqual(['name', 'email']);
  });

  it('refuses binary data', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.alloc(4000, 7)]);
    expectError(await postCsv(h, png), 415, 'IMPORT_NOT_CSV');
    const latin1 = Buffer.from('phone,name\n2025550123,Jos\xe9\n', 'latin1');
    expectError(await postCsv(h, latin1), 415, 'IMPORT_NOT_CSV');
    const utf16 = Buffer.from('\ufeffphone,name\n', 'utf16le');
    expectError(await postCsv(h, utf16), 415, 'IMPORT_NOT_CSV');
  });

  it('refuses an upload declared larger than the limit before reading it (a 2 GB upload)', async () => {
    const twoGb = 2 * 1024 ** 3;
    const res = await streamUpload(port, h.auth, 10 * 1024 * 1024, twoGb);
    expectError(res, 413, 'IMPORT_TOO_LARGE');
    expect(res.body.error.details.maxBytes).toBe(MAX);
  });

  it('cuts off a streamed upload as soon as it passes the limit and deletes the partial file', async () => {
    const total = 64 * 1024 * 1024;
    const res = await streamUpload(port, h.auth, total);
    expectError(res, 413, 'IMPORT_TOO_LARGE');
    expect(res.sent).toBeLessThan(total); // answered while the client was still sending
  });

  it('drops an upload the client abandons half-way', async () => {
    const req = http.request({ host: '127.0.0.1', port, path: '/api/v1/imports', method: 'POST', headers: { ...h.auth, 'Content-Type': 'text/csv', 'Content-Length': String(MAX - 1) } });
    req.on('error', () => undefined);
    req.write('phone,name\n2025550123,Ada\n'.repeat(200));
    // Once the server is writing the upload to disk, the client goes away.
    for (let i = 0; i < 200 && !filesIn(h.dataDir).some((f) => f.endsWith('.part')); i++) await new Promise((r) => setTimeout(r, 25));
    expect(filesIn(h.dataDir).filter((f) => f.endsWith('.part'))).toHaveLength(1);
    req.destroy();
    // The server notices the closed socket, fails the stream and deletes the partial file.
    // (Up to 15 s: on a machine busy with other suites the server may take a while to see it.)
    for (let i = 0; i < 300 && filesIn(h.dataDir).length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(filesIn(h.dataDir)).toEqual([]);
  }, 30_000);

  it('refuses other content types, a bad option and a mapping naming an unknown column', async () => {
    const json = await request(h.ctx.app).post('/api/v1/imports').set(h.auth).send({ phone: '1' });
    expectError(json, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await postCsv(h, 'phone\n2025550123\n', { mode: 'merge' }), 400, 'VALIDATION_FAILED');
    expectError(await postCsv(h, 'phone\n2025550123\n', { defaultRegion: 'XX' }), 400, 'VALIDATION_FAILED');
    expectError(await postCsv(h, 'phone\n2025550123\n', { mapping: '{"Cell":"phone"}' }), 422, 'IMPORT_MAPPING_UNKNOWN_COLUMN');
    expectError(await postCsv(h, 'phone\n2025550123\n', { mapping: 'not json' }), 400, 'VALIDATION_FAILED');
  });

  it('refuses a multipart form without a file part', async () => {
    const res = await request(h.ctx.app).post('/api/v1/imports').set(h.auth).field('mode', 'update');
    expectError(res, 400, 'IMPORT_FILE_MISSING');
  });
});
