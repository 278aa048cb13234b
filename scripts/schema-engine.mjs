// Runs Prisma's own schema engine (the WebAssembly build, which needs no download) to diff
// two schema states. Used to author migrations and by the test that proves the migrated
// database and schema.prisma agree.
//
//   node scripts/schema-engine.mjs diff --from-empty --script          > migration.sql
//   node scripts/schema-engine.mjs diff --from-schema <old.prisma> --script (exit 2 when they differ)
//
// The package ships as a bundler-style ESM module that imports its .wasm directly, which Node
// cannot do, so the module is instantiated here by hand.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function loadEngineModule() {
  const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmFile = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
  const compiled = await WebAssembly.compile(fs.readFileSync(wasmFile));
  const imports = {};
  for (const imp of WebAssembly.Module.imports(compiled)) {
    imports[imp.module] ??= {};
    imports[imp.module][imp.name] = bg[imp.name];
  }
  const instance = await WebAssembly.instantiate(compiled, imports);
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
  return bg;
}

function parseArgs(argv) {
  const args = { command: argv[0], script: false, fromSchema: undefined, fromEmpty: false };
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] === '--script') args.script = true;
    else if (argv[i] === '--from-empty') args.fromEmpty = true;
    else if (argv[i] === '--from-schema') args.fromSchema = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.command !== 'diff' || (!args.fromEmpty && !args.fromSchema)) {
    console.error('usage: schema-engine.mjs diff (--from-empty | --from-schema FILE) [--script]');
    process.exit(64);
  }
  const { PrismaPg } = require('@prisma/adapter-pg');
  const { bindMigrationAwareSqlAdapterFactory } = require('@prisma/driver-adapter-utils');
  // Diffing two datamodels never connects; the engine still wants an adapter to be constructed.
  const connectionString = 'postgresql://postgres@127.0.0.1:5432/postgres';
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString }));
  const content = fs.readFileSync(path.join(root, 'prisma/schema.prisma'), 'utf8');
  const files = [{ path: 'schema.prisma', content }];
  const bg = await loadEngineModule();
  const engine = await bg.SchemaEngine.new({ datamodels: [['schema.prisma', content]] }, () => {}, adapter);
  // (Introspecting a live database through adapter-pg 7.10 fails on catalog "char" columns, so
  // migrations are authored from datamodel to datamodel.)
  const from = args.fromEmpty
    ? { tag: 'empty' }
    : { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: fs.readFileSync(args.fromSchema, 'utf8') }] };
  const result = await engine.diff({
    from,
    to: { tag: 'schemaDatamodel', files },
    script: args.script,
    exitCode: true,
    filters: { externalTables: [], externalEnums: [] },
  });
  process.stdout.write(result.stdout ?? '');
  process.exit(result.exitCode);
}

main().catch((err) => {
  console.error(err?.stack ?? String(err));
  process.exit(1);
});
