import fc from 'fast-check';
import { evaluateCallingWindow, type CallingWindowInput } from '../../backend/src/domain/compliance/calling-window';
import { callingWindowAtDial } from '../../backend/src/domain/dialing/dial-checks';

// The dialer asks today's intervals first and the full two-week horizon only on a "no"
// (dial-checks.ts). That shortcut must never change a decision: same allowed, same allowedUntil,
// same next opening and audit fields as the full evaluation, for any zone, window and instant.
const ZONES = ['America/New_York', 'America/Los_Angeles', 'America/Chicago', 'Pacific/Honolulu', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Etc/GMT+12', 'Etc/GMT-14'];
const clock = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 59)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

describe('calling window at dial time', () => {
  it('decides exactly as the full-horizon evaluation (DST changes, odd offsets, override zones, states)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 0, 1) }),
        fc.uniqueArray(fc.constantFrom(...ZONES), { minLength: 1, maxLength: 3 }),
        clock,
        clock,
        fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
        fc.option(fc.constantFrom(...ZONES), { nil: null }),
        fc.constantFrom(null, 'FL', 'NY'),
        (t, zones, start, end, days, override, usState) => {
          const input: CallingWindowInput = { contactZones: zones, usState, window: { start, end, daysOfWeek: days, timeZone: override }, now: new Date(t) };
          expect(callingWindowAtDial(input)).toEqual(evaluateCallingWindow(input));
        },
      ),
      { numRuns: 800 },
    );
  });

  it('answers from a remembered opening exactly as the full evaluation, up to its end and not past it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 0, 1) }),
        fc.array(fc.integer({ min: 0, max: 20 * 3_600_000 }), { minLength: 1, maxLength: 6 }),
        fc.uniqueArray(fc.constantFrom(...ZONES), { minLength: 1, maxLength: 2 }),
        clock,
        clock,
        fc.option(fc.constantFrom(...ZONES), { nil: null }),
        (t, steps, zones, start, end, override) => {
          // The same rules asked again and again as the clock moves on: the first allowed answer is
          // remembered, later ones inside (and beyond) that opening must still match exactly.
          let now = t;
          for (const step of [0, ...steps]) {
            now += step;
            const input: CallingWindowInput = { contactZones: zones, window: { start, end, daysOfWeek: [1, 2, 3, 4, 5, 6, 7], timeZone: override }, now: new Date(now) };
            expect(callingWindowAtDial(input)).toEqual(evaluateCallingWindow(input));
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('agrees at the edges of a DST day in New York', () => {
    // 2025-03-09: clocks jump 02:00 → 03:00; 2025-11-02: 02:00 → 01:00.
    for (const iso of ['2025-03-09T12:59:59Z', '2025-03-09T13:00:00Z', '2025-03-10T00:59:59Z', '2025-03-10T01:00:00Z', '2025-11-02T12:59:59Z', '2025-11-02T13:00:00Z', '2025-11-03T01:59:59Z', '2025-11-03T02:00:00Z']) {
      const input: CallingWindowInput = { contactZones: ['America/New_York'], window: { start: '08:00', end: '21:00', daysOfWeek: [1, 2, 3, 4, 5, 6, 7] }, now: new Date(iso) };
      expect(callingWindowAtDial(input)).toEqual(evaluateCallingWindow(input));
    }
  });
});
