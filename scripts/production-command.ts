import fs from 'node:fs';
import path from 'node:path';

// How production starts each process is written once, in package.json's start scripts
// (`NAME=value … node <flags> <entry>`). Benchmarks spawn that exact command line without npm in
// between (so the pid they measure is the app's), and the container entry point is checked against
// it, so neither drifts from what `npm run start:*` does.

export type AppScript = 'start:backend' | 'start:worker';

export interface ProductionCommand {
  /** Environment the script sets before node (e.g. MALLOC_ARENA_MAX). */
  env: Record<string, string>;
  /** Everything after `node`: its flags, then the entry file last. */
  args: string[];
}

const ROOT = path.resolve(__dirname, '..');

export function parseNodeCommand(line: string): ProductionCommand {
  const words = line.trim().split(/\s+/);
  const env: Record<string, string> = {};
  let i = 0;
  for (; i < words.length; i++) {
    const m = /^([A-Z_][A-Z0-9_]*)=(\S*)$/.exec(words[i]!);
    if (!m) break;
    env[m[1]!] = m[2]!;
  }
  if (words[i] !== 'node' || i + 1 >= words.length) throw new Error(`not a "[NAME=value …] node <args>" command: ${line}`);
  return { env, args: words.slice(i + 1) };
}

export function productionCommand(script: AppScript): ProductionCommand {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const line = pkg.scripts[script];
  if (!line) throw new Error(`package.json has no "${script}" script`);
  return parseNodeCommand(line);
}
