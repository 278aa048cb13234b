import { addRow, addToHistogram, costOf, durationOf, emptyCounts, percentiles, ratesOf, type Histogram, type RollupRow } from '../../backend/src/domain/analytics/analytics-math';

const row = (over: Partial<RollupRow>): RollupRow => ({ outcome: 'completed', disposition: 'completed', isOptOut: false, calls: 1, durationCalls: 1, durationSec: 60, costCalls: 1, cost: 0.1, ...over });

describe('nearest-rank percentiles over a whole-second histogram', () => {
  const fromValues = (values: number[]): Histogram => values.reduce((h, v) => addToHistogram(h, v, 1), new Map());
  // Reference: sort the values, take the ceil(p/100 * n)-th.
  const reference = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.max(1, Math.ceil((p / 100) * values.length)) - 1];

  it('matches sorting the values, for many random samples', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 200; trial++) {
      const values = Array.from({ length: 1 + Math.floor(rand() * 300) }, () => Math.floor(rand() * 600));
      expect(percentiles(fromValues(values), [50, 90, 99])).toEqual([50, 90, 99].map((p) => reference(values, p)));
    }
  });

  it('is null for no calls and the single value for one call', () => {
    expect(percentiles(new Map(), [50])).toEqual([null]);
    expect(percentiles(fromValues([42]), [50, 99])).toEqual([42, 42]);
  });

  it('ignores empty buckets', () => {
    const h = fromValues([10, 20]);
    h.set(5, 0);
    expect(percentiles(h, [1, 100])).toEqual([10, 20]);
  });
});

describe('counts and rates from rollup rows', () => {
  it('folds outcomes into the headline buckets, conversions only for connected non-opted-out calls', () => {
    const conversions = new Set(['qualified']);
    const c = emptyCounts();
    addRow(c, row({ calls: 4, disposition: 'qualified', durationSec: 400, durationCalls: 4, cost: 0.4 }), conversions);
    addRow(c, row({ calls: 1, disposition: 'qualified', isOptOut: true, durationSec: 30, cost: 0.05 }), conversions);
    addRow(c, row({ outcome: 'voicemail', disposition: 'qualified', calls: 2, durationSec: 50, durationCalls: 2, cost: 0.1 }), conversions);
    addRow(c, row({ outcome: 'failed_permanent', disposition: 'failed_permanent', calls: 1, durationSec: 0, durationCalls: 0, costCalls: 0, cost: 0 }), conversions);
    addRow(c, row({ outcome: 'account_blocked', calls: 1, cost: 0 }), conversions);
    addRow(c, row({ outcome: 'no_answer', calls: 3, cost: 0 }), conversions);
    expect(c).toMatchObject({ finished: 12, connected: 5, voicemail: 2, failed: 2, noAnswer: 3, optedOut: 1, converted: 4, connectedSec: 430, connectedWithDuration: 5 });
    expect(ratesOf(c)).toMatchObject({ connected: 0.4167, converted: 0.3333, convertedOfConnected: 0.8, optedOut: 0.0833 });
    expect(costOf(c)).toEqual({ totalUsd: 0.55, perCallUsd: 0.0458, perConnectedUsd: 0.11 });
    expect(durationOf(c, new Map([[86, 5]]))).toEqual({ connectedSec: 430, avgSec: 86, p50Sec: 86, p90Sec: 86, p99Sec: 86 });
  });

  it('gives null rates, not NaN, when nothing finished', () => {
    expect(Object.values(ratesOf(emptyCounts())).every((v) => v === null)).toBe(true);
    expect(costOf(emptyCounts())).toEqual({ totalUsd: 0, perCallUsd: null, perConnectedUsd: null });
  });
});
