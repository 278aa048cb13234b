import { startVapiFake } from '../fakes/vapi/vapi-fake';
import type { VapiFakeOptions } from '../fakes/vapi/fake-options';

// The Vapi fake in a process of its own for the dial benchmark (bench/_vapi-fake-process.ts
// spawns it): the real Vapi is a remote service, so its HTTP server answering each create must
// not be counted in the worker's CPU. Options come as one JSON argument (the same object the
// dialing harness would start it with in-process); counts go to the parent over IPC, so the
// worker process spends no HTTP requests on watching the fake.
export type FakeChildRequest = { type: 'counts' } | { type: 'watch'; created: number };
export type FakeChildMessage =
  | { type: 'ready'; url: string }
  | { type: 'counts' | 'reached'; created: number; duplicates: number };

async function main() {
  const i = process.argv.indexOf('--options');
  const options = JSON.parse(i >= 0 ? (process.argv[i + 1] ?? '{}') : '{}') as VapiFakeOptions;
  const fake = await startVapiFake(options);
  const counts = () => ({ created: fake.state.counters.created, duplicates: fake.state.duplicates().length });
  const send = (m: FakeChildMessage) => process.send?.(m);
  process.on('message', (m: FakeChildRequest) => {
    if (m.type === 'counts') send({ type: 'counts', ...counts() });
    if (m.type === 'watch') {
      // As often as the bench used to look at the in-process fake.
      const timer = setInterval(() => {
        if (fake.state.counters.created < m.created) return;
        clearInterval(timer);
        send({ type: 'reached', ...counts() });
      }, 5);
    }
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void fake.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
  send({ type: 'ready', url: fake.url });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
