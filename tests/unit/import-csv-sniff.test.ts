import { inspectCsvSample } from '../../backend/src/domain/imports/csv-sniff';

const sniff = (text: string | Buffer, whole = true) => inspectCsvSample(Buffer.isBuffer(text) ? text : Buffer.from(text), whole);

describe('inspectCsvSample', () => {
  it.each([
    ['phone,name\n1,a\n', ','],
    ['phone;name\r\n1;a\r\n', ';'],
    ['phone\tname\n1\ta\n', '\t'],
    ['"a,b";c;d\n1;2;3\n', ';'], // the quoted comma does not count
    ['phone\n1\n', ','],
  ])('detects the delimiter of %j', (text, delimiter) => {
    expect(sniff(text).delimiter).toBe(delimiter);
  });

  it('reads the header, past a BOM and quoted line breaks', () => {
    expect(sniff('\uFEFF"First\nName",Phone\r\nA,1\r\n').header).toEqual(['First\nName', 'Phone']);
  });

  it('accepts a sample cut in the middle of a multi-byte character', () => {
    const bytes = Buffer.from('phone,name\n2025550123,José Muñoz\n');
    const cut = bytes.subarray(0, bytes.indexOf(Buffer.from('ñ')) + 1);
    expect(inspectCsvSample(cut, false).header).toEqual(['phone', 'name']);
  });

  it.each([
    ['', 'IMPORT_EMPTY_FILE'],
    ['\uFEFF \n\n', 'IMPORT_EMPTY_FILE'],
    ['phone,name\n', 'IMPORT_NO_ROWS'],
    [',,\n1,2,3\n', 'IMPORT_BAD_HEADER'],
  ])('refuses %j with %s', (text, code) => {
    expect(() => sniff(text)).toThrow(expect.objectContaining({ code }));
  });

  it('refuses binary, UTF-16 and non-UTF-8 text', () => {
    expect(() => sniff(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x14]))).toThrow(expect.objectContaining({ code: 'IMPORT_NOT_CSV', status: 415 }));
    expect(() => sniff(Buffer.from('\ufeffphone\n1\n', 'utf16le'))).toThrow(expect.objectContaining({ code: 'IMPORT_NOT_CSV' }));
    expect(() => sniff(Buffer.from('phone,name\n1,Jos\xe9\n', 'latin1'))).toThrow(expect.objectContaining({ code: 'IMPORT_NOT_CSV' }));
    expect(() => sniff(Buffer.from('phone\x01\x02\x03\x04\x05\x06,x\n1,2\n'))).toThrow(expect.objectContaining({ code: 'IMPORT_NOT_CSV' }));
  });

  it('refuses a header longer than the sample', () => {
    expect(() => inspectCsvSample(Buffer.from('a,'.repeat(40_000)), false)).toThrow(expect.objectContaining({ code: 'IMPORT_HEADER_TOO_LONG' }));
  });
});
