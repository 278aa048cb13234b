import { parsePhoneNumberWithError, ParseError, isSupportedCountry, type CountryCode, type NumberType } from 'libphonenumber-js/max';

// Phone numbers become E.164 through libphonenumber-js with the full ("max") metadata, which is
// what tells a valid number from a merely possible one and gives its type.

export type PhoneResult =
  | { ok: true; e164: string; country: string | undefined; type: NumberType; extension: string | undefined }
  | { ok: false; reason: string };

// Types an outbound voice agent cannot or must not call: premium and shared-cost lines cost the
// caller, pagers and voicemail access numbers have nobody to talk to, UANs route to call centres.
const NOT_DIALLABLE = new Set<NumberType>(['PREMIUM_RATE', 'SHARED_COST', 'PAGER', 'UAN', 'VOICEMAIL']);

const PARSE_REASONS: Record<string, string> = {
  INVALID_COUNTRY: 'phone number has no country code and no default region applies',
  NOT_A_NUMBER: 'not a phone number',
  TOO_SHORT: 'phone number is too short',
  TOO_LONG: 'phone number is too long',
};

/** Cleans the wrappers spreadsheets add around numbers: ="…" formulas, a leading apostrophe, "tel:". */
function unwrap(raw: string): string {
  let s = raw.trim();
  if (s.startsWith('="') && s.endsWith('"')) s = s.slice(2, -1);
  if (s.startsWith("'")) s = s.slice(1);
  if (/^tel:/i.test(s)) s = s.slice(4);
  return s.trim();
}

export function isRegionCode(value: string): value is CountryCode {
  return isSupportedCountry(value);
}

/** Normalises one number; `region` is the default country for numbers written without +CC. */
export function normalisePhone(raw: string | null | undefined, region: CountryCode | undefined): PhoneResult {
  const text = raw ? unwrap(raw) : '';
  if (!text) return { ok: false, reason: 'phone number is empty' };
  if (text.length > 64) return { ok: false, reason: 'not a phone number' };
  let parsed;
  try {
    parsed = parsePhoneNumberWithError(text, { defaultCountry: region, extract: false });
  } catch (err) {
    const key = err instanceof ParseError ? err.message : '';
    return { ok: false, reason: PARSE_REASONS[key] ?? 'not a phone number' };
  }
  // With max metadata a number is valid exactly when it matches one of its country's type patterns.
  const type = parsed.getType();
  if (!type) {
    const where = parsed.country ?? (text.startsWith('+') ? undefined : region);
    return { ok: false, reason: where ? `invalid phone number for region ${where}` : 'invalid phone number' };
  }
  if (NOT_DIALLABLE.has(type)) return { ok: false, reason: `phone number is not diallable (${type.toLowerCase().replace(/_/g, ' ')})` };
  return { ok: true, e164: parsed.number, country: parsed.country, type, extension: parsed.ext };
}
