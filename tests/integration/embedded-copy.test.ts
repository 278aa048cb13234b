import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

// COPY … FROM STDIN on the embedded database (PGlite behind pglite-socket), the way the CSV and
// do-not-call imports stage rows: inside a transaction into a temp table, a bad row failing
// cleanly with the connection still usable, a column list, and a second connection seeing the
// result. PGlite cannot load inside jest's VM, so the steps run in a child process.
const ROOT = path.resolve(__dirname, '../..');

describe('COPY FROM STDIN on embedded Postgres', () => {
  it('stages, fails a bad row cleanly, and keeps the connection and others working', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'tests/support/embedded-copy-check.ts'], { cwd: ROOT, timeout: 90_000 });
    const seen = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(seen).toEqual({
      stagedInTransaction: 5000,
      kept: { n: 5000, l: 'label 999\twith tab' },
      badRow: expect.stringMatching(/invalid input syntax for type integer/),
      afterError: { one: 1 },
      copiedWithColumns: 1,
      otherConnectionSees: 5001,
    });
  }, 120_000);
});
