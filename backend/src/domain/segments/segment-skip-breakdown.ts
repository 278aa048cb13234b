// "Will be skipped and why" for a set of contacts, counted in Postgres by group and decided per
// group in Node. Each contact is counted once, under the first reason in dial-check order:
// invalid number, DNC, consent below the floor, no calling window left today (contact-local).
import type { Db } from '../../platform/prisma';
import { Prisma } from '../../platform/prisma';
import { opensLaterToday, type CampaignWindow } from '../compliance/calling-window';
import { regionKey, resolveContactRegion } from '../compliance/time-zone-phone';
import { meetsConsent, type ConsentLevel } from '../campaigns/campaign-defaults';

export const E164_PATTERN = '^\\+[1-9][0-9]{6,14}$';

export interface SkipCounts {
  total: number;
  invalidNumber: number;
  dnc: number;
  noConsent: number;
  outsideWindowToday: number;
}

export interface SkipAssumptions {
  now: Date;
  minConsent: ConsentLevel;
  window: CampaignWindow;
  portalTimeZone: string;
}

interface GroupRow {
  invalid: boolean;
  dnc: boolean;
  consent: string;
  tz: string | null;
  samplePhone: string;
  n: number;
}

export const emptySkipCounts = (): SkipCounts => ({ total: 0, invalidNumber: 0, dnc: 0, noConsent: 0, outsideWindowToday: 0 });

/**
 * Adds the skip counts of the contacts matching `filter` (SQL over alias c, already scoped to the
 * portal) into `into`. `windowMemo` caches the window answer per zone and number region.
 */
export async function addSkipCounts(
  db: Db,
  filter: Prisma.Sql,
  a: SkipAssumptions,
  into: SkipCounts,
  windowMemo: Map<string, Promise<boolean>>,
): Promise<void> {
  // The region expression mirrors regionKey() in time-zone-phone.ts: zones and state follow it.
  const groups = await db.$queryRaw<GroupRow[]>`
    SELECT (c.phone !~ ${E164_PATTERN}::text) AS invalid,
           EXISTS (SELECT 1 FROM "DncEntry" d WHERE d."portalId" = c."portalId" AND d.phone = c.phone) AS dnc,
           c."consentType"::text AS consent,
           c."timeZone" AS tz,
           min(c.phone) AS "samplePhone",
           count(*)::int AS n
    FROM "Contact" c
    WHERE ${filter}
    GROUP BY 1, 2, 3, 4,
      CASE WHEN c.phone LIKE '+1%' THEN left(c.phone, 5) ELSE left(c.phone, greatest(length(c.phone) - 4, 2)) END`;
  for (const g of groups) {
    let reason: keyof Omit<SkipCounts, 'total'> | null = null;
    if (g.invalid) reason = 'invalidNumber';
    else if (g.dnc) reason = 'dnc';
    else if (!meetsConsent(g.consent, a.minConsent)) reason = 'noConsent';
    else if (!(await callableToday(g, a, windowMemo))) reason = 'outsideWindowToday';
    if (reason) {
      into[reason] += g.n;
      into.total += g.n;
    }
  }
}

function callableToday(g: GroupRow, a: SkipAssumptions, memo: Map<string, Promise<boolean>>): Promise<boolean> {
  const key = `${g.tz ?? ''}|${regionKey(g.samplePhone)}`;
  let hit = memo.get(key);
  if (!hit) {
    hit = resolveContactRegion({ timeZone: g.tz, phone: g.samplePhone }, a.portalTimeZone).then((r) =>
      opensLaterToday({ contactZones: r.zones, usState: r.usState, window: a.window, now: a.now }),
    );
    memo.set(key, hit);
  }
  return hit;
}
