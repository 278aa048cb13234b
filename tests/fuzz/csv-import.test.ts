import fc from 'fast-check';
import request from 'supertest';
import { createFuzzWorld, type FuzzWorld } from './support/fuzz-world';
import { expectStillUp, fuzzTimeout, runFuzzSurface, type Answer } from './support/fuzz-runner';
import { shortHostileString } from './support/hostile-json';
import { hostileQuery } from './support/schema-hostile';
import { ZImportOptions } from '../../backend/src/domain/imports/import-options';
import { normalisePhone } from '../../backend/src/domain/contacts/phone-normaliser';

// CSV import under fuzz, on the three ways a file comes in: the API (text/csv or multipart), the
// upload page (with its upload token) and the do-not-call list import. Every file is one that can
// never import: empty, binary, not UTF-8, no phone column, bad quoting, other delimiters, or no
// row with a number that could be called; or a good file sent with bad options, the wrong media
// type, a broken form or a bad upload token. Each is refused in the request, and nothing stays
// behind: no row, no queued job, no file under DATA_DIR.

let w: FuzzWorld;
let uploadToken: string;
beforeAll(async () => {
  w = await createFuzzWorld();
  const res = await request(w.ctx.app).post('/api/v1/upload-tokens').set(w.auth).send({});
  uploadToken = new URL(res.body.url as string).searchParams.get('token')!;
});
afterAll(() => w.close());

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const GOOD = 'phone,first name,email\n2025550123,Ada,ada@example.test\n';

const NOT_PHONE_WORDS = ['name', 'first name', 'email', 'company', 'notes', 'address', 'city', 'zip', 'id', 'owner', 'created', 'status', 'score'];
const invalidNumber = fc
  .oneof(fc.constantFrom('', 'abc', '123', '555', 'N/A', '+', '-', '0', '+999 1234', '1'.repeat(30), '(000)', 'call me', '#REF!', '=1+1'), shortHostileString.map((s) => s.replace(/[,;\t\r\n"]/g, '')))
  .filter((v) => !normalisePhone(v, 'US').ok && !normalisePhone(v, undefined).ok);

const lines = (rows: string[][], delimiter = ',') => rows.map((r) => r.join(delimiter)).join('\n') + '\n';

/** Files that cannot even be read as a list of numbers: no import of any kind takes them. */
const unreadable: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constantFrom('', '\uFEFF', '  \r\n', '\n\n\n', '\uFEFF \t ').map(utf8),
  fc.uint8Array({ minLength: 1, maxLength: 2_000 }).map((b) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), b])),
  fc.tuple(fc.uint8Array({ maxLength: 500 }), fc.nat()).map(([b, at]) => Buffer.concat([utf8(GOOD), Buffer.from(b), Buffer.from([0]), utf8(GOOD.slice(at % GOOD.length))])),
  fc.constantFrom('utf16le' as const).map((enc) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD, enc)])),
  fc.constant(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(GOOD, 'utf16le').swap16()])),
  fc.constantFrom(0xff, 0xc3, 0xe2, 0x80).map((byte) => Buffer.concat([utf8('phone,name\n2025550123,Jos'), Buffer.from([byte]), utf8('\n')])),
  fc.integer({ min: 20, max: 200 }).map((n) => utf8(`phone,name\n${'2025550123,\u0001\u0002\u0003\n'.repeat(n)}`)),
  // No phone column (header words only, or another delimiter gluing the header into one column).
  fc.tuple(fc.uniqueArray(fc.constantFrom(...NOT_PHONE_WORDS), { minLength: 1, maxLength: 5 }), fc.constantFrom(',', ';', '\t')).map(([header, d]) => utf8(lines([header, header.map(() => '2025550123')], d))),
  fc.constantFrom('|', ':', ' ', '/').map((d) => utf8(lines([['phone', 'name'], ['2025550123', 'Ada']], d))),
  // A header and nothing under it; a header past the sample; a header whose quote never closes.
  fc.constantFrom('phone,name\n', 'phone,name\r\n\r\n\r\n', 'phone', '"phone","name"\n \n', 'phone,name\n,\n , \n').map(utf8),
  fc.constant(utf8(`phone,${'column,'.repeat(12_000)}\n2025550123\n`)),
  fc.constantFrom('"phone,name\n2025550123,Ada\n', '"phone\n').map(utf8),
  // Rows whose quoting breaks the file.
  fc.constantFrom('phone,name\n"2025550123,Ada\n', 'phone,name\n2025550123,"Ada\n2025550124,Bob\n').map(utf8),
);

/** Files that can never import contacts: unreadable, or no row with a number that could be called. */
const neverImports: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 3, arbitrary: unreadable },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom('phone', 'Phone Number', 'mobile', 'tel'), fc.array(fc.tuple(invalidNumber, fc.constantFrom('Ada', 'Bo', '')), { minLength: 1, maxLength: 30 })).map(([col, rows]) =>
      utf8(lines([[col, 'name'], ...rows.map(([p, n]) => [p, n])])),
    ),
  },
);

