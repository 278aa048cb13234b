import type { Db } from '../../platform/prisma';
import { isRegionCode, normalisePhone } from '../contacts/phone-normaliser';
import { skipReasonInWords } from './skip-reasons';
import type { TCardQuery } from './contact-card.schemas';

// Everything the contact sidebar card shows, in one request (hubspot.fetch allows 20 at once
// per account, and a card should load in one round trip): the contact as we know it, its
// do-not-call and consent status, its latest AI calls, the campaigns it is in, and what the
// card's two actions can offer (campaigns to join, published scripts to call with). Reads only.

const CALLS_SHOWN = 10;
const SUMMARY_CHARS = 600;

export async function getContactCard(db: Db, portalId: string, q: TCardQuery) {
  const portal = await db.portal.findUniqueOrThrow({ where: { id: portalId }, select: { defaultRegion: true } });
  const region = isRegionCode(portal.defaultRegion) ? portal.defaultRegion : undefined;
  const raw = q.phone || q.mobilePhone;
  const phone = raw ? normalisePhone(raw, region) : null;

  const contact =
    (phone?.ok ? await db.contact.findUnique({ where: { portalId_phone: { portalId, phone: phone.e164 } } }) : null) ??
    (await db.contact.findFirst({ where: { portalId, hubspotContactId: q.hubspotContactId }, orderBy: { createdAt: 'asc' } }));
  const callable = contact?.phone ?? (phone?.ok ? phone.e164 : null);
  const dnc = callable ? await db.dncEntry.findUnique({ where: { portalId_phone: { portalId, phone: callable } } }) : null;

  const [calls, enrollments, campaigns, scripts] = await Promise.all([
    contact
      ? db.call.findMany({
          where: { portalId, contactId: contact.id, placedAt: { not: null } },
          orderBy: { placedAt: 'desc' },
          take: CALLS_SHOWN,
          select: { id: true, status: true, outcome: true, disposition: true, placedAt: true, durationSec: true, summary: true, isOptOut: true, campaign: { select: { name: true } } },
        })
      : [],
    contact
      ? db.campaignContact.findMany({
          where: { portalId, contactId: contact.id },
          orderBy: { createdAt: 'desc' },
          take: 20,
          select: { campaignId: true, state: true, skipReason: true, lastOutcome: true, campaign: { select: { name: true, state: true } } },
        })
      : [],
    db.campaign.findMany({
      where: { portalId, state: { in: ['draft', 'scheduled', 'running', 'paused'] }, OR: [{ createdBy: null }, { NOT: { createdBy: { startsWith: 'call-now' } } }] },
      orderBy: { createdAt: 'desc' },
      take: 50,
      select: { id: true, name: true, state: true },
    }),
    db.script.findMany({
      where: { portalId, archivedAt: null, versions: { some: {} } },
      orderBy: { updatedAt: 'desc' },
      take: 50,
      select: { name: true, versions: { orderBy: { version: 'desc' }, take: 1, select: { id: true, version: true } } },
    }),
  ]);

  return {
    contact: contact
      ? { id: contact.id, phone: contact.phone, firstName: contact.firstName, lastName: contact.lastName, hubspotContactId: contact.hubspotContactId }
      : null,
    phone: callable ? { e164: callable, callable: true, problem: null } : { e164: null, callable: false, problem: phone && !phone.ok ? `The phone number cannot be called: ${phone.reason}.` : skipReasonInWords('no_phone') },
    dnc: dnc ? { listed: true, reason: dnc.reason, source: dnc.source, since: dnc.createdAt.toISOString() } : { listed: false, reason: null, source: null, since: null },
    consent: contact ? { type: contact.consentType, source: contact.consentSource, at: contact.consentAt?.toISOString() ?? null } : { type: 'none', source: null, at: null },
    calls: calls.map((c) => ({
      id: c.id,
      status: c.status,
      outcome: c.outcome,
      disposition: c.disposition,
      placedAt: c.placedAt!.toISOString(),
      durationSec: c.durationSec,
      summary: c.summary ? c.summary.slice(0, SUMMARY_CHARS) : null,
      optedOut: c.isOptOut,
      campaignName: c.campaign?.name ?? null,
    })),
    enrollments: enrollments.map((e) => ({
      campaignId: e.campaignId,
      campaignName: e.campaign.name,
      campaignState: e.campaign.state,
      state: e.state,
      lastOutcome: e.lastOutcome,
      skipReason: e.skipReason,
      skipReasonText: e.skipReason ? skipReasonInWords(e.skipReason) : null,
    })),
    campaigns,
    scripts: scripts.flatMap((s) => s.versions.map((v) => ({ scriptVersionId: v.id, label: `${s.name} (v${v.version})` }))),
  };
}
