import type { Db } from '../../platform/prisma';
import { Prisma } from '../../platform/prisma';
import { isRegionCode, normalisePhone } from '../contacts/phone-normaliser';
import { consentFromHubSpot, ianaFromHubSpotZone } from '../imports/hubspot-list-source';

// A HubSpot contact as seen from a card or a workflow (its record id, the number to call, the
// names HubSpot sent) turned into our Contact row. Our contacts are unique per (portal, E.164
// phone): the number is what we call, so an existing contact with that number is reused and
// learns its HubSpot id; otherwise one is created, marked as coming from HubSpot.

export interface HubSpotContactInput {
  hubspotContactId: string;
  /** The number to call as HubSpot holds it (any format); the first non-empty one wins. */
  phones: Array<string | null | undefined>;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  /** Raw HubSpot properties sent along (hs_legal_basis, hs_timezone): consent and zone, as a list import reads them. */
  hubspotProperties?: Record<string, string | null>;
  source: string;
}

export type ResolvedContact =
  | { ok: true; contact: { id: string; phone: string; consentType: string; hubspotContactId: string | null }; created: boolean }
  | { ok: false; reason: 'no_phone' | 'invalid_number'; message: string };

const clip = (v: string | null | undefined, n: number) => (v && v.trim() ? v.trim().slice(0, n) : null);

export async function resolveHubSpotContact(db: Db, portalId: string, input: HubSpotContactInput): Promise<ResolvedContact> {
  const portal = await db.portal.findUniqueOrThrow({ where: { id: portalId }, select: { defaultRegion: true } });
  const region = isRegionCode(portal.defaultRegion) ? portal.defaultRegion : undefined;
  let raw = input.phones.find((p) => p && p.trim());
  if (!raw) {
    // No number sent: a contact we already know under this HubSpot id still has one.
    const known = await db.contact.findFirst({ where: { portalId, hubspotContactId: input.hubspotContactId }, orderBy: { createdAt: 'asc' } });
    if (known) return { ok: true, contact: known, created: false };
    return { ok: false, reason: 'no_phone', message: 'The contact has no phone number to call.' };
  }
  const phone = normalisePhone(raw, region);
  if (!phone.ok) return { ok: false, reason: 'invalid_number', message: `The contact's phone number cannot be called: ${phone.reason}.` };
  raw = phone.e164;

  const select = { id: true, phone: true, consentType: true, hubspotContactId: true } as const;
  // Only a positive answer is taken (express, from hs_legal_basis); silence claims nothing.
  const found = consentFromHubSpot(input.hubspotProperties ?? {});
  const consent = found.consentType === 'express' ? { consentType: 'express' as const, consentSource: found.consentSource ?? 'hubspot', consentAt: new Date() } : null;
  const existing = await db.contact.findUnique({ where: { portalId_phone: { portalId, phone: raw } }, select });
  if (existing) {
    // Learn what HubSpot knows and we do not: its record id, and consent where we hold none
    // (never the other way: a consent recorded here is not lowered by HubSpot's silence).
    const learn = {
      ...(existing.hubspotContactId ? {} : { hubspotContactId: input.hubspotContactId }),
      ...(existing.consentType === 'none' && consent ? consent : {}),
    };
    if (Object.keys(learn).length === 0) return { ok: true, contact: existing, created: false };
    const contact = await db.contact.update({ where: { id: existing.id }, data: learn, select });
    return { ok: true, contact, created: false };
  }
  try {
    const contact = await db.contact.create({
      data: {
        portalId,
        phone: raw,
        hubspotContactId: input.hubspotContactId,
        firstName: clip(input.firstName, 200),
        lastName: clip(input.lastName, 200),
        email: clip(input.email, 320),
        timeZone: ianaFromHubSpotZone(input.hubspotProperties?.hs_timezone ?? null) ?? null,
        ...(consent ?? {}),
        source: input.source,
      },
      select,
    });
    return { ok: true, contact, created: true };
  } catch (err) {
    // Two requests for the same number at once: the other one created it.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      const contact = await db.contact.findUniqueOrThrow({ where: { portalId_phone: { portalId, phone: raw } }, select });
      return { ok: true, contact, created: false };
    }
    throw err;
  }
}
