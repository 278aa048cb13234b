import fc from 'fast-check';
import { evaluateCallingWindow, opensLaterToday, type CallingWindowInput } from '../../backend/src/domain/compliance/calling-window';
import { parseClock, toLocal } from '../../backend/src/domain/compliance/time-zone';

const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];
const WEEKDAYS = [1, 2, 3, 4, 5];
const NY = 'America/New_York';

const at = (iso: string, over: Partial<CallingWindowInput> = {}) =>
  evaluateCallingWindow({ contactZones: [NY], window: { start: '08:00', end: '21:00', daysOfWeek: ALL_DAYS }, now: new Date(iso), ...over });

describe('calling window: hours', () => {
  it('is open inside the window and says until when', () => {
    const d = at('2025-01-15T15:00:00Z'); // 10:00 EST, Wednesday
    expect(d).toMatchObject({ allowed: true, reason: 'open', zone: NY, localTime: '2025-01-15T10:00:00-05:00', localWeekday: 3 });
    expect(d.nextAllowedAt?.toISOString()).toBe('2025-01-15T15:00:00.000Z');
    expect(d.allowedUntil?.toISOString()).toBe('2025-01-16T02:00:00.000Z'); // 21:00 EST
  });

  it('opens at 08:00 sharp and closes at 21:00 sharp (half-open)', () => {
    expect(at('2025-01-15T12:59:59Z').allowed).toBe(false);
    expect(at('2025-01-15T12:59:59Z').nextAllowedAt?.toISOString()).toBe('2025-01-15T13:00:00.000Z');
    expect(at('2025-01-15T13:00:00Z').allowed).toBe(true);
    expect(at('2025-01-16T01:59:59Z').allowed).toBe(true);
    const closed = at('2025-01-16T02:00:00Z');
    expect(closed).toMatchObject({ allowed: false, reason: 'outside_hours' });
    expect(closed.nextAllowedAt?.toISOString()).toBe('2025-01-16T13:00:00.000Z');
  });

  it('never lets a campaign window widen the federal one, even with an override zone', () => {
    // Window 08:00–21:00 in Chicago, contact in New York: 08:00 Chicago is 09:00 New York, fine;
    // but the Chicago window runs to 22:00 New York time, which the federal rule cuts at 21:00.
    const base = { contactZones: [NY], window: { start: '08:00', end: '21:00', daysOfWeek: ALL_DAYS, timeZone: 'America/Chicago' } };
    expect(evaluateCallingWindow({ ...base, now: new Date('2025-01-16T01:30:00Z') }).allowed).toBe(true); // 20:30 NY
    const late = evaluateCallingWindow({ ...base, now: new Date('2025-01-16T02:30:00Z') }); // 21:30 NY, 20:30 Chicago
    expect(late.allowed).toBe(false);
    expect(late.nextAllowedAt?.toISOString()).toBe('2025-01-16T14:00:00.000Z'); // 08:00 Chicago = 09:00 NY
  });

  it('applies the stricter Florida window for Florida numbers only', () => {
    const t = '2025-01-16T01:30:00Z'; // 20:30 EST
    expect(at(t, { usState: 'FL' })).toMatchObject({ allowed: false, reason: 'outside_hours' });
    expect(at(t, { usState: 'FL' }).nextAllowedAt?.toISOString()).toBe('2025-01-16T13:00:00.000Z');
    expect(at(t, { usState: 'GA' }).allowed).toBe(true);
    expect(at(t, { usState: 'GA', stateWindows: { GA: { start: '09:00', end: '20:00' } } }).allowed).toBe(false);
  });

  it('requires every candidate zone to be open (most restrictive reading)', () => {
    const alaska = { contactZones: ['America/Anchorage', 'America/Adak'], window: { start: '08:00', end: '21:00', daysOfWeek: ALL_DAYS } };
    const d = evaluateCallingWindow({ ...alaska, now: new Date('2025-01-15T17:30:00Z') }); // 08:30 Anchorage, 07:30 Adak
    expect(d).toMatchObject({ allowed: false, zone: 'America/Anchorage', localTime: '2025-01-15T08:30:00-09:00' });
    expect(d.nextAllowedAt?.toISOString()).toBe('2025-01-15T18:00:00.000Z'); // 08:00 Adak
  });
});

