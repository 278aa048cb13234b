import { spawn } from 'node:child_process';
import path from 'node:path';
import type { VapiFakeOptions } from '../fakes/vapi/fake-options';
import type { FakeChildMessage, FakeChildRequest } from './_vapi-fake-child';

// Starts bench/_vapi-fake-child.ts and reads the fake's counts from it. Stopped by its pid.
export interface FakeProcess {
  pid: number;
  url: string;
  counts(): Promise<{ created: number; duplicates: number }>;
  /** Resolves when the fake has accepted `created` creates (or rejects after `timeoutMs`). */
  waitForCreated(created: number, timeoutMs: number): Promise<{ created: number; duplicates: number }>;
  close(): Promise<void>;
}

const CHILD = path.join(__dirname, '_vapi-fake-child.ts');

export async function spawnVapiFake(options: VapiFakeOptions): Promise<FakeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, '--options', JSON.stringify(options)], {
    cwd: path.resolve(__dirname, '..'),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn the Vapi fake');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = (type: FakeChildMessage['type'], timeoutMs: number) =>
    new Promise<FakeChildMessage>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`the Vapi fake (pid ${pid}) sent no "${type}" within ${timeoutMs} ms`)), timeoutMs);
      const onMessage = (m: FakeChildMessage) => m.type === type && done(null, m);
      const onExit = () => done(new Error(`the Vapi fake (pid ${pid}) exited`));
      function done(err: Error | null, m?: FakeChildMessage) {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (err) reject(err);
        else resolve(m!);
      }
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ask = (m: FakeChildRequest) => child.send(m);
  const countsOf = (m: FakeChildMessage) => {
    if (m.type === 'ready') throw new Error('unexpected message');
    return { created: m.created, duplicates: m.duplicates };
  };
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // it ended on its own meanwhile
      }
    }
    await exited;
  };
  let url: string;
  try {
    const ready = await next('ready', 60_000);
    if (ready.type !== 'ready') throw new Error('unexpected message');
    url = ready.url;
  } catch (err) {
    await close();
    throw err;
  }
  return {
    pid,
    url,
    async counts() {
      const answer = next('counts', 10_000);
      ask({ type: 'counts' });
      return countsOf(await answer);
    },
    async waitForCreated(created, timeoutMs) {
      const answer = next('reached', timeoutMs);
      ask({ type: 'watch', created });
      return countsOf(await answer);
    },
    close,
  };
}
