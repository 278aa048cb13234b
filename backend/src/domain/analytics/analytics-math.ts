// The arithmetic of the analytics views (pure): rollup rows folded into counts, rates, and
// nearest-rank percentiles read from a whole-second duration histogram.

export interface RollupRow {
  outcome: string;
  disposition: string;
  isOptOut: boolean;
  calls: number;
  durationCalls: number;
  durationSec: number;
  costCalls: number;
  cost: number;
}

export interface Counts {
  /** Dialed calls with a final outcome. */
  finished: number;
  connected: number;
  voicemail: number;
  noAnswer: number;
  busy: number;
  /** Provider or carrier failures, unreachable numbers, and account problems. */
  failed: number;
  cancelled: number;
  /** The provider accepted, then refused for concurrency: requeued, not an attempt on the contact. */
  capacity: number;
  optedOut: number;
  /** Connected, not opted out, and the script's outcome is one of the portal's conversion outcomes. */
  converted: number;
  costUsd: number;
  /** Seconds talked on connected calls, and how many connected calls reported a duration. */
  connectedSec: number;
  connectedWithDuration: number;
}

export const emptyCounts = (): Counts => ({
  finished: 0,
  connected: 0,
  voicemail: 0,
  noAnswer: 0,
  busy: 0,
  failed: 0,
  cancelled: 0,
  capacity: 0,
  optedOut: 0,
  converted: 0,
  costUsd: 0,
  connectedSec: 0,
  connectedWithDuration: 0,
});

const BUCKET: Record<string, keyof Counts> = {
  completed: 'connected',
  voicemail: 'voicemail',
  no_answer: 'noAnswer',
  busy: 'busy',
  failed_transient: 'failed',
  failed_permanent: 'failed',
  account_blocked: 'failed',
  cancelled: 'cancelled',
  capacity: 'capacity',
};

export function addRow(c: Counts, r: RollupRow, conversions: ReadonlySet<string>): Counts {
  c.finished += r.calls;
  const bucket = BUCKET[r.outcome];
  if (bucket) c[bucket] += r.calls;
  if (r.isOptOut) c.optedOut += r.calls;
  if (r.outcome === 'completed' && !r.isOptOut && conversions.has(r.disposition)) c.converted += r.calls;
  c.costUsd += r.cost;
  if (r.outcome === 'completed') {
    c.connectedSec += r.durationSec;
    c.connectedWithDuration += r.durationCalls;
  }
  return c;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
export const ratio = (part: number, whole: number, digits = 4) => (whole > 0 ? round(part / whole, digits) : null);

export function ratesOf(c: Counts) {
  return {
    connected: ratio(c.connected, c.finished),
    voicemail: ratio(c.voicemail, c.finished),
    noAnswer: ratio(c.noAnswer, c.finished),
    busy: ratio(c.busy, c.finished),
    failed: ratio(c.failed, c.finished),
    optedOut: ratio(c.optedOut, c.finished),
    converted: ratio(c.converted, c.finished),
    convertedOfConnected: ratio(c.converted, c.connected),
  };
}

/** Histogram buckets: whole seconds → calls. */
export type Histogram = Map<number, number>;

export function addToHistogram(h: Histogram, seconds: number, calls: number): Histogram {
  h.set(seconds, (h.get(seconds) ?? 0) + calls);
  return h;
}

/** Nearest-rank percentiles (the smallest value with at least p% of calls at or below it), in whole seconds. */
export function percentiles(h: Histogram, ps: readonly number[]): Array<number | null> {
  const buckets = [...h.entries()].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
  const total = buckets.reduce((n, [, c]) => n + c, 0);
  if (total === 0) return ps.map(() => null);
  return ps.map((p) => {
    const rank = Math.max(1, Math.ceil((p / 100) * total));
    let seen = 0;
    for (const [seconds, n] of buckets) {
      seen += n;
      if (seen >= rank) return seconds;
    }
    return buckets[buckets.length - 1]![0];
  });
}

export function durationOf(c: Counts, h: Histogram) {
  const [p50, p90, p99] = percentiles(h, [50, 90, 99]);
  return {
    connectedSec: round(c.connectedSec, 3),
    avgSec: c.connectedWithDuration > 0 ? round(c.connectedSec / c.connectedWithDuration, 3) : null,
    p50Sec: p50!,
    p90Sec: p90!,
    p99Sec: p99!,
  };
}

export function costOf(c: Counts) {
  return {
    totalUsd: round(c.costUsd, 4),
    perCallUsd: c.finished > 0 ? round(c.costUsd / c.finished, 4) : null,
    perConnectedUsd: c.connected > 0 ? round(c.costUsd / c.connected, 4) : null,
  };
}
