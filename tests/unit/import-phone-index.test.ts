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
