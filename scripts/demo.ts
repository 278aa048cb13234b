import fs from 'node:fs';
import path from 'node:path';
import { getConfig, ConfigError } from '../backend/src/config/config';
import { runDemo } from './demo/demo-run';
import { readDefaultInput } from './demo/demo-setup';
import type { DemoStack } from './demo/demo-stack';

// `npm run demo`: one whole campaign, end to end, on a fresh clone with nothing configured.
//   npm run demo -- [--contacts file.csv] [--dnc dnc.csv] [--report out.html] [--keep]
//                   [--speed 100] [--max-seconds 105] [--seed 1] [--verbose]
// --max-seconds is the whole run's budget: if the campaign has not settled shortly before it, it is
// paused, the live calls finish, and the summary says how many were not dialed.
// Only REDIS_URL is taken from the environment (design.md §6: use it when it answers, else start
// a private redis-server); everything else is the demo's own and thrown away at the end.

const USAGE = `usage: npm run demo -- [--contacts file.csv] [--dnc dnc.csv] [--report out.html] [--keep] [--speed N] [--max-seconds N] [--seed N] [--verbose]`;
const ROOT = path.resolve(__dirname, '..');

function parseArgs(argv: string[]) {
  const o = { contacts: undefined as string | undefined, dnc: undefined as string | undefined, report: undefined as string | undefined, keep: false, speed: 100, maxSeconds: 105, seed: 1, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value.\n${USAGE}`);
      return v;
    };
    const number = () => {
      const v = Number(value());
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${a} must be a positive number.\n${USAGE}`);
      return v;
    };
    if (a === '--contacts') o.contacts = value();
    else if (a === '--dnc') o.dnc = value();
    else if (a === '--report') o.report = value();
    else if (a === '--keep') o.keep = true;
    else if (a === '--speed') o.speed = number();
    else if (a === '--max-seconds') o.maxSeconds = number();
    else if (a === '--seed') o.seed = Math.floor(number());
    else if (a === '--verbose') o.verbose = true;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`Unknown option ${a}.\n${USAGE}`);
  }
  return o;
}

const stamp = () => new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const input = readDefaultInput(ROOT);
  if (args.contacts) {
    input.contactsCsv = fs.readFileSync(args.contacts, 'utf8');
    input.contactsFile = args.contacts;
  }
  if (args.dnc) input.dncCsv = fs.readFileSync(args.dnc, 'utf8');
  // Counted from the process's own start: loading the TypeScript is part of the wait too.
  const started = Date.now() - Math.round(process.uptime() * 1000);
  let stack: DemoStack | undefined;
  // Ctrl-C: stop what we started (the redis-server included) before leaving.
  const interrupt = () => {
    console.log('\nInterrupted: stopping everything the demo started…');
    void (stack?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  console.log('hubspot-ai-calling demo: one campaign end to end on embedded services and local fakes\n');
  const result = await runDemo({
    input,
    redisUrl: getConfig().redisUrl,
    timeScale: 1 / args.speed,
    seed: args.seed,
    deadline: started + args.maxSeconds * 1000,
    reportPath: args.report ?? path.join(ROOT, '.data', 'demo-reports', `demo-report-${stamp()}.html`),
    keepDataDir: args.keep,
    logLevel: args.verbose ? 'info' : 'error',
    print: (line) => console.log(/^\[/.test(line) ? line : `[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`),
    onStack: (s) => (stack = s),
  });
  console.log(result.summary);
  console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s; everything the demo started has been stopped.`);
  if (!result.ok) {
    console.error('A cross-check between our database and the fakes did not agree (see DIFF above): that is a bug, please report it.');
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : `demo failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
});
