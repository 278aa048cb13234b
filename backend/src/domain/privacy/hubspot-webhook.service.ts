import { z } from 'zod';
import { Prisma, type Db } from '../../platform/prisma';
import { logger } from '../../platform/logger';
import { sha256Hex } from '../../platform/crypto';
import { isRegionCode, normalisePhone } from '../contacts/phone-normaliser';
import { eraseContacts } from './contact-erasure.service';
import { HANDLED_HUBSPOT_EVENTS, type HandledHubSpotEvent } from './hubspot-webhook-events';

// HubSpot app webhooks (research/hubspot.md §1.7): a JSON array of events, v3-signed (checked by
// the route). Each event is stored once (ProviderEvent, provider "hubspot", dedupe key
// <hub>:<eventId>; HubSpot retries a failed delivery with the same eventId), then applied as
// HANDLED_HUBSPOT_EVENTS says (hubspot-webhook-events.ts, also what the app subscribes to):
//  - contact.deletion / contact.privacyDeletion (and object.deletion of a contact): erase the
//    contact's personal data here;
//  - contact.propertyChange / object.propertyChange on `phone`: the contact's phone, in E.164.
// The HubSpot record id goes in ProviderEvent.providerCallId (indexed), so phone changes of one
// record can be ordered by when they happened: an older change arriving late is not applied.
// Stored payloads never keep the new phone value (personal data), only its hash.

const CONTACT_OBJECT_TYPE = '0-1';

// HubSpot's ids are numbers; as text they go into keys and a bigint column, so they are held to
// that shape (a 30-digit portal id or a megabyte event id is not a HubSpot event), and
// occurredAt is compared as a bigint in SQL, so it must be a whole number of milliseconds.
const ZNumericId = (digits: number) => z.union([z.int().nonnegative(), z.string().regex(new RegExp(`^\\d{1,${digits}}$`))]).transform(String);

const ZEvent = z.looseObject({
  eventId: ZNumericId(20),
  portalId: ZNumericId(18),
  subscriptionType: z.string().max(100),
  objectId: ZNumericId(20).optional(),
  objectTypeId: z.string().max(20).optional(),
  occurredAt: z.int().nonnegative().optional(),
  propertyName: z.string().max(200).optional(),
  propertyValue: z.string().nullish(),
});
export const ZHubSpotWebhookBody = z.array(ZEvent).max(1000);
type TEvent = z.infer<typeof ZEvent>;

type Action = HandledHubSpotEvent['action'] | { kind: 'ignore' };

function actionOf(e: TEvent): Action {
  if (!e.objectId) return { kind: 'ignore' };
  const handled = HANDLED_HUBSPOT_EVENTS.find(
    (h) =>
      h.subscriptionType === e.subscriptionType &&
      (!h.objectType || e.objectTypeId === CONTACT_OBJECT_TYPE) &&
      (!h.propertyName || h.propertyName === e.propertyName),
  );
  return handled?.action ?? { kind: 'ignore' };
}

export interface WebhookOutcome {
  received: number;
  duplicates: number;
  applied: number;
}

export async function applyHubSpotWebhook(db: Db, events: z.infer<typeof ZHubSpotWebhookBody>): Promise<WebhookOutcome> {
  const out: WebhookOutcome = { received: events.length, duplicates: 0, applied: 0 };
  // Oldest first, so a batch carrying two changes of one record ends on the newer.
  for (const e of [...events].sort((a, b) => (a.occurredAt ?? 0) - (b.occurredAt ?? 0))) {
    const portal = await db.portal.findUnique({ where: { hubId: BigInt(e.portalId) }, select: { id: true, defaultRegion: true } });
    const action = actionOf(e);
    const type = action.kind === 'phone' ? 'contact.propertyChange.phone' : e.subscriptionType;
    const { propertyValue, ...rest } = e;
    const payload = { ...rest, ...(propertyValue != null ? { propertyValueSha256: sha256Hex(propertyValue) } : {}) };
    const stored = await db.providerEvent.createMany({
      data: [{ portalId: portal?.id ?? null, provider: 'hubspot', dedupeKey: `${e.portalId}:${e.eventId}`, type, providerCallId: e.objectId ?? null, payload: payload as Prisma.InputJsonValue }],
      skipDuplicates: true,
    });
    if (stored.count === 0) {
      out.duplicates += 1;
      continue;
    }
    const note = portal && action.kind !== 'ignore' ? await apply(db, portal, e, action) : portal ? 'not handled' : 'unknown portal';
    await db.providerEvent.updateMany({ where: { provider: 'hubspot', dedupeKey: `${e.portalId}:${e.eventId}` }, data: { processedAt: new Date(), error: note === 'applied' ? null : note } });
    if (note === 'applied') out.applied += 1;
  }
  return out;
}

async function apply(db: Db, portal: { id: string; defaultRegion: string }, e: TEvent, action: Exclude<Action, { kind: 'ignore' }>): Promise<string> {
  const contacts = await db.contact.findMany({ where: { portalId: portal.id, hubspotContactId: e.objectId! }, select: { id: true } });
  if (!contacts.length) return 'no contact here has this HubSpot id';
  if (action.kind === 'erase') {
    await eraseContacts(db, portal.id, contacts.map((c) => c.id), action.reason);
    return 'applied';
  }
  const newer = await db.$queryRaw<Array<{ n: number }>>`
    SELECT count(*)::int AS n FROM "ProviderEvent"
     WHERE "provider" = 'hubspot' AND "providerCallId" = ${e.objectId!} AND "portalId" = ${portal.id}::uuid AND "type" = 'contact.propertyChange.phone'
       AND "processedAt" IS NOT NULL AND "error" IS NULL AND ("payload"->>'occurredAt')::bigint > ${e.occurredAt ?? 0}`;
  if ((newer[0]?.n ?? 0) > 0) return 'a newer phone change was already applied';
  const phone = normalisePhone(e.propertyValue ?? null, isRegionCode(portal.defaultRegion) ? portal.defaultRegion : undefined);
  if (!phone.ok) return `new phone not usable: ${phone.reason}`;
  for (const c of contacts) {
    try {
      await db.contact.update({ where: { id: c.id }, data: { phone: phone.e164 } });
    } catch (err) {
      // Another contact of this portal already has that number (Contact is unique per phone).
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') return 'another contact already has this phone number';
      throw err;
    }
  }
  logger.info('contact phone changed from HubSpot', { portalId: portal.id, contacts: contacts.length });
  return 'applied';
}