describe('calling window: days of the week', () => {
  const weekdays = { contactZones: [NY], window: { start: '09:00', end: '17:00', daysOfWeek: WEEKDAYS } };

  it('skips the weekend to Monday morning', () => {
    const friday = evaluateCallingWindow({ ...weekdays, now: new Date('2025-03-07T22:30:00Z') }); // Fri 17:30 EST
    expect(friday).toMatchObject({ allowed: false, reason: 'outside_hours' });
    expect(friday.nextAllowedAt?.toISOString()).toBe('2025-03-10T13:00:00.000Z'); // Mon 09:00 EDT (after DST)
    const saturday = evaluateCallingWindow({ ...weekdays, now: new Date('2025-03-08T15:00:00Z') });
    expect(saturday.reason).toBe('day_not_allowed');
  });

  it('reads the day in the contact zone, across the date line', () => {
    const mondayOnly = { contactZones: ['Pacific/Kiritimati'], window: { start: '09:00', end: '17:00', daysOfWeek: [1] } };
    // Sunday 20:00 UTC is Monday 10:00 at +14.
    expect(evaluateCallingWindow({ ...mondayOnly, now: new Date('2025-03-09T20:00:00Z') }).allowed).toBe(true);
    expect(evaluateCallingWindow({ ...mondayOnly, contactZones: ['Pacific/Pago_Pago'], now: new Date('2025-03-09T20:00:00Z') }).allowed).toBe(false);
  });

  it('reads the day in the override zone when the campaign has one', () => {
    // Monday 08:30 in Tokyo is Sunday 18:30 in New York: a Monday-only Tokyo window is open.
    const d = evaluateCallingWindow({
      contactZones: [NY],
      window: { start: '08:00', end: '21:00', daysOfWeek: [1], timeZone: 'Asia/Tokyo' },
      now: new Date('2025-01-12T23:30:00Z'),
    });
    expect(d.allowed).toBe(true);
  });
});

describe('calling window: DST', () => {
  it('opens at 08:00 EDT on the spring-forward morning (12:00Z, not 13:00Z)', () => {
    const d = at('2025-03-09T03:00:00Z'); // Sat 22:00 EST
    expect(d.nextAllowedAt?.toISOString()).toBe('2025-03-09T12:00:00.000Z');
    expect(at('2025-03-09T12:30:00Z').localTime).toBe('2025-03-09T08:30:00-04:00');
  });

  it('opens at 08:00 EST on the fall-back morning (13:00Z)', () => {
    const d = at('2025-11-02T02:00:00Z'); // Sat 22:00 EDT
    expect(d.nextAllowedAt?.toISOString()).toBe('2025-11-02T13:00:00.000Z');
    expect(at('2025-11-02T12:30:00Z').allowed).toBe(false); // 07:30 EST
  });

  it('ends the spring-forward day at 21:00 EDT', () => {
    expect(at('2025-03-09T20:00:00Z').allowedUntil?.toISOString()).toBe('2025-03-10T01:00:00.000Z');
  });

  it('handles southern-hemisphere DST (Sydney, first Sunday of April 2025)', () => {
    const d = evaluateCallingWindow({ contactZones: ['Australia/Sydney'], window: { start: '08:00', end: '21:00', daysOfWeek: ALL_DAYS }, now: new Date('2025-04-05T12:00:00Z') });
    // 23:00 AEDT Saturday; Sunday 08:00 is AEST (+10) after the change.
    expect(d.nextAllowedAt?.toISOString()).toBe('2025-04-05T22:00:00.000Z');
  });
});

