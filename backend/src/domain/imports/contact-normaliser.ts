import type { CountryCode } from 'libphonenumber-js/max';
import { normalisePhone, type PhoneResult } from '../contacts/phone-normaliser';
import { timeZoneForPhone } from '../contacts/phone-time-zones';
import { canonicalTimeZone } from '../contacts/time-zone';
import type { ConsentKind, ContactInput, NormaliseResult, NormalisedContact, TimeZoneSource } from './contact-input';

// The row normaliser every import source shares: picks the number to call, puts it in E.164,
// decides the time zone (file, else the number, else the portal) and reads consent. A row it
// cannot use comes back with a reason a person can act on.

export interface NormaliserContext {
  /** Default country for numbers written without +CC (the import's, else the portal's). */
  region: CountryCode | undefined;
  /** The portal's default time zone, the last resort. */
  portalTimeZone: string;
  now?: () => Date;
}

const CONSENT_WORDS: Record<string, ConsentKind> = {
  none: 'none', no: 'none', express: 'express', 'prior express': 'express', written: 'written', 'prior express written': 'written', pewc: 'written',
};

const clean = (v: string | null | undefined): string | null => {
  if (v == null) return null;
  const t = v.trim();
  return t === '' ? null : t;
};

function parseConsentAt(value: string, now: Date): Date | null | 'invalid' {
  if (/^\d{13}$/.test(value)) return new Date(Number(value)); // HubSpot exports epoch milliseconds
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) return 'invalid';
  const at = new Date(value.length === 10 ? `${value}T00:00:00Z` : value.replace(' ', 'T'));
  if (Number.isNaN(at.getTime())) return 'invalid';
  // A consent given tomorrow is a typo, not a consent (a day of slack for time zones).
  if (at.getTime() > now.getTime() + 86_400_000) return 'invalid';
  return at;
}

function readConsent(input: ContactInput, now: Date): NormalisedContact['consent'] | string {
  const typeText = clean(input.consentType);
  const source = clean(input.consentSource);
  const atText = clean(input.consentAt);
  if (!typeText) return source || atText ? 'consent source or time given without a consent type' : null;
  const type = CONSENT_WORDS[typeText.toLowerCase()];
  if (!type) return `unknown consent type "${typeText.slice(0, 40)}" (use none, express or written)`;
  let at: Date | null = null;
  if (atText) {
    const parsed = parseConsentAt(atText, now);
    if (parsed === 'invalid') return `consent time "${atText.slice(0, 40)}" is not an ISO 8601 date or time in the past`;
    at = parsed;
  }
  return { type, source, at };
}

export function createContactNormaliser(ctx: NormaliserContext): (input: ContactInput) => NormaliseResult {
  const now = ctx.now ?? (() => new Date());
  return (input) => {
    const phoneText = clean(input.phone);
    const mobileText = clean(input.mobilePhone);
    let chosen: PhoneResult | undefined;
    let firstFailure: PhoneResult | undefined;
    let used: 'phone' | 'mobilePhone' = 'phone';
    for (const [field, text] of [['phone', phoneText], ['mobilePhone', mobileText]] as const) {
      if (!text) continue;
      const r = normalisePhone(text, ctx.region);
      if (r.ok) {
        chosen = r;
        used = field;
        break;
      }
      firstFailure ??= r;
    }
    if (!chosen || !chosen.ok) return { ok: false, reason: firstFailure && !firstFailure.ok ? firstFailure.reason : 'phone number is empty' };

    const consent = readConsent(input, now());
    if (typeof consent === 'string') return { ok: false, reason: consent };

    const properties: Record<string, string> = {};
    if (input.properties) for (const k in input.properties) if (input.properties[k]) properties[k] = input.properties[k]!;
    // The number not dialled is kept, so nothing from the file is lost.
    if (used === 'phone' && mobileText) properties.mobilePhone = mobileText;
    if (used === 'mobilePhone' && phoneText) properties.phone = phoneText;
    if (chosen.extension) properties.phoneExtension = chosen.extension;

    let firstName = clean(input.firstName);
    let lastName = clean(input.lastName);
    const fullName = clean(input.fullName);
    if (fullName && !firstName && !lastName) {
      const space = fullName.indexOf(' ');
      firstName = space < 0 ? fullName : fullName.slice(0, space);
      lastName = space < 0 ? null : fullName.slice(space + 1).trim() || null;
    }

    const zoneText = clean(input.timeZone);
    let timeZone = canonicalTimeZone(zoneText);
    let timeZoneSource: TimeZoneSource = 'file';
    if (zoneText && !timeZone) properties.unknownTimeZone = zoneText;
    if (!timeZone) {
      timeZone = timeZoneForPhone(chosen.e164);
      timeZoneSource = 'phone';
    }
    if (!timeZone) {
      timeZone = ctx.portalTimeZone;
      timeZoneSource = 'portal_default';
    }

    const email = clean(input.email);
    return {
      ok: true,
      contact: {
        phone: chosen.e164,
        firstName,
        lastName,
        email: email ? email.toLowerCase() : null,
        company: clean(input.company),
        timeZone,
        timeZoneSource,
        hubspotContactId: clean(input.hubspotContactId),
        properties,
        consent,
      },
    };
  };
}
