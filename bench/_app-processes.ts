import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { productionCommand, type AppScript } from '../scripts/production-command';

// The app's production processes for a benchmark: `npm run start:backend` and `npm run
// start:worker`, spawned from the very command lines package.json holds (its environment
// settings and node flags included), directly rather than through npm (so the pid is the process
// doing the work, not npm), and stopped by that pid only. Each one's memory is read from the
// kernel's own high-water mark (VmHWM in /proc/<pid>/status): the largest resident set the
// process ever had, all its threads included, with nothing missed between samples.

const ROOT = path.resolve(__dirname, '..');

export interface AppProcess {
  pid: number;
  /** Resolves with the first JSON log line that `match` accepts (the process logs JSON to stdout). */
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs: number): Promise<Record<string, unknown>>;
  /** Peak resident set of the process so far, in MiB. */
  peakRssMb(): number;
  /** Resident set now, in MiB. */
  rssMb(): number;
  /** CPU time the process has used so far (all threads, user + system), in seconds. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!m) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(m[1]);
}

const CLOCK_TICKS_PER_SECOND = 100; // Linux's USER_HZ, what /proc/<pid>/stat counts in

/** CPU seconds (user + system, all threads) a process has used, from /proc/<pid>/stat; any process, not only ours. */
export function processCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces, hence the last ')'): state is field 3,
  // utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

export function spawnAppProcess(script: AppScript, env: Record<string, string>): AppProcess {
  const command = productionCommand(script);
  const entry = command.args[command.args.length - 1]!;
  // Only PATH and HOME from ours: the child's configuration is exactly what the caller gives it.
  const child: ChildProcess = spawn(process.execPath, command.args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...command.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${entry}`);
  const pid = child.pid;
  const seen: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  let stderrTail = '';
  let pending = '';
  child.stdout!.on('data', (b: Buffer) => {
    pending += b.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      try {
        seen.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        continue; // not a log line
      }
    }
    for (const wake of waiters) wake();
  });
  child.stderr!.on('data', (b: Buffer) => (stderrTail = (stderrTail + b.toString('utf8')).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;

  return {
    pid,
    waitForLog(match, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = seen.find(match);
          if (hit) return done(() => resolve(hit));
          if (!alive()) return done(() => reject(new Error(`${path.basename(entry)} exited: ${stderrTail}`)));
        };
        // On a timeout, what the process last said is usually why.
        const last = () => seen.slice(-8).map((l) => JSON.stringify(l).slice(0, 400));
        const timer = setTimeout(
          () => done(() => reject(new Error(`${path.basename(entry)}: no matching log line in ${timeoutMs} ms; its last log lines:\n${last().join('\n') || 'none'}\nstderr: ${stderrTail}`))),
          timeoutMs,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        void exited.then(check);
        check();
      });
    },
    peakRssMb: () => statusKb(pid, 'VmHWM') / 1024,
    rssMb: () => statusKb(pid, 'VmRSS') / 1024,
    cpuSeconds: () => processCpuSeconds(pid),
    async stop() {
      if (!alive()) return;
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => alive() && process.kill(pid, 'SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
