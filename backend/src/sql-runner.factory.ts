import type { AppDeps } from './app-deps';
import { pooledSqlRunner, prismaRunner, type SqlRunner } from './platform/sql-runner';

/**
 * The runner for this process's hot statements (webhook store-and-apply, in-call script steps):
 * a plain pg pool with named prepared statements on a real Postgres. Embedded PGlite
 * (deps.databaseUrl) is one session behind a socket: prepared-statement names from two pool
 * clients would collide there, and the local demo needs no extra speed, so it goes through Prisma.
 */
export function hotSqlFor(deps: AppDeps): SqlRunner {
  const url = deps.databaseUrl ? undefined : deps.config.databaseUrl;
  return url ? pooledSqlRunner(url) : prismaRunner(deps.db);
}
