// What a campaign (or a segment preview standing in for one) assumes when it says nothing:
// the portal's default window and zone, weekdays, and the consent floor - express or written
// unless the portal's settings say otherwise (settings.minConsent, settings.defaultDaysOfWeek).
import { z } from 'zod';

export const CONSENT_LEVELS = ['none', 'express', 'written'] as const;
export type ConsentLevel = (typeof CONSENT_LEVELS)[number];

const RANK: Record<string, number> = { none: 0, express: 1, written: 2 };

/** True when a contact's consent is at least the campaign's floor. */
export function meetsConsent(contactConsent: string, minConsent: ConsentLevel): boolean {
  return (RANK[contactConsent] ?? 0) >= RANK[minConsent]!;
}

export const DEFAULT_DAYS_OF_WEEK = [1, 2, 3, 4, 5];

const ZPortalSettings = z
  .object({
    minConsent: z.enum(CONSENT_LEVELS).optional().catch(undefined),
    defaultDaysOfWeek: z.array(z.int().min(1).max(7)).min(1).max(7).optional().catch(undefined),
  })
  .catch({});

export interface PortalCallingDefaults {
  timeZone: string;
  window: { start: string; end: string; daysOfWeek: number[] };
  minConsent: ConsentLevel;
  maxConcurrentCalls: number;
  callsPerMinute: number;
  callerIds: string[];
}

export function portalCallingDefaults(portal: {
  defaultTimeZone: string;
  defaultWindowStart: string;
  defaultWindowEnd: string;
  settings: unknown;
  maxConcurrentCalls: number;
  callsPerMinute: number;
  callerIds: string[];
}): PortalCallingDefaults {
  const s = ZPortalSettings.parse(portal.settings ?? {});
  return {
    timeZone: portal.defaultTimeZone,
    window: { start: portal.defaultWindowStart, end: portal.defaultWindowEnd, daysOfWeek: [...new Set(s.defaultDaysOfWeek ?? DEFAULT_DAYS_OF_WEEK)] },
    minConsent: s.minConsent ?? 'express',
    maxConcurrentCalls: portal.maxConcurrentCalls,
    callsPerMinute: portal.callsPerMinute,
    callerIds: portal.callerIds,
  };
}
