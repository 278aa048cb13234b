import { Client } from 'pg';
import { ADMIN_URL } from '../support/test-db';
import { inPgTransaction } from '../../backend/src/platform/pg-transaction';

// The one BEGIN/COMMIT/ROLLBACK for plain pg connections (uploads, the import's merge, migrations).
describe('inPgTransaction', () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ connectionString: ADMIN_URL });
    await client.connect();
    // A temporary table: this session's own, gone when it ends.
    await client.query('CREATE TEMP TABLE tx_probe (n int)');
  });
  afterAll(() => client.end());
  const count = async () => Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM tx_probe')).rows[0]!.n);

  it('commits what the work wrote and returns its result', async () => {
    const out = await inPgTransaction(client, async () => {
      await client.query('INSERT INTO tx_probe VALUES (1), (2)');
      return 'done';
    });
    expect(out).toBe('done');
    expect(await count()).toBe(2);
  });

  it('rolls all of it back when the work throws, and passes the error on', async () => {
    const before = await count();
    await expect(
      inPgTransaction(client, async () => {
        await client.query('INSERT INTO tx_probe VALUES (3)');
        await client.query('SELECT 1/0');
      }),
    ).rejects.toThrow('division by zero');
    expect(await count()).toBe(before);
    // The connection is out of the failed transaction (inside it, this INSERT would be refused).
    await client.query('INSERT INTO tx_probe VALUES (4)');
    expect(await count()).toBe(before + 1);
  });
});
