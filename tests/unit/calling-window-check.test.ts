import { checkContactCallingWindow } from '../../backend/src/domain/compliance/calling-window-check';

const campaign = { windowStart: '08:00', windowEnd: '21:00', daysOfWeek: [1, 2, 3, 4, 5, 6, 7], timeZone: null };
// Wednesday 15 January 2025 01:30 UTC = Tuesday 20:30 in New York and Miami, 17:30 in Los Angeles.
const now = new Date('2025-01-15T01:30:00Z');

describe('checkContactCallingWindow (dial time)', () => {
  it('uses the contact zone when it has one', async () => {
    const r = await checkContactCallingWindow({ contact: { timeZone: 'America/Los_Angeles', phone: '+12025550123' }, campaign, portalDefaultZone: 'UTC', now });
    expect(r).toMatchObject({ allowed: true, zoneSource: 'contact', zones: ['America/Los_Angeles'], localTime: '2025-01-14T17:30:00-08:00', usState: 'DC' });
  });

  it('falls back to the number region and applies its state rule (Florida closes at 20:00)', async () => {
    const fl = await checkContactCallingWindow({ contact: { timeZone: null, phone: '+13055550123' }, campaign, portalDefaultZone: 'UTC', now });
    expect(fl).toMatchObject({ allowed: false, reason: 'outside_hours', zoneSource: 'phone', zones: ['America/New_York'], usState: 'FL' });
    expect(fl.nextAllowedAt?.toISOString()).toBe('2025-01-15T13:00:00.000Z');
    const ny = await checkContactCallingWindow({ contact: { timeZone: null, phone: '+12125550123' }, campaign, portalDefaultZone: 'UTC', now });
    expect(ny).toMatchObject({ allowed: true, usState: 'NY' });
  });

  it('falls back to the portal default for a toll-free number', async () => {
    const r = await checkContactCallingWindow({ contact: { timeZone: null, phone: '+18005550123' }, campaign, portalDefaultZone: 'America/Chicago', now });
    expect(r).toMatchObject({ zoneSource: 'portal_default', zones: ['America/Chicago'], allowed: true, localTime: '2025-01-14T19:30:00-06:00' });
  });

  it('ignores a stored zone that is not a zone', async () => {
    const r = await checkContactCallingWindow({ contact: { timeZone: 'Eastern-ish', phone: '+14155550123' }, campaign, portalDefaultZone: 'UTC', now });
    expect(r).toMatchObject({ zoneSource: 'phone', zones: ['America/Los_Angeles'] });
  });
});
