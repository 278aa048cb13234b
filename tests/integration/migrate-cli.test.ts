import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { migrateDatabase } from '../../backend/src/platform/migrate';

// `npm run db:migrate` on a machine without Prisma's schema engine (this one): the own runner
// applies every migration once, a second run applies none, and asking for Prisma's runner is
// refused with a sentence instead of a download attempt. A migration that fails half-way is undone.

const ROOT = path.resolve(__dirname, '../..');
const MIGRATIONS = fs.readdirSync(path.join(ROOT, 'prisma/migrations')).filter((n) => fs.statSync(path.join(ROOT, 'prisma/migrations', n)).isDirectory()).sort();

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
});
afterAll(() => database.drop());

const migrate = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'backend/src/cli/migrate.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, DATABASE_URL: database.url, LOG_LEVEL: 'error' },
    timeout: 60_000,
  });

it('applies the migrations with the own runner where no schema engine exists, once', () => {
  const first = migrate();
  expect(first.status).toBe(0);
  expect(JSON.parse(first.stdout)).toEqual({ runner: 'own', applied: MIGRATIONS, skipped: [] });
  const again = migrate();
  expect(JSON.parse(again.stdout)).toMatchObject({ runner: 'own', applied: [] });
});

it('refuses --runner prisma without an engine, and an unknown runner, in words', () => {
  const prisma = migrate('--runner', 'prisma');
  expect(prisma.status).toBe(1);
  expect(prisma.stderr.trim()).toBe("--runner prisma: Prisma's schema engine is not installed here (set PRISMA_SCHEMA_ENGINE_BINARY).");
  const other = migrate('--runner', 'flyway');
  expect(other.status).toBe(1);
  expect(other.stderr.trim()).toBe('--runner must be "prisma" or "own".');
});

it('undoes a migration that fails half-way, records nothing of it, and says which one', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hac-migrations-'));
  const scratch = await createTestDatabase({ migrate: false });
  try {
    fs.mkdirSync(path.join(dir, '20260101000000_good'));
    fs.writeFileSync(path.join(dir, '20260101000000_good/migration.sql'), 'CREATE TABLE good_one (id int);');
    fs.mkdirSync(path.join(dir, '20260102000000_broken'));
    // Its first statement works; its second does not.
    fs.writeFileSync(path.join(dir, '20260102000000_broken/migration.sql'), 'CREATE TABLE half_made (id int);\nSELECT 1/0;');
    await expect(migrateDatabase(scratch.url, dir)).rejects.toThrow('Migration 20260102000000_broken failed: division by zero');
    const c = new Client({ connectionString: scratch.url });
    await c.connect();
    try {
      const tables = (await c.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.t);
      expect(tables).toEqual(['_prisma_migrations', 'good_one']);
      const recorded = (await c.query<{ m: string }>('SELECT migration_name AS m FROM "_prisma_migrations"')).rows.map((r) => r.m);
      expect(recorded).toEqual(['20260101000000_good']);
    } finally {
      await c.end();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await scratch.drop();
  }
});
