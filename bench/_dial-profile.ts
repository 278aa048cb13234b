// npx tsx bench/_dial-profile.ts [attempts=2000]   (PROFILE_OUT=file.cpuprofile for a CPU profile)
// Not a benchmark (bench/run.ts skips files starting with "_"): the "ours" run of bench/dial.ts,
// measured from the inside, to find where a dial attempt's time goes. Prints, for the run from
// the start request to the last call placed: the event loop's utilization (near 100%: this
// process's CPU is the limit, not the queue's concurrency or a pool), this process's CPU per
// attempt, the CPU of the Postgres backends serving the run's database, of redis-server and of
// the Vapi fake's own process (from /proc; redis-server is shared with anything else running),
// the SQL statements and Redis commands sent per attempt, and the sweep's progress each second.
// With PROFILE_OUT it writes a V8 CPU profile of the same span (open it in Chrome DevTools or
// read it with a script).
// Counting wraps pg's and ioredis's send paths, which costs a little: the rate printed here is a
// bit below bench/dial.ts's.
import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import pg from 'pg';
import Redis from 'ioredis';
import { setLogLevel } from '../backend/src/platform/logger';
import { prepareOurs } from './_dial-ours';

const sqlCounts = new Map<string, number>();
const redisCounts = new Map<string, number>();
function countCalls(proto: Record<string, unknown>, method: string, keyOf: (args: unknown[]) => string, into: Map<string, number>) {
  const original = proto[method] as (...a: unknown[]) => unknown;
  proto[method] = function (this: unknown, ...args: unknown[]) {
    const key = keyOf(args);
    into.set(key, (into.get(key) ?? 0) + 1);
    return original.apply(this, args);
  };
}
countCalls(pg.Client.prototype as unknown as Record<string, unknown>, 'query', ([q]) => String(typeof q === 'string' ? q : (q as { text?: string })?.text ?? '?').replace(/\s+/g, ' ').trim().slice(0, 110), sqlCounts);
countCalls(Redis.prototype as unknown as Record<string, unknown>, 'sendCommand', ([c]) => String((c as { name?: string })?.name), redisCounts);

/** CPU ms so far of the Postgres backends serving `dbName`, of redis-server, and of the Vapi fake's process. */
function serverCpuMs(dbName: string, fakePid: number): { pg: number; redis: number; fake: number } {
  const out = { pg: 0, redis: 0, fake: 0 };
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      const ms = (Number(stat[11]) + Number(stat[12])) * 10; // utime + stime, in 10 ms ticks
      if (Number(pid) === fakePid) out.fake += ms;
      else if (cmd.includes(dbName)) out.pg += ms;
      else if (cmd.startsWith('redis-server')) out.redis += ms;
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

const perAttempt = (m: Map<string, number>, n: number) =>
  [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `  ${(v / n).toFixed(2)}/attempt  ${k}`).join('\n');
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

async function main() {
  setLogLevel('error');
  const n = Number(process.argv[2] ?? 2000);
  const run = await prepareOurs(n);
  const { h } = run;
  try {
    const dbName = new URL(h.ctx.database.url).pathname.slice(1);
    sqlCounts.clear();
    redisCounts.clear();
    const session = process.env.PROFILE_OUT ? new inspector.Session() : null;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const server0 = serverCpuMs(dbName, run.fake.pid);
    const elu0 = performance.eventLoopUtilization();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await run.start();
    const startedMs = performance.now() - t0;
    const timeline: string[] = [];
    let nextLine = 1000;
    const ticker = setInterval(() => {
      const at = nextLine;
      nextLine += 1000;
      void run.fake.counts().then(({ created }) => timeline.push(`  t=${(at / 1000).toFixed(0)}s placed=${created}`));
    }, 1000);
    const reached = await run.fake.waitForCreated(n, 600_000).finally(() => clearInterval(ticker));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const elu = performance.eventLoopUtilization(elu0).utilization;
    const server1 = serverCpuMs(dbName, run.fake.pid);
    if (session) fs.writeFileSync(process.env.PROFILE_OUT!, JSON.stringify((await session.post('Profiler.stop')).profile));
    // Each sweep reads the running campaigns once (dialing-sweep.service.ts).
    const sweeps = [...sqlCounts.entries()].filter(([k]) => k.startsWith('SELECT id::text AS id, "portalId"')).reduce((a, [, v]) => a + v, 0);
    if (reached.duplicates) throw new Error('an attempt reached the fake twice');
    console.log(`${n} attempts in ${seconds.toFixed(2)} s: ${(n / seconds).toFixed(0)}/s (start request ${startedMs.toFixed(0)} ms, ${sweeps} sweeps)`);
    console.log(`event loop busy ${(elu * 100).toFixed(0)}%; this process ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms CPU/attempt`);
    console.log(`postgres ${((server1.pg - server0.pg) / n).toFixed(2)} ms CPU/attempt, redis-server ${((server1.redis - server0.redis) / n).toFixed(2)} ms CPU/attempt, Vapi fake process ${((server1.fake - server0.fake) / n).toFixed(2)} ms CPU/attempt`);
    console.log(`SQL statements ${(total(sqlCounts) / n).toFixed(1)}/attempt\n${perAttempt(sqlCounts, n)}`);
    console.log(`Redis commands ${(total(redisCounts) / n).toFixed(1)}/attempt\n${perAttempt(redisCounts, n)}`);
    console.log(`progress\n${timeline.join('\n')}`);
  } finally {
    await run.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
