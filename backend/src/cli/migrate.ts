// `npm run db:migrate`: apply pending migrations to DATABASE_URL (or the embedded database) and
// print what was applied as JSON. Start-up does the same; this is for release steps.
import { getConfig } from '../config/config';
import { migrateDatabase } from '../platform/migrate';
import { startEmbeddedPostgres } from '../platform/embedded-postgres';

async function main() {
  const config = getConfig();
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config.dataDir);
  try {
    const result = await migrateDatabase(config.databaseUrl ?? embedded!.url);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await embedded?.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err?.message ?? err}\n`);
  process.exit(1);
});
