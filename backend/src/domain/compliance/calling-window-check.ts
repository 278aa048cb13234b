// The dialer's one call at dial time (design.md §4.4): resolve the contact's zones (contact,
// else the number's region, else the portal default) and the number's US state, then ask the
// policy about the campaign's window right now. The result carries what the audit on the call
// row needs: the zone used, how it was found, and the contact's local time.
import { evaluateCallingWindow, type CallingWindowDecision } from './calling-window';
import type { ZoneSource } from './time-zone';
import { resolveContactRegion } from './time-zone-phone';

export interface ContactWindowCheck extends CallingWindowDecision {
  zones: string[];
  zoneSource: ZoneSource;
  usState: string | null;
}

export async function checkContactCallingWindow(input: {
  contact: { timeZone: string | null; phone: string };
  campaign: { windowStart: string; windowEnd: string; daysOfWeek: readonly number[]; timeZone: string | null };
  portalDefaultZone: string;
  now: Date;
  stateWindows?: Readonly<Record<string, { start: string; end: string }>>;
}): Promise<ContactWindowCheck> {
  const region = await resolveContactRegion(input.contact, input.portalDefaultZone);
  const decision = evaluateCallingWindow({
    contactZones: region.zones,
    usState: region.usState,
    stateWindows: input.stateWindows,
    window: { start: input.campaign.windowStart, end: input.campaign.windowEnd, daysOfWeek: input.campaign.daysOfWeek, timeZone: input.campaign.timeZone },
    now: input.now,
  });
  return { ...decision, zones: region.zones, zoneSource: region.source, usState: region.usState };
}
