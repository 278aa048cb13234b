import { Client } from 'pg';
import type { AppDeps } from '../../app-deps';

// Bulk work (COPY into temporary staging tables) needs a plain `pg` connection of its own:
// Prisma's pool neither speaks COPY nor keeps one session for a job's temp tables.

export function databaseUrlOf(deps: Pick<AppDeps, 'config' | 'databaseUrl'>): string {
  const url = deps.databaseUrl ?? deps.config.databaseUrl;
  if (!url) throw new Error('no database URL is known to this process');
  return url;
}

export async function openPgClient(deps: Pick<AppDeps, 'config' | 'databaseUrl'>, applicationName: string): Promise<Client> {
  const client = new Client({ connectionString: databaseUrlOf(deps), application_name: applicationName });
  await client.connect();
  return client;
}
