import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { finished } from 'node:stream/promises';
import { startEmbeddedPostgres } from '../../backend/src/platform/embedded-postgres';

// Child process of tests/integration/embedded-copy.test.ts (PGlite cannot load inside jest's VM):
// runs COPY … FROM STDIN on the embedded database the way the imports do and prints what it saw
// as one JSON line.
const copy = async (c: Client, sql: string, data: string) => {
  const stream = c.query(copyFrom(sql));
  stream.end(data);
  await finished(stream);
  return stream.rowCount;
};

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hac-copy-'));
  const pg = await startEmbeddedPostgres(dir);
  const client = new Client({ connectionString: pg.url });
  const other = new Client({ connectionString: pg.url });
  await client.connect();
  await other.connect();
  const out: Record<string, unknown> = {};
  try {
    await client.query('CREATE TABLE kept (n int, label text)');
    await client.query('BEGIN');
    await client.query('CREATE TEMP TABLE stage (n int, label text) ON COMMIT DROP');
    const rows = Array.from({ length: 5000 }, (_, i) => `${i}\tlabel ${i}\\twith tab\n`).join('');
    out.stagedInTransaction = await copy(client, 'COPY pg_temp.stage FROM STDIN', rows);
    await client.query('INSERT INTO kept SELECT * FROM pg_temp.stage');
    await client.query('COMMIT');
    out.kept = (await client.query('SELECT count(*)::int AS n, max(label) AS l FROM kept')).rows[0];
    out.badRow = await copy(client, 'COPY kept FROM STDIN', '1\tok\nnot-a-number\tbad\n').then(
      () => 'accepted',
      (err: Error) => err.message,
    );
    out.afterError = (await client.query('SELECT 1 AS one')).rows[0];
    out.copiedWithColumns = await copy(client, 'COPY kept (n, label) FROM STDIN', '7\tseven\n');
    out.otherConnectionSees = (await other.query('SELECT count(*)::int AS n FROM kept')).rows[0].n;
  } finally {
    await client.end();
    await other.end();
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify(out));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
