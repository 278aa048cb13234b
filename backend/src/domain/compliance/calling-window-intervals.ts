// Half-open instant intervals [start, end) in epoch milliseconds, and their intersection.

export type Interval = readonly [number, number];

function normalise(list: readonly Interval[]): Interval[] {
  const sorted = list.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function intersectTwo(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [as, ae] = a[i]!;
    const [bs, be] = b[j]!;
    const s = Math.max(as, bs);
    const e = Math.min(ae, be);
    if (e > s) out.push([s, e]);
    if (ae < be) i++;
    else j++;
  }
  return out;
}

/** The instants inside every one of the lists (each list is a union of intervals). */
export function intersectIntervals(lists: readonly (readonly Interval[])[]): Interval[] {
  if (lists.length === 0) return [];
  return lists.map(normalise).reduce((acc, l) => intersectTwo(acc, l));
}
