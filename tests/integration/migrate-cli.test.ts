import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

// `npm run db:migrate` on a machine without Prisma's schema engine (this one): the own runner
// applies every migration once, a second run applies none, and asking for Prisma's runner is
// refused with a sentence instead of a download attempt.

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
