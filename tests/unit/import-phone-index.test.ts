import fc from 'fast-check';
import { PhoneIndex } from '../../backend/src/domain/imports/phone-index';

describe('PhoneIndex', () => {
  it('behaves like a Map from number to last row, across growth', () => {
    const phone = fc.integer({ min: 0, max: 5000 }).map((n) => `+1202555${String(n).padStart(4, '0')}`);
    fc.assert(
      fc.property(fc.array(phone, { maxLength: 3000 }), (phones) => {
        const index = new PhoneIndex(4);
        const model = new Map<string, number>();
        phones.forEach((p, row) => {
          expect(index.set(p, row)).toBe(model.get(p) ?? -1);
          model.set(p, row);
        });
        expect(index.size).toBe(model.size);
      }),
      { numRuns: 50 },
    );
  });

  it('stays at most 80% full and grows by half, so a large file costs ~1.25–1.9 slots a number', () => {
    const index = new PhoneIndex(1000);
    const capacities = new Set<number>();
    let overfull = 0;
    for (let n = 0; n < 200_000; n++) {
      index.set(`+1415${String(n * 7).padStart(7, '0')}`, n);
      if (index.size > index.capacity * 0.8) overfull++;
      capacities.add(index.capacity);
    }
    expect(overfull).toBe(0);
    const sizes = [...capacities].sort((a, b) => a - b);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBe(Math.ceil(sizes[i - 1]! * 1.5));
    expect(index.capacity).toBeLessThanOrEqual(Math.ceil((200_000 / 0.8) * 1.5));
    // Every number is still found (the later rows replace the earlier ones).
    const lost = [];
    for (let n = 0; n < 200_000; n++) if (index.set(`+1415${String(n * 7).padStart(7, '0')}`, -5) !== n) lost.push(n);
    expect(lost).toEqual([]);
  });

  it('keeps 15-digit numbers apart exactly', () => {
    const index = new PhoneIndex();
    expect(index.set('+999999999999998', 1)).toBe(-1);
    expect(index.set('+999999999999999', 2)).toBe(-1);
    expect(index.set('+999999999999998', 3)).toBe(1);
  });

  it('refuses what is not an E.164 number', () => {
    expect(() => new PhoneIndex().set('+12a', 1)).toThrow();
  });
});
