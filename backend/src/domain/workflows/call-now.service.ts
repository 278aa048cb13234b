import type { Db } from '../../platform/prisma';
import { AppError, notFound } from '../../platform/app-error';
import { logger } from '../../platform/logger';
import { portalCallingDefaults } from '../campaigns/campaign-defaults';
import { runDialChecks, type DialCheckOutcome } from '../dialing/dial-checks';
import { readDialFacts } from '../dialing/dial-context';
import { prismaRunner } from '../../platform/sql-runner';
import type { DialingPolicy } from '../dialing/dialing-policy';
import type { VoiceRouter } from '../dialing/dialing-port';
import { resolveHubSpotContact } from './hubspot-contact';
import { skipReasonInWords } from './skip-reasons';
import { toHubSpotContactInput, type TCardContact } from './contact-card.schemas';

// "Call now" on a contact card: one call, with a chosen published script, placed by the same
// dialer as every campaign. It is a one-contact campaign, created running: the scheduler dials
// it on its next pass, every dial-time check runs again then, and the campaign completes when
// the call ends. Before anything is written, the same checks run now, so a call that would be
// refused is refused here, in words, while the rep is looking.

export interface CallNowDeps {
  db: Db;
  voice: VoiceRouter;
  policy: DialingPolicy;
}

export async function callNow(deps: CallNowDeps, x: { portalId: string; actor: string; contact: TCardContact; scriptVersionId: string; now: Date }) {
  const { db } = deps;
  const version = await db.scriptVersion.findFirst({ where: { id: x.scriptVersionId, portalId: x.portalId }, select: { id: true, script: { select: { name: true } } } });
  if (!version) throw notFound('script version');
  const resolved = await resolveHubSpotContact(db, x.portalId, toHubSpotContactInput(x.contact, 'hubspot_card'));
  if (!resolved.ok) throw refused(resolved.message);
  const contact = await db.contact.findUniqueOrThrow({ where: { id: resolved.contact.id } });
  const portal = await db.portal.findUniqueOrThrow({ where: { id: x.portalId } });
  const account = deps.voice.forPortal(portal);
  if (!account.ok) throw refused(account.reason);

  const live = await db.call.count({ where: { contactId: contact.id, placedAt: { not: null }, endedAt: null, outcome: null } });
  if (live > 0) throw refused('This contact is on an AI call right now.');
  const pending = await db.campaignContact.count({ where: { contactId: contact.id, state: { in: ['pending', 'queued', 'dialing', 'in_call', 'retry_wait'] }, campaign: { createdBy: { startsWith: 'call-now' } } } });
  if (pending > 0) throw refused('A "Call now" call to this contact is already on its way.');

  const d = portalCallingDefaults(portal);
  const window = { windowStart: d.window.start, windowEnd: d.window.end, daysOfWeek: d.window.daysOfWeek, timeZone: null, minConsent: d.minConsent, maxAttempts: 1 };
  const checks = await runDialChecks(db, deps.policy, { campaign: { state: 'running', ...window }, contact, portal, attemptsMade: 0, facts: await readDialFacts(prismaRunner(db), contact.id, x.now) }, x.now);
  if (!checks.ok) throw refused(refusalWords(checks, d.window));

  const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ') || `contact ${x.contact.hubspotContactId}`;
  const created = await db.$transaction(async (tx) => {
    const campaign = await tx.campaign.create({
      data: {
        portalId: x.portalId,
        name: `Call now: ${name}`.slice(0, 200),
        state: 'running',
        ...window,
        maxConcurrent: 1,
        callsPerMinute: 1,
        createdBy: `call-now:${x.actor}`,
        startedBy: x.actor,
        startedAt: x.now,
      },
      select: { id: true },
    });
    const variant = await tx.campaignVariant.create({ data: { portalId: x.portalId, campaignId: campaign.id, scriptVersionId: version.id, label: 'A' }, select: { id: true } });
    const cc = await tx.campaignContact.create({ data: { portalId: x.portalId, campaignId: campaign.id, contactId: contact.id, variantId: variant.id }, select: { id: true } });
    return { campaignId: campaign.id, campaignContactId: cc.id };
  });
  logger.info('call now queued', { campaignId: created.campaignId, scriptVersionId: version.id });
  return { ...created, state: 'pending', message: `Calling with "${version.script.name}": the call starts within a few seconds.` };
}

const refused = (message: string) => new AppError('CALL_NOW_REFUSED', 409, message);

const DAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function refusalWords(checks: Exclude<DialCheckOutcome, { ok: true }>, window: { start: string; end: string; daysOfWeek: number[] }): string {
  if (checks.reason === 'outside_window') {
    const local = checks.audit.localTimeAtDial ? ` It is ${checks.audit.localTimeAtDial.slice(11, 16)} for the contact (${checks.audit.contactTimeZone}).` : '';
    const days = window.daysOfWeek.map((n) => DAY_NAMES[n] ?? String(n)).join(', ');
    return `${skipReasonInWords('outside_window')}${local} Calls go out ${window.start}–${window.end} on ${days}; next opening ${checks.at.toISOString().slice(0, 16).replace('T', ' ')} UTC.`;
  }
  return skipReasonInWords(checks.reason);
}
