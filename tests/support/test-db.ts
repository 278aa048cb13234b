import crypto from 'node:crypto';
import { Client } from 'pg';
import { migrateDatabase } from '../../backend/src/platform/migrate';
import { createPrisma, type Db } from '../../backend/src/platform/prisma';

// Each suite gets its own freshly migrated database on the machine's real Postgres, dropped
// afterwards, so suites never see each other's rows and runs never collide.
export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  db: Db;
  drop(): Promise<void>;
}

export function databaseUrl(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `hac_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = databaseUrl(name);
  if (opts.migrate ?? true) await migrateDatabase(url);
  const db = createPrisma(url, { max: 5 });
  return {
    url,
    name,
    db,
    async drop() {
      await db.$disconnect().catch(() => undefined);
      const c = new Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}
