import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

// The embedded database (PGlite behind pglite-socket) under what the app does to it: COPY … FROM
// STDIN the way the CSV and do-not-call imports stage rows (in a transaction into a temp table, a
// bad row failing cleanly, a column list), parameterised queries from several connections at once,
// a transaction holding the others back until it commits, and same-named prepared statements on
// two connections. PGlite cannot load inside jest's VM,
// so the steps run in a child process.
const ROOT = path.resolve(__dirname, '../..');

describe('embedded Postgres on the wire', () => {
  it('copies, keeps extended-protocol queries of concurrent connections apart, and serialises transactions', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'tests/support/embedded-wire-check.ts'], { cwd: ROOT, timeout: 90_000 });
    const seen = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(seen).toEqual({
      stagedInTransaction: 5000,
      kept: { n: 5000, l: 'label 999\twith tab' },
      badRow: expect.stringMatching(/invalid input syntax for type integer/),
      afterError: { one: 1 },
      copiedWithColumns: 1,
      otherConnectionSees: 5001,
      concurrentCorrect: 400,
      concurrentErrors: [],
      seenAfterCommit: 1,
      namedStatements: [1, 101, 102],
      afterReconnect: 5,
    });
  }, 120_000);
});
