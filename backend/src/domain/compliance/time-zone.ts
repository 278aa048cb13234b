// Pure wall-clock arithmetic over IANA zones, on the runtime's own tz database (Intl).
// The calling-window policy is built on these; nothing here reads the clock or does IO.

export interface LocalDateTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function formatterFor(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (f !== undefined) return f;
  try {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
  } catch {
    f = null; // RangeError: not a zone this runtime knows
  }
  // Bounded: zone names come from data, and a flood of garbage must not grow the cache forever.
  if (formatters.size > 2000) formatters.clear();
  formatters.set(zone, f);
  return f;
}

/** True for a zone name the runtime's tz database knows ("America/New_York", "UTC"). */
export function isValidTimeZone(zone: unknown): zone is string {
  return typeof zone === 'string' && zone.length > 0 && zone.length <= 64 && formatterFor(zone) !== null;
}

/** The wall clock in `zone` at `instant`. Throws on an unknown zone (check isValidTimeZone first). */
export function toLocal(instant: Date, zone: string): LocalDateTime {
  const f = formatterFor(zone);
  if (!f) throw new RangeError(`Unknown time zone: ${zone}`);
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(instant)) out[p.type] = p.value;
  return {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    hour: Number(out.hour),
    minute: Number(out.minute),
    second: Number(out.second),
    weekday: WEEKDAYS[out.weekday ?? ''] ?? 0,
  };
}

/** Minutes east of UTC in `zone` at `instant` (New York in winter: -300). */
export function offsetMinutes(instant: Date, zone: string): number {
  const l = toLocal(instant, zone);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  const whole = Math.floor(instant.getTime() / 1000) * 1000;
  return Math.round((asUtc - whole) / 60000);
}

/**
 * The instant when the wall clock in `zone` reads the given local time. Follows Temporal's
 * "compatible" rule: a time skipped by a DST gap moves forward by the gap (02:30 on a spring
 * morning in New York is 03:30 EDT); a time that happens twice takes the earlier one.
 */
export function fromLocal(local: { year: number; month: number; day: number; hour: number; minute: number }, zone: string): Date {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const before = offsetMinutes(new Date(wall - 86_400_000), zone);
  const after = offsetMinutes(new Date(wall + 86_400_000), zone);
  const candidates = [...new Set([before, after])]
    .map((off) => wall - off * 60_000)
    .filter((t) => offsetMinutes(new Date(t), zone) * 60_000 === wall - t)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return new Date(candidates[0]!);
  return new Date(wall - before * 60_000); // in the gap: the offset from before the jump
}

/** The calendar date `days` after the given one (negative goes back). */
export function addDays(date: { year: number; month: number; day: number }, days: number) {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: ((d.getUTCDay() + 6) % 7) + 1 };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** ISO 8601 local time with its offset, e.g. "2025-03-09T08:30:00-04:00" (for audit rows). */
export function formatLocalIso(instant: Date, zone: string): string {
  const l = toLocal(instant, zone);
  const off = offsetMinutes(instant, zone);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${pad(l.year, 4)}-${pad(l.month)}-${pad(l.day)}T${pad(l.hour)}:${pad(l.minute)}:${pad(l.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** "HH:MM" → minutes after midnight, or null when malformed (24:00 is not a time of day). */
export function parseClock(value: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export type ZoneSource = 'contact' | 'phone' | 'portal_default';

export interface ContactZones {
  /** Every zone the contact may be in; a call must be allowed in all of them. */
  zones: string[];
  source: ZoneSource;
}

// More candidate zones than this means the number says nothing about place (toll-free,
// non-geographic): the portal default is a better guess than an empty intersection.
export const MAX_PHONE_ZONES = 4;

/**
 * design.md §4.4: the contact's own zone, else the zones of the phone number's region (all of
 * them, the most restrictive reading: research/vapi.md §7.2), else the portal default.
 */
export function resolveContactZones(input: {
  contactTimeZone?: string | null;
  phoneZones?: readonly string[] | null;
  portalDefault: string;
}): ContactZones {
  if (isValidTimeZone(input.contactTimeZone)) return { zones: [input.contactTimeZone], source: 'contact' };
  const phone = [...new Set((input.phoneZones ?? []).filter(isValidTimeZone))];
  if (phone.length > 0 && phone.length <= MAX_PHONE_ZONES) return { zones: phone, source: 'phone' };
  return { zones: [isValidTimeZone(input.portalDefault) ? input.portalDefault : 'America/New_York'], source: 'portal_default' };
}
