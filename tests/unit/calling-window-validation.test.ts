import { validateCampaignWindow } from '../../backend/src/domain/compliance/calling-window-validation';

const ok = { start: '09:00', end: '17:00', daysOfWeek: [1, 2, 3, 4, 5] };
const msgs = (w: Parameters<typeof validateCampaignWindow>[0]) => validateCampaignWindow(w).map((p) => `${p.path}: ${p.message}`);

describe('campaign window validation', () => {
  it('accepts windows inside 08:00–21:00, including the edges', () => {
    expect(validateCampaignWindow(ok)).toEqual([]);
    expect(validateCampaignWindow({ start: '08:00', end: '21:00', daysOfWeek: [1, 2, 3, 4, 5, 6, 7], timeZone: 'America/Chicago' })).toEqual([]);
  });

  it('refuses windows reaching outside the federal hours', () => {
    expect(msgs({ ...ok, start: '07:59' })).toEqual([`callingWindow.start: The window cannot start before 08:00 in the contact's local time (TCPA); "07:59" is too early.`]);
    expect(msgs({ ...ok, end: '21:01' })).toEqual([`callingWindow.end: The window cannot end after 21:00 in the contact's local time (TCPA); "21:01" is too late.`]);
  });

  it('refuses malformed, empty or inverted windows', () => {
    expect(msgs({ ...ok, start: '9:00' })[0]).toMatch(/not a time of day/);
    expect(msgs({ ...ok, start: '17:00', end: '09:00' })).toEqual(['callingWindow.end: The window end (09:00) must be later than its start (17:00).']);
    expect(msgs({ ...ok, start: '12:00', end: '12:00' })[0]).toMatch(/must be later/);
  });

  it('checks days of the week and the zone', () => {
    expect(msgs({ ...ok, daysOfWeek: [] })[0]).toMatch(/at least one day/);
    expect(msgs({ ...ok, daysOfWeek: [0, 8] })).toHaveLength(2);
    expect(msgs({ ...ok, daysOfWeek: [1, 1] })).toEqual(['callingWindow.daysOfWeek.1: Day 1 is listed twice.']);
    expect(msgs({ ...ok, daysOfWeek: [1.5] })[0]).toMatch(/not a day of the week/);
    expect(msgs({ ...ok, timeZone: 'Eastern' })[0]).toMatch(/not a known IANA time zone/);
  });
});
