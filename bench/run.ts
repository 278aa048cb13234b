import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// npm run bench                      → every benchmark in bench/, one after another
// npm run bench -- <name> [--flags]  → bench/<name>.ts with the flags passed through
// Each benchmark runs in its own process (no shared heap or JIT state between them) and ends
// with one line `RESULT <name> key=value …` (design.md §5). Files starting with "_" are helpers.

const BENCH_DIR = __dirname;
const NAME_RE = /^[a-z0-9][a-z0-9-]*$/;

function listBenchmarks(): string[] {
  return fs
    .readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
    .map((f) => f.slice(0, -3))
    .filter((n) => NAME_RE.test(n))
    .sort();
}

function runOne(name: string, args: string[]): Promise<number> {
  const tsxCli = require.resolve('tsx/cli');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsxCli, path.join(BENCH_DIR, `${name}.ts`), ...args], { stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const [name, ...args] = process.argv.slice(2);
  const available = listBenchmarks();
  if (name && !name.startsWith('--')) {
    if (!available.includes(name)) {
      console.error(`No benchmark "${name}". Available: ${available.join(', ') || '(none)'}.`);
      return 2;
    }
    return runOne(name, args);
  }
  const failed: string[] = [];
  for (const bench of available) if ((await runOne(bench, name ? [name, ...args] : [])) !== 0) failed.push(bench);
  if (failed.length) console.error(`Benchmarks that failed: ${failed.join(', ')}.`);
  return failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
