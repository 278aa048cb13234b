import { Pool } from 'pg';
import type { Db } from './prisma';
import { logger } from './logger';

/**
 * How a hot statement runs: through Prisma, or through a plain `pg` pool when the process has one
 * (sql-runner.factory.ts). Same SQL text ($1… placeholders) and parameters either way.
 */
export interface SqlRunner {
  /** `name`: run as a named prepared statement where the driver can (parsed and planned once per connection). */
  query<R>(text: string, params: unknown[], name?: string): Promise<R[]>;
}

export const prismaRunner = (db: Db): SqlRunner => ({ query: <R>(text: string, params: unknown[]) => db.$queryRawUnsafe<R[]>(text, ...params) });

// Measured in bench/webhook-ingest.ts and bench/script-step.ts: Prisma's per-query work (the
// query compiler, result mapping) and re-planning a CTE on every request were a visible share of
// requests that are otherwise one round trip. One small pool per database URL per process.
const pools = new Map<string, { pool: Pool; runner: SqlRunner }>();

export function pooledSqlRunner(url: string): SqlRunner {
  let entry = pools.get(url);
  if (!entry) {
    const pool = new Pool({ connectionString: url, max: 5, allowExitOnIdle: true });
    pool.on('error', (err) => logger.warn('hot-path pool connection error', { err: err.message }));
    const runner: SqlRunner = { query: async <R>(text: string, params: unknown[], name?: string) => (await pool.query({ text, values: params, ...(name ? { name } : {}) })).rows as R[] };
    entry = { pool, runner };
    pools.set(url, entry);
  }
  return entry.runner;
}

/** Ends the pool for one database URL (or every pool): at shutdown, and before a test drops its database. */
export async function endPooledSqlRunners(url?: string): Promise<void> {
  for (const [key, { pool }] of [...pools]) {
    if (url !== undefined && key !== url) continue;
    pools.delete(key);
    await pool.end().catch(() => undefined);
  }
}
