// `prisma generate` does not run Prisma's native schema engine, but the CLI refuses to start
// without one, and this machine cannot download it. Any existing file satisfies the check
// (design.md §6), so point at one only where no engine is configured.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;

const cli = require.resolve('prisma/build/index.js', { paths: [path.resolve(__dirname, '..')] });
const result = spawnSync(process.execPath, [cli, 'generate'], { stdio: 'inherit', env, cwd: path.resolve(__dirname, '..') });
process.exit(result.status ?? 1);
