// Authors a migration after schema.prisma changes, without Prisma's native engine: Prisma's
// WebAssembly schema engine diffs the schema as last committed (git HEAD) against the working
// schema.prisma, the SQL is written as a new migration and the client is regenerated.
//   npm run db:new-migration -- <name> [--from <old schema file>]
// The migrations ↔ schema test (tests/integration/schema-drift.test.ts) proves the result.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MIGRATIONS_DIR } from '../backend/src/platform/migrate';

function main() {
  const args = process.argv.slice(2);
  const name = (args[0] ?? '').replace(/[^a-z0-9_]/gi, '_').toLowerCase();
  if (!name) throw new Error('usage: npm run db:new-migration -- <name> [--from <old schema file>]');
  const fromIdx = args.indexOf('--from');
  let oldSchema = fromIdx > 0 ? args[fromIdx + 1] : undefined;
  if (!oldSchema) {
    oldSchema = path.join(os.tmpdir(), `schema-head-${process.pid}.prisma`);
    fs.writeFileSync(oldSchema, execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], { encoding: 'utf8' }));
  }
  let sql: string;
  try {
    execFileSync(process.execPath, [path.join(__dirname, 'schema-engine.mjs'), 'diff', '--from-schema', oldSchema, '--script'], { encoding: 'utf8' });
    console.log('schema.prisma has no changes against the old schema; nothing to write.');
    return;
  } catch (err) {
    const e = err as { status?: number; stdout?: string; stderr?: string };
    if (e.status !== 2) throw new Error(`schema engine failed: ${e.stderr}`);
    sql = e.stdout ?? '';
  }
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
  console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  execFileSync(process.execPath, [path.join(__dirname, 'prisma-generate.js')], { stdio: 'inherit' });
}

try {
  main();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
