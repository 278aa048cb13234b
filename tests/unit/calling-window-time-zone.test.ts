import {
  addDays,
  formatLocalIso,
  fromLocal,
  isValidTimeZone,
  offsetMinutes,
  parseClock,
  resolveContactZones,
  toLocal,
} from '../../backend/src/domain/compliance/time-zone';
import { lookupPhoneRegion, regionKey, resolveContactRegion, usStateFromDescription } from '../../backend/src/domain/compliance/time-zone-phone';

describe('time zones', () => {
  it('knows real zones and refuses made-up ones', () => {
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone(42)).toBe(false);
    expect(isValidTimeZone(null)).toBe(false);
  });

  it('reads the wall clock and ISO weekday in a zone', () => {
    const l = toLocal(new Date('2025-03-07T15:04:05Z'), 'America/Chicago');
    expect(l).toEqual({ year: 2025, month: 3, day: 7, hour: 9, minute: 4, second: 5, weekday: 5 });
    expect(toLocal(new Date('2025-03-09T20:00:00Z'), 'Pacific/Kiritimati').weekday).toBe(1); // already Monday at +14
  });

  it('computes offsets including half and three-quarter hours and DST', () => {
    expect(offsetMinutes(new Date('2025-01-15T12:00:00Z'), 'America/New_York')).toBe(-300);
    expect(offsetMinutes(new Date('2025-07-15T12:00:00Z'), 'America/New_York')).toBe(-240);
    expect(offsetMinutes(new Date('2025-01-15T12:00:00Z'), 'Asia/Kathmandu')).toBe(345);
    expect(offsetMinutes(new Date('2025-07-15T12:00:00Z'), 'Australia/Lord_Howe')).toBe(630);
    expect(offsetMinutes(new Date('2025-01-15T12:00:00Z'), 'Australia/Lord_Howe')).toBe(660);
  });

  it('maps a local time to the instant, across DST gaps and overlaps', () => {
    const ny = 'America/New_York';
    expect(fromLocal({ year: 2025, month: 1, day: 15, hour: 8, minute: 0 }, ny).toISOString()).toBe('2025-01-15T13:00:00.000Z');
    expect(fromLocal({ year: 2025, month: 7, day: 15, hour: 8, minute: 0 }, ny).toISOString()).toBe('2025-07-15T12:00:00.000Z');
    // 02:30 does not exist on 9 March 2025: it moves forward by the gap to 03:30 EDT.
    const gap = fromLocal({ year: 2025, month: 3, day: 9, hour: 2, minute: 30 }, ny);
    expect(gap.toISOString()).toBe('2025-03-09T07:30:00.000Z');
    expect(formatLocalIso(gap, ny)).toBe('2025-03-09T03:30:00-04:00');
    // 01:30 happens twice on 2 November 2025: the earlier (EDT) one.
    expect(fromLocal({ year: 2025, month: 11, day: 2, hour: 1, minute: 30 }, ny).toISOString()).toBe('2025-11-02T05:30:00.000Z');
    // A zone whose clocks jump at midnight (Santiago, 6 Sep 2025 24:00 → 01:00).
    const santiago = fromLocal({ year: 2025, month: 9, day: 7, hour: 0, minute: 30 }, 'America/Santiago');
    expect(formatLocalIso(santiago, 'America/Santiago')).toBe('2025-09-07T01:30:00-03:00');
  });

  it('formats local ISO times with the offset', () => {
    expect(formatLocalIso(new Date('2025-01-15T12:00:00Z'), 'Asia/Kathmandu')).toBe('2025-01-15T17:45:00+05:45');
    expect(formatLocalIso(new Date('2025-01-15T12:00:00Z'), 'America/St_Johns')).toBe('2025-01-15T08:30:00-03:30');
  });

  it('adds calendar days across month and year ends', () => {
    expect(addDays({ year: 2024, month: 12, day: 31 }, 1)).toEqual({ year: 2025, month: 1, day: 1, weekday: 3 });
    expect(addDays({ year: 2024, month: 3, day: 1 }, -1)).toEqual({ year: 2024, month: 2, day: 29, weekday: 4 });
  });

  it('parses HH:MM clocks strictly', () => {
    expect(parseClock('08:00')).toBe(480);
    expect(parseClock('21:00')).toBe(1260);
    expect(parseClock('23:59')).toBe(1439);
    for (const bad of ['8:00', '24:00', '12:60', '12:00:00', 'noon', '']) expect(parseClock(bad)).toBeNull();
  });
});

describe('resolving a contact zone (contact → phone region → portal default)', () => {
  it('prefers the contact zone when it is a real zone', () => {
    expect(resolveContactZones({ contactTimeZone: 'America/Denver', phoneZones: ['America/New_York'], portalDefault: 'UTC' })).toEqual({
      zones: ['America/Denver'],
      source: 'contact',
    });
  });

  it('falls back to every zone of the phone region, then to the portal default', () => {
    expect(resolveContactZones({ contactTimeZone: 'Not/AZone', phoneZones: ['America/Adak', 'America/Anchorage'], portalDefault: 'UTC' })).toEqual({
      zones: ['America/Adak', 'America/Anchorage'],
      source: 'phone',
    });
    expect(resolveContactZones({ contactTimeZone: null, phoneZones: [], portalDefault: 'America/Chicago' })).toEqual({
      zones: ['America/Chicago'],
      source: 'portal_default',
    });
  });

  it('treats a number with many zones (toll-free) as saying nothing about place', () => {
    const many = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'Pacific/Honolulu'];
    expect(resolveContactZones({ contactTimeZone: null, phoneZones: many, portalDefault: 'America/Chicago' }).source).toBe('portal_default');
  });

  it('never returns an invalid zone, even when the portal default is broken', () => {
    expect(resolveContactZones({ contactTimeZone: null, phoneZones: null, portalDefault: 'Nope/Nope' }).zones).toEqual(['America/New_York']);
  });
});

describe('phone regions', () => {
  it('reads US states from geocoder descriptions', () => {
    expect(usStateFromDescription('Florida')).toBe('FL');
    expect(usStateFromDescription('San Francisco, CA')).toBe('CA');
    expect(usStateFromDescription('Washington D.C.')).toBe('DC');
    expect(usStateFromDescription('Ontario')).toBeNull();
    expect(usStateFromDescription(null)).toBeNull();
  });

  it('keys the memo by area code in North America', () => {
    expect(regionKey('+13055550123')).toBe('+1305');
    expect(regionKey('+447911123456')).toBe('+44791112');
  });

  it('finds zones and the state of real numbers, and a malformed number does not poison its prefix', async () => {
    expect(await lookupPhoneRegion('+1305')).toEqual({ zones: [], usState: null });
    expect(await lookupPhoneRegion('+13055550123')).toEqual({ zones: ['America/New_York'], usState: 'FL' });
    expect(await lookupPhoneRegion('+14165550123')).toEqual({ zones: ['America/Toronto'], usState: null });
    expect((await lookupPhoneRegion('+19075550123')).zones.sort()).toEqual(['America/Adak', 'America/Anchorage']);
  });

  it('resolves a contact with no zone from its number', async () => {
    const r = await resolveContactRegion({ timeZone: null, phone: '+14155550123' }, 'America/New_York');
    expect(r).toEqual({ zones: ['America/Los_Angeles'], source: 'phone', usState: 'CA' });
    const tollFree = await resolveContactRegion({ timeZone: null, phone: '+18005550123' }, 'America/Chicago');
    expect(tollFree).toEqual({ zones: ['America/Chicago'], source: 'portal_default', usState: null });
  });
});