/** The same options as form fields, ahead of a good file: bad values, NUL, keys and text no column can hold. */
const formOptions: fc.Arbitrary<Array<[string, string]>> = fc.oneof(
  fc.constantFrom<Array<[string, string]>>(
    [['mode', 'merge']],
    [['defaultRegion', 'XX']],
    [['mapping', 'not json']],
    [['mapping', '["phone"]']],
    [['mapping', '{"phone":"password"}']],
    [['fileName', 'a\u0000b.csv']],
    [['fileName', 'x'.repeat(256)]],
    [['mapping', '{"a\\u0000b":"ignore"}']],
    [['mapping', '{"\\ud800":"ignore"}']],
    [['mapping', '{"__proto__":"phone"}']],
  ),
  fc.tuple(fc.constantFrom('mode', 'defaultRegion', 'mapping'), shortHostileString.filter((v) => v !== '')).filter(([k, v]) => !ZImportOptions.safeParse({ [k]: v }).success).map((f) => [f]),
);

type CsvCase =
  | { via: 'api-raw' | 'api-form' | 'upload-page' | 'dnc'; file: Buffer }
  | { via: 'options'; query: string }
  | { via: 'form-options'; fields: Array<[string, string]> }
  | { via: 'media-type'; contentType: string }
  | { via: 'broken-form'; kind: 'no-boundary' | 'no-file' | 'truncated' }
  | { via: 'bad-token'; token: string };

const csvCases: fc.Arbitrary<CsvCase> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom<'api-raw' | 'api-form' | 'upload-page'>('api-raw', 'api-form', 'upload-page'), neverImports).map(([via, file]) => ({ via, file })) },
  // A do-not-call import answers bad rows one by one in the request, so it gets the unreadable files.
  { weight: 1, arbitrary: unreadable.map((file) => ({ via: 'dnc' as const, file })) },
  { weight: 2, arbitrary: hostileQuery(ZImportOptions, fc.constant('x')).map((q) => ({ via: 'options' as const, query: q.query })) },
  { weight: 1, arbitrary: formOptions.map((fields) => ({ via: 'form-options' as const, fields })) },
  { weight: 1, arbitrary: fc.constantFrom('application/octet-stream', 'image/png', 'application/x-www-form-urlencoded', 'text/html', 'application/xml').map((contentType) => ({ via: 'media-type' as const, contentType })) },
  { weight: 1, arbitrary: fc.constantFrom<'no-boundary' | 'no-file' | 'truncated'>('no-boundary', 'no-file', 'truncated').map((kind) => ({ via: 'broken-form' as const, kind })) },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('', 'x', 'null'), fc.nat().map((i) => uploadToken.slice(0, i % uploadToken.length) + (uploadToken[i % uploadToken.length] === 'A' ? 'B' : 'A') + uploadToken.slice((i % uploadToken.length) + 1))).map((token) => ({ via: 'bad-token' as const, token })) },
);

const answer = (r: request.Response): Answer => ({ status: r.status, body: r.body });
const raw = (url: string, auth: Record<string, string>, file: Buffer, contentType = 'text/csv') => request(w.ctx.app).post(url).set(auth).set('Content-Type', contentType).send(file);

function send(c: CsvCase): Promise<Answer> {
  const api = '/api/v1/imports';
  switch (c.via) {
    case 'api-raw':
      return raw(api, w.auth, c.file).then(answer);
    case 'api-form':
      return request(w.ctx.app).post(api).set(w.auth).field('mode', 'update').attach('file', c.file, 'contacts.csv').then(answer);
    case 'upload-page':
      return raw('/upload/imports', { Authorization: `Bearer ${uploadToken}` }, c.file).then(answer);
    case 'dnc':
      return raw('/api/v1/dnc/imports', w.auth, c.file).then(answer);
    case 'options':
      return raw(`${api}?${c.query}`, w.auth, utf8(GOOD)).then(answer);
    case 'form-options':
      return c.fields.reduce((req, [k, v]) => req.field(k, v), request(w.ctx.app).post(api).set(w.auth)).attach('file', utf8(GOOD), 'contacts.csv').then(answer);
    case 'media-type':
      return raw(api, w.auth, utf8(GOOD), c.contentType).then(answer);
    case 'bad-token':
      return raw('/upload/imports', { Authorization: `Bearer ${c.token}` }, utf8(GOOD)).then(answer);
    case 'broken-form': {
      if (c.kind === 'no-file') return request(w.ctx.app).post(api).set(w.auth).field('mode', 'update').then(answer);
      const body = utf8(`--b\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\n${GOOD}`);
      return raw(api, w.auth, body, c.kind === 'no-boundary' ? 'multipart/form-data' : 'multipart/form-data; boundary=b').then(answer);
    }
  }
}

it('refuses files that can never import, bad options and broken uploads, keeping nothing', async () => {
  await runFuzzSurface({ surface: 'csv-import', ctx: w.ctx, cases: csvCases, send, dataDir: w.dataDir });
  await expectStillUp(w.ctx);
}, fuzzTimeout());

// The control, last because it imports: the same good file, sent the same ways, is taken.
describe('control', () => {
  it('accepts the good file through the API and the upload page', async () => {
    const viaApi = await raw('/api/v1/imports', w.auth, utf8(GOOD));
    const viaPage = await raw('/upload/imports', { Authorization: `Bearer ${uploadToken}` }, utf8(`${GOOD}2025550124,Bo,bo@example.test\n`));
    expect([viaApi.status, viaPage.status]).toEqual([202, 202]);
  });
});
