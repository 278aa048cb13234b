import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { compareSchemaToDatabase } from '../support/schema-compare';
import { listMigrations, migrateDatabase } from '../../backend/src/platform/migrate';

describe('migrations and schema.prisma', () => {
  let t: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    t = await createTestDatabase();
    client = new Client({ connectionString: t.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await t.drop();
  });

  it('build exactly the tables, columns, types, enums, keys and indexes the schema declares', async () => {
    expect(await compareSchemaToDatabase(client)).toEqual([]);
  });

  it('records every migration the way prisma migrate deploy does, and re-running applies nothing', async () => {
    const { rows } = await client.query('SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name');
    const files = listMigrations();
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    expect(rows.map((r) => r.checksum)).toEqual(files.map((f) => f.checksum));
    expect(rows.every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
    expect(await migrateDatabase(t.url)).toEqual({ applied: [], skipped: files.map((f) => f.name) });
  });

  it('notices drift: a dropped index, an extra column and a changed type are all reported', async () => {
    await client.query('BEGIN');
    try {
      await client.query('DROP INDEX "Contact_portalId_phone_key"');
      await client.query('ALTER TABLE "Campaign" ADD COLUMN "sneaky" text');
      await client.query('ALTER TABLE "Call" ALTER COLUMN "attemptNumber" TYPE bigint');
      const problems = await compareSchemaToDatabase(client);
      expect(problems).toEqual(
        expect.arrayContaining([
          'unique index on Contact(portalId, phone) is missing',
          'column Campaign.sneaky exists in the database but not in the schema',
          'column Call.attemptNumber has type int8, schema says int4',
        ]),
      );
    } finally {
      await client.query('ROLLBACK');
    }
  });
});