describe('calling window: windows that never open and bad input', () => {
  it('says never_opens for no days', () => {
    expect(at('2025-01-15T15:00:00Z', { window: { start: '09:00', end: '17:00', daysOfWeek: [] } })).toMatchObject({ allowed: false, reason: 'never_opens', nextAllowedAt: null });
  });

  it('says never_opens when the override window can never meet the federal one', () => {
    // 08:00–09:00 in Kolkata is 21:30–22:30 (EST) or 22:30–23:30 (EDT) in New York.
    const d = at('2025-01-15T15:00:00Z', { window: { start: '08:00', end: '09:00', daysOfWeek: ALL_DAYS, timeZone: 'Asia/Kolkata' } });
    expect(d).toMatchObject({ allowed: false, reason: 'never_opens', nextAllowedAt: null });
  });

  it('refuses unknown zones and malformed windows instead of guessing', () => {
    expect(at('2025-01-15T15:00:00Z', { contactZones: ['Nowhere/Land'] })).toMatchObject({ allowed: false, reason: 'invalid_time_zone', localTime: null });
    expect(at('2025-01-15T15:00:00Z', { contactZones: [] }).reason).toBe('invalid_time_zone');
    expect(at('2025-01-15T15:00:00Z', { window: { start: '10:00', end: '17:00', daysOfWeek: ALL_DAYS, timeZone: 'Bad/Zone' } }).reason).toBe('invalid_time_zone');
    expect(at('2025-01-15T15:00:00Z', { window: { start: '17:00', end: '10:00', daysOfWeek: ALL_DAYS } }).reason).toBe('invalid_window');
    expect(at('2025-01-15T15:00:00Z', { window: { start: '9am', end: '17:00', daysOfWeek: ALL_DAYS } }).reason).toBe('invalid_window');
  });
});

describe('opensLaterToday', () => {
  const w = { contactZones: [NY], window: { start: '09:00', end: '17:00', daysOfWeek: WEEKDAYS } };
  it('is true before and during the window, false after it and on days off', () => {
    expect(opensLaterToday({ ...w, now: new Date('2025-01-15T12:00:00Z') })).toBe(true); // 07:00
    expect(opensLaterToday({ ...w, now: new Date('2025-01-15T16:00:00Z') })).toBe(true); // 11:00
    expect(opensLaterToday({ ...w, now: new Date('2025-01-15T22:30:00Z') })).toBe(false); // 17:30
    expect(opensLaterToday({ ...w, now: new Date('2025-01-18T14:00:00Z') })).toBe(false); // Saturday
  });
});

describe('calling window: properties', () => {
  const zones = ['America/New_York', 'America/Los_Angeles', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Kiritimati', 'America/Santiago'];
  const clock = fc.integer({ min: 8 * 60, max: 21 * 60 }).map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
  const arb = fc.record({
    zone: fc.constantFrom(...zones),
    a: clock,
    b: clock,
    days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    now: fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 0, 1) }).map((t) => new Date(t)),
  }).filter((r) => r.a < r.b);

  it('is open exactly when local time is in the window on an allowed day; nextAllowedAt is the first open minute', () => {
    fc.assert(
      fc.property(arb, ({ zone, a, b, days, now }) => {
        const input = { contactZones: [zone], window: { start: a, end: b, daysOfWeek: days }, now };
        const d = evaluateCallingWindow(input);
        const l = toLocal(now, zone);
        const minute = l.hour * 60 + l.minute;
        const inside = days.includes(l.weekday) && minute >= parseClock(a)! && minute < parseClock(b)!;
        expect(d.allowed).toBe(inside);
        if (!d.allowed) {
          expect(d.nextAllowedAt).not.toBeNull();
          const next = d.nextAllowedAt!;
          expect(next.getTime()).toBeGreaterThan(now.getTime());
          expect(evaluateCallingWindow({ ...input, now: next }).allowed).toBe(true);
          expect(evaluateCallingWindow({ ...input, now: new Date(next.getTime() - 1000) }).allowed).toBe(false);
          // Nothing in between is open (sampled).
          for (let k = 1; k < 8; k++) {
            const mid = new Date(now.getTime() + ((next.getTime() - now.getTime()) * k) / 8);
            expect(evaluateCallingWindow({ ...input, now: mid }).allowed).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
