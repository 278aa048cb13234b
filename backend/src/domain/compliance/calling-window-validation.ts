// What a campaign's calling window may be, as sentences a rep can act on. The window has to sit
// inside the federal 08:00–21:00 (TCPA); the policy still intersects it with the federal and state
// windows in the contact's own zone at dial time, so an override zone cannot widen anything.
import { FEDERAL_WINDOW } from './calling-window';
import { isValidTimeZone, parseClock } from './time-zone';

export interface WindowProblem {
  path: string;
  message: string;
}

export function validateCampaignWindow(w: { start: string; end: string; daysOfWeek: readonly number[]; timeZone?: string | null }, at = 'callingWindow'): WindowProblem[] {
  const problems: WindowProblem[] = [];
  const start = parseClock(w.start);
  const end = parseClock(w.end);
  const fedStart = parseClock(FEDERAL_WINDOW.start)!;
  const fedEnd = parseClock(FEDERAL_WINDOW.end)!;
  if (start === null) problems.push({ path: `${at}.start`, message: `The window start "${w.start}" is not a time of day in HH:MM (24-hour) form.` });
  if (end === null) problems.push({ path: `${at}.end`, message: `The window end "${w.end}" is not a time of day in HH:MM (24-hour) form.` });
  if (start !== null && start < fedStart) {
    problems.push({ path: `${at}.start`, message: `The window cannot start before ${FEDERAL_WINDOW.start} in the contact's local time (TCPA); "${w.start}" is too early.` });
  }
  if (end !== null && end > fedEnd) {
    problems.push({ path: `${at}.end`, message: `The window cannot end after ${FEDERAL_WINDOW.end} in the contact's local time (TCPA); "${w.end}" is too late.` });
  }
  if (start !== null && end !== null && start >= end) {
    problems.push({ path: `${at}.end`, message: `The window end (${w.end}) must be later than its start (${w.start}).` });
  }
  const days = w.daysOfWeek;
  if (days.length === 0) problems.push({ path: `${at}.daysOfWeek`, message: 'Choose at least one day of the week (1 = Monday … 7 = Sunday).' });
  days.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 1 || d > 7) {
      problems.push({ path: `${at}.daysOfWeek.${i}`, message: `Day ${String(d)} is not a day of the week; use 1 (Monday) to 7 (Sunday).` });
    } else if (days.indexOf(d) !== i) {
      problems.push({ path: `${at}.daysOfWeek.${i}`, message: `Day ${d} is listed twice.` });
    }
  });
  if (w.timeZone != null && !isValidTimeZone(w.timeZone)) {
    problems.push({ path: `${at}.timeZone`, message: `"${w.timeZone}" is not a known IANA time zone (for example America/Chicago).` });
  }
  return problems;
}
