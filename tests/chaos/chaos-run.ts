import { setLogLevel } from '../../backend/src/platform/logger';
import { DEFAULT_CHAOS, chaosLine, runChaos, type ChaosOptions, type ChaosResult } from './chaos-harness';
import type { VoiceProviderName } from '../support/dialing-harness';

// npm run test:chaos [-- --provider vapi|retell|both --contacts 1000 --workers 3 --kills 10
//                        --redis-restarts 1 --cap 10 --runs 1 --seed 7 --no-retries
//                        --fsync always|everysec --dial-grace-ms 12000 --timeout-s 900]
// Each flag may also come from the environment (CHAOS_PROVIDER, CHAOS_CONTACTS, CHAOS_WORKERS,
// CHAOS_KILLS, CHAOS_REDIS_RESTARTS, CHAOS_CAP, CHAOS_RUNS, CHAOS_SEED). `--provider both` (the
// default) does the runs on Vapi, then the same runs on Retell. Progress goes to stderr; stdout
// ends with one line per provider, `CHAOS provider=… runs=… contacts=… kills=… duplicates=…
// lost=… leaked_leases=… max_live=… cap=…`. Exits 1 when any run broke a guarantee.

function option(name: string, envName: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i >= 0 ? process.argv[i + 1] : process.env[envName];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} (or ${envName}) must be a whole number, got ${JSON.stringify(raw)}`);
  return v;
}

function providersOption(): VoiceProviderName[] {
  const i = process.argv.indexOf('--provider');
  const v = i >= 0 ? process.argv[i + 1] : (process.env.CHAOS_PROVIDER ?? 'both');
  if (v === 'both') return ['vapi', 'retell'];
  if (v !== 'vapi' && v !== 'retell') throw new Error(`--provider (or CHAOS_PROVIDER) must be vapi, retell or both, got ${JSON.stringify(v)}`);
  return [v];
}

function fsyncOption(): ChaosOptions['fsync'] {
  const i = process.argv.indexOf('--fsync');
  const v = i >= 0 ? process.argv[i + 1] : 'always';
  if (v !== 'always' && v !== 'everysec') throw new Error('--fsync must be always or everysec');
  return v;
}

async function main(): Promise<number> {
  // The app in this process logs like the workers: errors only, so the summary stays readable.
  setLogLevel('error');
  const providers = providersOption();
  const runs = Math.max(1, option('runs', 'CHAOS_RUNS', 1));
  const base: Partial<ChaosOptions> = {
    contacts: option('contacts', 'CHAOS_CONTACTS', DEFAULT_CHAOS.contacts),
    workers: Math.max(1, option('workers', 'CHAOS_WORKERS', DEFAULT_CHAOS.workers)),
    kills: option('kills', 'CHAOS_KILLS', DEFAULT_CHAOS.kills),
    redisRestarts: option('redis-restarts', 'CHAOS_REDIS_RESTARTS', DEFAULT_CHAOS.redisRestarts),
    cap: Math.max(1, option('cap', 'CHAOS_CAP', DEFAULT_CHAOS.cap)),
    retries: !process.argv.includes('--no-retries'),
    fsync: fsyncOption(),
    dialGraceMs: option('dial-grace-ms', 'CHAOS_DIAL_GRACE_MS', DEFAULT_CHAOS.dialGraceMs),
    timeoutMs: option('timeout-s', 'CHAOS_TIMEOUT_S', DEFAULT_CHAOS.timeoutMs / 1000) * 1000,
  };
  const seed = option('seed', 'CHAOS_SEED', DEFAULT_CHAOS.seed);
  const results: ChaosResult[] = [];
  const lines: string[] = [];
  for (const provider of providers) {
    const mine: ChaosResult[] = [];
    for (let run = 0; run < runs; run++) {
      const log = (line: string) => process.stderr.write(`[chaos ${provider} ${run + 1}/${runs}] ${line}\n`);
      const r = await runChaos({ ...base, provider, seed: seed + run, log });
      log(
        `done in ${(r.elapsedMs / 1000).toFixed(1)} s: ${JSON.stringify({ byState: r.byState, redisRestarts: r.redisRestarts, maxAccountLeases: r.maxAccountLeases, maxCampaignLeases: r.maxCampaignLeases, expiredLeasesLeft: r.expiredLeasesLeft, unrecorded: r.unrecorded, fake: r.fake })}`,
      );
      if (r.duplicates.length) log(`duplicate attempts: ${r.duplicates.slice(0, 10).join(', ')}`);
      mine.push(r);
    }
    results.push(...mine);
    lines.push(chaosLine(mine));
  }
  // The CHAOS lines last, together, so a caller can take the tail of stdout.
  for (const line of lines) console.log(line);
  const broken = results.some((r) => r.duplicates.length > 0 || r.lost > 0 || r.leakedLeases > 0 || r.maxLive > r.cap || r.unrecorded > 0);
  return broken ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
