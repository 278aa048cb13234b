// Simulated time for the fake: durations are in simulated seconds, slept as simSec × timeScale
// of wall time. Every timer is tracked so close() can cancel calls still in flight, and so
// waitForIdle() knows when nothing is left to happen.

export class FakeClock {
  private timers = new Set<NodeJS.Timeout>();
  private closed = false;
  private busy = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(public timeScale: number) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves after `simSec` simulated seconds; rejects with FakeClosed if the fake closes first. */
  sleep(simSec: number): Promise<void> {
    if (this.closed) return Promise.reject(new FakeClosed());
    const ms = Math.max(0, simSec * 1000 * this.timeScale);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (this.closed) reject(new FakeClosed());
        else resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  /** Runs a background task, counted for waitForIdle(); FakeClosed ends it quietly. */
  track(task: Promise<unknown>): void {
    this.busy += 1;
    task
      .catch((err) => {
        if (!(err instanceof FakeClosed)) console.error('[vapi-fake] background task failed:', err);
      })
      .finally(() => {
        this.busy -= 1;
        if (this.busy === 0) for (const w of this.idleWaiters.splice(0)) w();
      });
  }

  waitForIdle(timeoutMs: number): Promise<void> {
    if (this.busy === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`vapi fake still busy (${this.busy} tasks) after ${timeoutMs} ms`)), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

export class FakeClosed extends Error {
  constructor() {
    super('vapi fake closed');
  }
}

/** mulberry32: a small seeded PRNG, so a run's outcome mix can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const between = (rand: () => number, [min, max]: [number, number]) => min + (max - min) * rand();
