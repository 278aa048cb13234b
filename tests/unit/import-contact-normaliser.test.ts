import { createContactNormaliser } from '../../backend/src/domain/imports/contact-normaliser';
import { copyValue } from '../../backend/src/domain/imports/import-staging';
import { toCsvLine } from '../../backend/src/domain/imports/csv-source';

const normalise = createContactNormaliser({ region: 'US', portalTimeZone: 'America/Denver', now: () => new Date('2026-01-01T00:00:00Z') });

describe('contact normaliser', () => {
  it('uses the mobile number when the main one is missing or unusable, keeping the other', () => {
    expect(normalise({ phone: '', mobilePhone: '2025550123' })).toMatchObject({ ok: true, contact: { phone: '+12025550123', properties: {} } });
    expect(normalise({ phone: 'n/a', mobilePhone: '2025550123' })).toMatchObject({ ok: true, contact: { phone: '+12025550123', properties: { phone: 'n/a' } } });
    expect(normalise({ phone: '2025550124', mobilePhone: '2025550123' })).toMatchObject({ ok: true, contact: { phone: '+12025550124', properties: { mobilePhone: '2025550123' } } });
    expect(normalise({ phone: 'n/a', mobilePhone: 'none' })).toEqual({ ok: false, reason: 'not a phone number' });
  });

  it('splits a full name only when first and last are absent', () => {
    expect(normalise({ phone: '2025550123', fullName: ' Ana María López ' })).toMatchObject({ contact: { firstName: 'Ana', lastName: 'María López' } });
    expect(normalise({ phone: '2025550123', fullName: 'Cher' })).toMatchObject({ contact: { firstName: 'Cher', lastName: null } });
    expect(normalise({ phone: '2025550123', fullName: 'X Y', firstName: 'Zed' })).toMatchObject({ contact: { firstName: 'Zed', lastName: null } });
  });

  it('records where the time zone came from', () => {
    expect(normalise({ phone: '2025550123', timeZone: 'Europe/Paris' })).toMatchObject({ contact: { timeZone: 'Europe/Paris', timeZoneSource: 'file' } });
    expect(normalise({ phone: '2025550123' })).toMatchObject({ contact: { timeZone: 'America/New_York', timeZoneSource: 'phone' } });
    expect(normalise({ phone: '8005550100', timeZone: 'nowhere' })).toMatchObject({
      contact: { timeZone: 'America/Denver', timeZoneSource: 'portal_default', properties: { unknownTimeZone: 'nowhere' } },
    });
  });

  it('reads consent and refuses consent it cannot trust', () => {
    expect(normalise({ phone: '2025550123' })).toMatchObject({ contact: { consent: null } });
    expect(normalise({ phone: '2025550123', consentType: 'Written', consentSource: 'form', consentAt: '2025-06-01' })).toMatchObject({
      contact: { consent: { type: 'written', source: 'form', at: new Date('2025-06-01T00:00:00Z') } },
    });
    expect(normalise({ phone: '2025550123', consentType: 'express', consentAt: '1735689600000' })).toMatchObject({ contact: { consent: { at: new Date(1735689600000) } } });
    expect(normalise({ phone: '2025550123', consentType: 'yes' })).toEqual({ ok: false, reason: 'unknown consent type "yes" (use none, express or written)' });
    expect(normalise({ phone: '2025550123', consentType: 'express', consentAt: '01/02/2025' })).toMatchObject({ ok: false, reason: expect.stringContaining('ISO 8601') });
    expect(normalise({ phone: '2025550123', consentType: 'express', consentAt: '2027-01-01' })).toMatchObject({ ok: false });
    expect(normalise({ phone: '2025550123', consentSource: 'form' })).toEqual({ ok: false, reason: 'consent source or time given without a consent type' });
  });

  it('lower-cases emails and trims fields, dropping empty properties', () => {
    expect(normalise({ phone: '2025550123', email: ' Ann@Example.COM ', company: '  ', properties: { a: '1', b: '' } })).toMatchObject({
      contact: { email: 'ann@example.com', company: null, properties: { a: '1' } },
    });
  });
});

describe('encoders', () => {
  it('escapes COPY text values', () => {
    expect(copyValue(null)).toBe('\\N');
    expect(copyValue('a\tb\nc\\d\re')).toBe('a\\tb\\nc\\\\d\\re');
    expect(copyValue('plain')).toBe('plain');
  });

  it('re-quotes CSV cells only where needed', () => {
    expect(toCsvLine(['a', 'b,c', 'say "hi"', 'two\nlines', ' pad', ''])).toBe('a,"b,c","say ""hi""","two\nlines"," pad",');
  });
});
