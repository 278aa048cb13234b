import { normalisePhone } from '../../backend/src/domain/contacts/phone-normaliser';
import { timeZoneForPhone } from '../../backend/src/domain/contacts/phone-time-zones';
import { canonicalTimeZone } from '../../backend/src/domain/contacts/time-zone';

describe('normalisePhone', () => {
  it.each([
    ['(202) 555-0123', 'US', '+12025550123'],
    ['202.555.0123', 'US', '+12025550123'],
    ['1-202-555-0123', 'US', '+12025550123'],
    ['+1 202 555 0123', 'GB', '+12025550123'],
    ['="+12025550123"', 'US', '+12025550123'],
    ["'2025550123", 'US', '+12025550123'],
    ['tel:+442079460000', undefined, '+442079460000'],
    ['020 7946 0000', 'GB', '+442079460000'],
    ['0151 23456789', 'DE', '+4915123456789'],
  ] as const)('%s (%s) → %s', (raw, region, e164) => {
    expect(normalisePhone(raw, region)).toMatchObject({ ok: true, e164 });
  });

  it('keeps an extension apart from the number', () => {
    expect(normalisePhone('202-555-0123 ext. 45', 'US')).toMatchObject({ ok: true, e164: '+12025550123', extension: '45' });
  });

  it.each([
    ['', 'phone number is empty'],
    ['   ', 'phone number is empty'],
    ['call me', 'not a phone number'],
    ['12345', 'invalid phone number for region US'],
    ['555-0142', 'invalid phone number for region US'],
    ['+1 900 555 0199', 'phone number is not diallable (premium rate)'],
    ['9'.repeat(80), 'not a phone number'],
  ])('rejects %j: %s', (raw, reason) => {
    expect(normalisePhone(raw, 'US')).toEqual({ ok: false, reason });
  });

  it('needs a region for a national number', () => {
    expect(normalisePhone('2025550123', undefined)).toEqual({ ok: false, reason: 'phone number has no country code and no default region applies' });
  });
});

describe('time zones', () => {
  it('gives the single zone of a number prefix, and nothing for a prefix spanning several', () => {
    expect(timeZoneForPhone('+12025550123')).toBe('America/New_York');
    expect(timeZoneForPhone('+13105550123')).toBe('America/Los_Angeles');
    expect(timeZoneForPhone('+4915123456789')).toBe('Europe/Berlin');
    expect(timeZoneForPhone('+18005550100')).toBeNull(); // toll-free: all of North America
    expect(timeZoneForPhone('+61291234567')).toBe('Australia/Sydney');
  });

  it('canonicalises IANA names, HubSpot spellings and aliases, and refuses the rest', () => {
    expect(canonicalTimeZone('america/chicago')).toBe('America/Chicago');
    expect(canonicalTimeZone('america_slash_los_angeles')).toBe('America/Los_Angeles');
    expect(canonicalTimeZone('US/Eastern')).toBe('America/New_York');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('Mars/Olympus')).toBeNull();
    expect(canonicalTimeZone('')).toBeNull();
  });
});
