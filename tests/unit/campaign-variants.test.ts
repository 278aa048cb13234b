import crypto from 'node:crypto';
import { assignVariant, variantPoint, defaultVariantLabel } from '../../backend/src/domain/campaigns/campaign-variants';

// Deterministic, UUID-shaped contact ids so a failure reproduces.
const ids = (n: number, seed: string) =>
  Array.from({ length: n }, (_, i) => {
    const h = crypto.createHash('sha1').update(`${seed}:${i}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  });

const campaignId = '6f1c1e4e-4a8b-4c43-9b1d-0c6f7f2b9a10';
const v = (label: string, weight: number) => ({ id: `id-${label}`, label, weight });

function shares(variants: ReturnType<typeof v>[], contactIds: string[], cid = campaignId) {
  const counts: Record<string, number> = {};
  for (const c of contactIds) {
    const got = assignVariant({ campaignId: cid, contactId: c }, variants).label;
    counts[got] = (counts[got] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, n / contactIds.length]));
}

describe('A/B variant assignment', () => {
  const contacts = ids(100_000, 'contacts');

  it('splits 100k contacts in proportion to the weights (within 1 point)', () => {
    const even = shares([v('A', 1), v('B', 1)], contacts);
    expect(Math.abs(even.A! - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(even.B! - 0.5)).toBeLessThan(0.01);
    const skewed = shares([v('A', 3), v('B', 1), v('C', 1)], contacts);
    expect(Math.abs(skewed.A! - 0.6)).toBeLessThan(0.01);
    expect(Math.abs(skewed.B! - 0.2)).toBeLessThan(0.01);
    expect(Math.abs(skewed.C! - 0.2)).toBeLessThan(0.01);
    const tiny = shares([v('A', 99), v('B', 1)], contacts);
    expect(Math.abs(tiny.B! - 0.01)).toBeLessThan(0.003);
  });

  it('is stable: same contact, same variant, whatever order the variants come in', () => {
    const forward = [v('A', 2), v('B', 1), v('C', 1)];
    const backward = [...forward].reverse();
    for (const c of contacts.slice(0, 2000)) {
      const a = assignVariant({ campaignId, contactId: c }, forward);
      expect(assignVariant({ campaignId, contactId: c }, forward)).toBe(a);
      expect(assignVariant({ campaignId, contactId: c }, backward).label).toBe(a.label);
    }
  });

  it('gives one variant to everyone when there is one', () => {
    expect(new Set(contacts.slice(0, 1000).map((c) => assignVariant({ campaignId, contactId: c }, [v('Only', 5)]).label))).toEqual(new Set(['Only']));
  });

  it('draws afresh per campaign (assignments in two campaigns are independent)', () => {
    const two = [v('A', 1), v('B', 1)];
    const other = 'a2b9f0d4-0c1e-4d3a-8f7e-5b6c7d8e9f00';
    const sample = contacts.slice(0, 20_000);
    const same = sample.filter((c) => assignVariant({ campaignId, contactId: c }, two).label === assignVariant({ campaignId: other, contactId: c }, two).label).length;
    expect(Math.abs(same / sample.length - 0.5)).toBeLessThan(0.02);
  });

  it('maps to [0, 1) and refuses an empty or weightless list', () => {
    for (const c of contacts.slice(0, 1000)) {
      const p = variantPoint(campaignId, c);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(1);
    }
    expect(() => assignVariant({ campaignId, contactId: 'x' }, [])).toThrow();
    expect(() => assignVariant({ campaignId, contactId: 'x' }, [v('A', 0)])).toThrow();
  });

  it('labels variants A, B, C by default', () => {
    expect([0, 1, 2, 25, 26].map(defaultVariantLabel)).toEqual(['A', 'B', 'C', 'Z', 'V27']);
  });
});
