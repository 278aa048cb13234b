// The calling-window policy (design.md §4.4, research/vapi.md §7.2), pure: the dialer asks it at
// dial time, the segment preview asks it for "outside any window today". A call is allowed only
// inside the intersection of
//   - the federal window, 08:00–21:00 in every zone the contact may be in (47 CFR §64.1200(c)(1)),
//   - a stricter state window when the number's state has one (Florida 08:00–20:00),
//   - the campaign's own window and days, in its override zone or else the contact's zones.
import { addDays, formatLocalIso, fromLocal, isValidTimeZone, parseClock, toLocal } from './time-zone';
import { intersectIntervals, type Interval } from './calling-window-intervals';

export const FEDERAL_WINDOW = { start: '08:00', end: '21:00' } as const;

/** State rules stricter than the federal window, keyed by USPS code. Extend per counsel's advice. */
export const STATE_WINDOWS: Readonly<Record<string, { start: string; end: string }>> = {
  FL: { start: '08:00', end: '20:00' }, // Fla. Stat. §501.616(6)(a)
};

export interface CampaignWindow {
  start: string; // "HH:MM", contact-local (or override-zone) time
  end: string;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  daysOfWeek: readonly number[];
  /** Evaluate the campaign's window in this zone instead of the contact's (federal rules stay local). */
  timeZone?: string | null;
}

export interface CallingWindowInput {
  /** From resolveContactZones: a call must be allowed in every one of them. */
  contactZones: readonly string[];
  window: CampaignWindow;
  usState?: string | null;
  stateWindows?: Readonly<Record<string, { start: string; end: string }>>;
  now: Date;
  /** How far ahead to look for the next opening. */
  horizonDays?: number;
}

export type WindowReason = 'open' | 'outside_hours' | 'day_not_allowed' | 'never_opens' | 'invalid_time_zone' | 'invalid_window';

export interface CallingWindowDecision {
  allowed: boolean;
  reason: WindowReason;
  /** The contact's (first) zone and its wall clock now, for the audit on the call row. */
  zone: string;
  localTime: string | null;
  localWeekday: number | null;
  /** `now` when allowed; else the first instant it opens within the horizon, or null. */
  nextAllowedAt: Date | null;
  /** When allowed: the end of the current opening (the dialer should not start a call after it). */
  allowedUntil: Date | null;
}

interface Constraint {
  zone: string;
  start: number; // minutes after local midnight
  end: number;
  days?: ReadonlySet<number>;
}

function intervalsFor(c: Constraint, now: Date, horizonDays: number): Interval[] {
  const today = toLocal(now, c.zone);
  const out: Interval[] = [];
  for (let i = -1; i <= horizonDays; i++) {
    const d = addDays(today, i);
    if (c.days && !c.days.has(d.weekday)) continue;
    const s = fromLocal({ ...d, hour: Math.floor(c.start / 60), minute: c.start % 60 }, c.zone).getTime();
    const e = fromLocal({ ...d, hour: Math.floor(c.end / 60), minute: c.end % 60 }, c.zone).getTime();
    if (e > s) out.push([s, e]);
  }
  return out;
}

function constraintsFor(input: CallingWindowInput): Constraint[] | WindowReason {
  const zones = [...new Set(input.contactZones)];
  if (zones.length === 0 || !zones.every(isValidTimeZone)) return 'invalid_time_zone';
  const ws = parseClock(input.window.start);
  const we = parseClock(input.window.end);
  const days = new Set(input.window.daysOfWeek.filter((d) => Number.isInteger(d) && d >= 1 && d <= 7));
  if (ws === null || we === null || ws >= we) return 'invalid_window';
  if (days.size === 0) return 'never_opens';
  const override = input.window.timeZone;
  if (override != null && !isValidTimeZone(override)) return 'invalid_time_zone';

  const out: Constraint[] = [];
  const fed = { start: parseClock(FEDERAL_WINDOW.start)!, end: parseClock(FEDERAL_WINDOW.end)! };
  const stateRule = input.usState ? (input.stateWindows ?? STATE_WINDOWS)[input.usState.toUpperCase()] : undefined;
  const state = stateRule ? { start: parseClock(stateRule.start), end: parseClock(stateRule.end) } : null;
  for (const zone of zones) {
    out.push({ zone, ...fed });
    if (state && state.start !== null && state.end !== null) out.push({ zone, start: state.start, end: state.end });
    if (override == null) out.push({ zone, start: ws, end: we, days });
  }
  if (override != null) out.push({ zone: override, start: ws, end: we, days });
  return out;
}

export function evaluateCallingWindow(input: CallingWindowInput): CallingWindowDecision {
  const now = input.now;
  const primary = input.contactZones[0] ?? '';
  const validPrimary = isValidTimeZone(primary);
  const local = validPrimary ? toLocal(now, primary) : null;
  const base = {
    zone: primary,
    localTime: validPrimary ? formatLocalIso(now, primary) : null,
    localWeekday: local?.weekday ?? null,
  };
  const constraints = constraintsFor(input);
  if (typeof constraints === 'string') {
    return { ...base, allowed: false, reason: constraints, nextAllowedAt: null, allowedUntil: null };
  }
  const horizon = input.horizonDays ?? 14;
  const open = intersectIntervals(constraints.map((c) => intervalsFor(c, now, horizon)));
  const t = now.getTime();
  const current = open.find(([s, e]) => s <= t && t < e);
  if (current) return { ...base, allowed: true, reason: 'open', nextAllowedAt: now, allowedUntil: new Date(current[1]) };
  const next = open.find(([s]) => s > t);
  const dayZone = input.window.timeZone ?? primary;
  const dayOk = input.window.daysOfWeek.includes(toLocal(now, dayZone).weekday);
  return {
    ...base,
    allowed: false,
    reason: next ? (dayOk ? 'outside_hours' : 'day_not_allowed') : 'never_opens',
    nextAllowedAt: next ? new Date(next[0]) : null,
    allowedUntil: null,
  };
}

/**
 * True when the contact can still be called at some moment before the end of their local
 * calendar day (the preview's "outside any calling window today" is the negation).
 */
export function opensLaterToday(input: CallingWindowInput): boolean {
  const d = evaluateCallingWindow(input);
  if (d.allowed) return true;
  if (!d.nextAllowedAt) return false;
  const primary = input.contactZones[0]!;
  const tomorrow = addDays(toLocal(input.now, primary), 1);
  const midnight = fromLocal({ ...tomorrow, hour: 0, minute: 0 }, primary);
  return d.nextAllowedAt.getTime() < midnight.getTime();
}
