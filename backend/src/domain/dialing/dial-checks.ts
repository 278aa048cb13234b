import type { Db } from '../../platform/prisma';
import { evaluateCallingWindow, type CallingWindowDecision, type CallingWindowInput } from '../compliance/calling-window';
import { resolveContactRegion } from '../compliance/time-zone-phone';
import { formatLocalIso, toLocal } from '../compliance/time-zone';
import { meetsConsent, type ConsentLevel } from '../campaigns/campaign-defaults';
import type { DialingPolicy } from './dialing-policy';

// The checks made at dial time (not only at enqueue time: a number added to DNC after the
// contact was queued must still stop the call), in the order, each recorded on the
// attempt for the audit. Outside the window is a reschedule to the next opening, not a skip.
export type DialCheckOutcome =
  | { ok: true; audit: DialAudit; allowedUntil: Date | null }
  | { ok: false; action: 'stop_campaign'; reason: 'campaign_not_running'; audit: DialAudit }
  | { ok: false; action: 'skip'; reason: 'dnc' | 'no_consent' | 'max_attempts' | 'invalid_number'; audit: DialAudit }
  | { ok: false; action: 'reschedule'; reason: 'outside_window' | 'frequency_cap'; at: Date; audit: DialAudit };

export interface DialAudit {
  checkedAt: Date;
  dncCheckResult: 'clear' | 'listed' | 'not_checked';
  consentSnapshot: { type: string; source: string | null; at: string | null; required: string } | null;
  localTimeAtDial: string | null;
  contactTimeZone: string | null;
  zoneSource: string | null;
  /** Who started the campaign (API key, HubSpot user), frozen onto the attempt when it is checked. */
  startedBy: string | null;
}

/**
 * What the checks need from the database, read at dial time in the same round trip as the
 * attempt (dial-context.ts): on the DNC list now, and calls that rang this contact (any campaign
 * of the portal) in the last day and week.
 */
export interface DialFacts {
  dncListed: boolean;
  callsLastDay: number;
  callsLastWeek: number;
}

export interface DialCheckInput {
  campaign: { state: string; windowStart: string; windowEnd: string; daysOfWeek: number[]; timeZone: string | null; minConsent: string; maxAttempts: number; startedBy?: string | null };
  contact: { id: string; portalId: string; phone: string; timeZone: string | null; consentType: string; consentSource: string | null; consentAt: Date | null };
  portal: { defaultTimeZone: string };
  attemptsMade: number;
  facts: DialFacts;
}

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * The calling window, asked the cheap way first. Every allowed opening lies inside the federal
 * 08:00–21:00 of one local day, so whether "now" is allowed, and until when, is decided by today's
 * intervals alone (a horizon of 0 days: yesterday and today in each zone). Only a "no" needs the
 * full horizon, to find the next opening. Each day of horizon costs a dozen time-zone
 * conversions; the full two weeks were most of a dial job's CPU.
 *
 * And an opening, once found, is remembered for the rules that produced it (zones, state, the
 * campaign's window): any instant from the one that found it up to its end lies in that same
 * opening, so the answer there is exactly "allowed, until the end" — only the contact's local
 * time for the audit is worked out again. Nothing is remembered past the end of an opening, and
 * a "no" is never remembered.
 */
const openings = new Map<string, { from: number; until: number }>();
const MAX_OPENINGS = 10_000;

export function callingWindowAtDial(input: CallingWindowInput): CallingWindowDecision {
  const key = JSON.stringify([input.contactZones, input.usState ?? null, input.window, input.stateWindows ?? null]);
  const t = input.now.getTime();
  const known = openings.get(key);
  if (known && known.from <= t && t < known.until) {
    const zone = input.contactZones[0]!;
    return { allowed: true, reason: 'open', zone, localTime: formatLocalIso(input.now, zone), localWeekday: toLocal(input.now, zone).weekday, nextAllowedAt: input.now, allowedUntil: new Date(known.until) };
  }
  const today = evaluateCallingWindow({ ...input, horizonDays: 0 });
  if (!today.allowed) return evaluateCallingWindow(input);
  if (today.allowedUntil) {
    if (openings.size >= MAX_OPENINGS) openings.clear();
    openings.set(key, { from: t, until: today.allowedUntil.getTime() });
  }
  return today;
}

export async function runDialChecks(db: Db, policy: DialingPolicy, input: DialCheckInput, now: Date): Promise<DialCheckOutcome> {
  const { campaign, contact } = input;
  const audit: DialAudit = { checkedAt: now, dncCheckResult: 'not_checked', consentSnapshot: null, localTimeAtDial: null, contactTimeZone: null, zoneSource: null, startedBy: campaign.startedBy ?? null };
  if (campaign.state !== 'running') return { ok: false, action: 'stop_campaign', reason: 'campaign_not_running', audit };
  if (!E164.test(contact.phone)) return { ok: false, action: 'skip', reason: 'invalid_number', audit };

  audit.dncCheckResult = input.facts.dncListed ? 'listed' : 'clear';
  if (input.facts.dncListed) return { ok: false, action: 'skip', reason: 'dnc', audit };

  audit.consentSnapshot = { type: contact.consentType, source: contact.consentSource, at: contact.consentAt?.toISOString() ?? null, required: campaign.minConsent };
  if (!meetsConsent(contact.consentType, campaign.minConsent as ConsentLevel)) return { ok: false, action: 'skip', reason: 'no_consent', audit };

  const region = await resolveContactRegion({ timeZone: contact.timeZone, phone: contact.phone }, input.portal.defaultTimeZone);
  const window = callingWindowAtDial({
    contactZones: region.zones,
    usState: region.usState,
    window: { start: campaign.windowStart, end: campaign.windowEnd, daysOfWeek: campaign.daysOfWeek, timeZone: campaign.timeZone },
    now,
  });
  audit.localTimeAtDial = window.localTime;
  audit.contactTimeZone = window.zone;
  audit.zoneSource = region.source;
  if (!window.allowed) {
    // No opening within the horizon (e.g. no allowed weekday): look again tomorrow rather than drop.
    return { ok: false, action: 'reschedule', reason: 'outside_window', at: window.nextAllowedAt ?? new Date(now.getTime() + 86_400_000), audit };
  }

  const dayAgo = new Date(now.getTime() - 86_400_000);
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  // A concurrency refusal never rang the phone: it is not a call to this person.
  const rang = { contactId: contact.id, OR: [{ outcome: null }, { outcome: { not: 'capacity' } }] };
  const day = input.facts.callsLastDay;
  const week = input.facts.callsLastWeek;
  if (day >= policy.maxCallsPerContactPerDay || week >= policy.maxCallsPerContactPerWeek) {
    const oldest = await db.call.findFirst({
      where: { ...rang, placedAt: { gt: day >= policy.maxCallsPerContactPerDay ? dayAgo : weekAgo } },
      orderBy: { placedAt: 'asc' },
      select: { placedAt: true },
    });
    const span = day >= policy.maxCallsPerContactPerDay ? 86_400_000 : 7 * 86_400_000;
    return { ok: false, action: 'reschedule', reason: 'frequency_cap', at: new Date((oldest?.placedAt ?? now).getTime() + span + 1000), audit };
  }
  if (input.attemptsMade >= campaign.maxAttempts) return { ok: false, action: 'skip', reason: 'max_attempts', audit };
  return { ok: true, audit, allowedUntil: window.allowedUntil };
}
