// `npm run db:migrate [-- --runner prisma|own]`: apply pending migrations to DATABASE_URL (or the
// embedded database) and print what was applied as JSON. Where Prisma's native schema engine
// exists it runs `prisma migrate deploy`; elsewhere (machines that cannot download the engine, the
// embedded database) the project's own runner, which records migrations in _prisma_migrations the
// same way, so either can take over from the other. Start-up always uses the own runner.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { getConfig } from '../config/config';
import { migrateDatabase } from '../platform/migrate';
import { startEmbeddedPostgres } from '../platform/embedded-postgres';
import { findSchemaEngine } from '../platform/schema-engine';

const ROOT = path.resolve(__dirname, '../../..');

function prismaMigrateDeploy(databaseUrl: string, engine: string): number {
  const cli = require.resolve('prisma/build/index.js', { paths: [ROOT] });
  const r = spawnSync(process.execPath, [cli, 'migrate', 'deploy'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_SCHEMA_ENGINE_BINARY: engine },
  });
  return r.status ?? 1;
}

async function main() {
  const { values } = parseArgs({ options: { runner: { type: 'string' } }, strict: true });
  if (values.runner && !['prisma', 'own'].includes(values.runner)) throw new Error('--runner must be "prisma" or "own".');
  const config = getConfig();
  const engine = findSchemaEngine({
    explicit: process.env.PRISMA_SCHEMA_ENGINE_BINARY,
    enginesDir: path.dirname(require.resolve('@prisma/engines/package.json', { paths: [ROOT] })),
    nodeBinary: process.execPath,
  });
  if (values.runner === 'prisma' && !engine) throw new Error("--runner prisma: Prisma's schema engine is not installed here (set PRISMA_SCHEMA_ENGINE_BINARY).");
  const usePrisma = values.runner !== 'own' && engine !== undefined && config.databaseUrl !== undefined;
  if (usePrisma) {
    const status = prismaMigrateDeploy(config.databaseUrl!, engine);
    process.stdout.write(`${JSON.stringify({ runner: 'prisma migrate deploy', ok: status === 0 })}\n`);
    process.exitCode = status;
    return;
  }
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config.dataDir);
  try {
    const result = await migrateDatabase(config.databaseUrl ?? embedded!.url);
    process.stdout.write(`${JSON.stringify({ runner: 'own', ...result })}\n`);
  } finally {
    await embedded?.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err?.message ?? err}\n`);
  process.exit(1);
});
