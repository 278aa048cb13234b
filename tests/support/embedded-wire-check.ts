import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { finished } from 'node:stream/promises';
import { startEmbeddedPostgres } from '../../backend/src/platform/embedded-postgres';

// Child process of tests/integration/embedded-wire.test.ts (PGlite cannot load inside jest's VM):
// runs COPY … FROM STDIN the way the imports do, and parameterised (extended-protocol) queries
// from several connections at once, on the embedded database; prints what it saw as one JSON line.
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
    // Four connections, 400 parameterised queries in flight together: each Parse/Bind/Execute/Sync
    // must stay together or another connection's Parse replaces the unnamed statement.
    const pool = await Promise.all(Array.from({ length: 4 }, async () => {
      const c = new Client({ connectionString: pg.url });
      await c.connect();
      return c;
    }));
    const answers = await Promise.allSettled(
      Array.from({ length: 400 }, (_, i) => pool[i % 4]!.query('SELECT $1::int * 2 AS v, (SELECT count(*)::int FROM kept WHERE n < $2) AS c', [i, 10]).then((r) => r.rows[0].v === i * 2)),
    );
    out.concurrentCorrect = answers.filter((a) => a.status === 'fulfilled' && a.value).length;
    out.concurrentErrors = [...new Set(answers.filter((a) => a.status === 'rejected').map((a) => String((a as PromiseRejectedResult).reason?.message)))];
    // A transaction on one connection while others keep asking: they wait for its end.
    await client.query('BEGIN');
    await client.query('INSERT INTO kept VALUES (-1, $1)', ['in transaction']);
    const waiting = pool[0]!.query('SELECT count(*)::int AS n FROM kept WHERE label = $1', ['in transaction']);
    await client.query('COMMIT');
    out.seenAfterCommit = (await waiting).rows[0].n;
    // Two connections preparing a statement of the same name, each with its own SQL (pg's named
    // queries): in one shared session the second would fail with "already exists".
    const named = await Promise.all(
      pool.slice(0, 2).map((c, i) => c.query({ name: 'same_name', text: `SELECT $1::int + ${i * 100} AS v`, values: [1] }).then((r) => r.rows[0].v)),
    );
    const namedAgain = await pool[1]!.query({ name: 'same_name', text: 'SELECT $1::int + 100 AS v', values: [2] }).then((r) => r.rows[0].v);
    out.namedStatements = [...named, namedAgain];
    await Promise.all(pool.map((c) => c.end()));
    // A later connection prepares the same name as its own.
    const fresh = new Client({ connectionString: pg.url });
    await fresh.connect();
    out.afterReconnect = (await fresh.query({ name: 'same_name', text: 'SELECT $1::int AS v', values: [5] })).rows[0].v;
    await fresh.end();
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
