import { chaosLine, runChaos } from '../chaos/chaos-harness';

// The chaos run (tests/chaos, `npm run test:chaos` runs 1,000 contacts per provider) at a size CI
// can afford, on each provider's fake: 150 contacts dialed by 2 worker child processes, 3
// SIGKILLs at random moments (each worker replaced), and the run's private Redis (AOF, fsync
// always) killed and started again once. Every contact must end final, no attempt may reach the
// fake twice (Vapi's and Retell's ledgers both count calls per attempt id), no lease may be left,
// and live calls must never pass the cap. Most of its time is worker start-up and BullMQ's
// stalled-job detection (a killed worker's jobs come back once its 10 s lock expires).
describe.each(['vapi', 'retell'] as const)('chaos, bounded (%s)', (provider) => {
  it('survives killed workers and a Redis restart: no duplicates, nothing lost, no leaked lease', async () => {
    const lines: string[] = [];
    const r = await runChaos({ provider, contacts: 150, workers: 2, kills: 3, redisRestarts: 1, cap: 5, retries: false, seed: 11, timeoutMs: 200_000, log: (l) => lines.push(l) });
    const line = chaosLine([r]);
    console.log(`${line} elapsed_s=${(r.elapsedMs / 1000).toFixed(0)}`);
    const verdict = { duplicates: r.duplicates.length, lost: r.lost, leakedLeases: r.leakedLeases, unrecorded: r.unrecorded, kills: r.kills, redisRestarts: r.redisRestarts, overCap: r.maxLive > r.cap };
    // On failure the run's own log (progress, kills, where stuck contacts are) comes with it.
    expect({ ...verdict, log: verdict.lost || verdict.duplicates || verdict.leakedLeases || verdict.unrecorded ? lines.slice(-12) : [] }).toEqual({
      duplicates: 0, lost: 0, leakedLeases: 0, unrecorded: 0, kills: 3, redisRestarts: 1, overCap: false, log: [],
    });
    expect(r.maxAccountLeases).toBeLessThanOrEqual(r.cap);
    expect(r.contacts).toBe(150);
  }, 300_000);
});
