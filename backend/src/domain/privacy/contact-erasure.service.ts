import { Prisma, type Db } from '../../platform/prisma';
import { logger } from '../../platform/logger';
import { notFound } from '../../platform/app-error';
import { ERASED, PERSONAL_TABLES, erasureData, type PersonalTable } from './personal-data';

export { ERASED } from './personal-data';

// Erasing a contact's personal data (DELETE /api/v1/contacts/:contactId, HubSpot contact deletion
// or GDPR privacy deletion), in one transaction. WHAT is erased, and how, is personal-data.ts;
// this file only knows WHICH rows of each table are the contact's. What stays is anonymous: calls
// keep their outcome, times, duration and cost, so analytics and rollups do not change, and the
// contact row stays (marked erased) so those calls keep their key. The do-not-call entry for the
// number stays on purpose (see personal-data.ts).

const WAITING_STATES = ['pending', 'queued', 'retry_wait'] as const;

type Tx = Prisma.TransactionClient;

interface Subject {
  portalId: string;
  contactIds: string[];
  phones: string[];
  emails: string[];
  hubspotContactIds: string[];
  callIds: string[];
  providerCallIds: string[];
}

export interface ErasureResult {
  contacts: number;
  cancelledAttempts: number;
  /** Rows changed (or deleted) per table holding personal data. */
  rows: Record<PersonalTable, number>;
}

/** The last nine digits of a number: how it appears in a raw CSV row whatever its formatting. */
const digitsTail = (phone: string) => phone.replace(/\D/g, '').slice(-9);

// Which rows of each table belong to the contacts. Typed by the list of tables, so a table added
// to personal-data.ts does not compile until it is said here how its rows are found.
const ERASERS: Record<PersonalTable, (tx: Tx, s: Subject) => Promise<number>> = {
  async Contact(tx, s) {
    let n = 0;
    for (const id of s.contactIds) {
      const r = await tx.contact.updateMany({ where: { id, portalId: s.portalId }, data: { ...erasureData('Contact', id), source: ERASED } });
      n += r.count;
    }
    return n;
  },
  async Call(tx, s) {
    return (await tx.call.updateMany({ where: { portalId: s.portalId, contactId: { in: s.contactIds } }, data: erasureData('Call') })).count;
  },
  async ProviderEvent(tx, s) {
    const or: Prisma.ProviderEventWhereInput[] = [];
    if (s.callIds.length) or.push({ callId: { in: s.callIds } });
    if (s.providerCallIds.length) or.push({ providerCallId: { in: s.providerCallIds }, provider: { not: 'hubspot' } });
    // HubSpot webhooks about the person's record (stored under the record id).
    if (s.hubspotContactIds.length) or.push({ provider: 'hubspot', providerCallId: { in: s.hubspotContactIds } });
    if (!or.length) return 0;
    return (await tx.providerEvent.updateMany({ where: { portalId: s.portalId, OR: or }, data: erasureData('ProviderEvent') })).count;
  },
  async Outbox(tx, s) {
    if (!s.callIds.length) return 0;
    const where = { portalId: s.portalId, aggregateId: { in: s.callIds } };
    // Unsent write-backs about the person are abandoned, not sent erased.
    await tx.outbox.updateMany({ where: { ...where, status: { in: ['pending', 'sending'] } }, data: { status: 'failed', lastError: 'contact erased' } });
    return (await tx.outbox.updateMany({ where, data: erasureData('Outbox') })).count;
  },
  async WorkflowCallback(tx, s) {
    const or: Prisma.WorkflowCallbackWhereInput[] = [{ contactId: { in: s.contactIds } }];
    if (s.callIds.length) or.push({ callId: { in: s.callIds } });
    return (await tx.workflowCallback.updateMany({ where: { portalId: s.portalId, OR: or }, data: erasureData('WorkflowCallback') })).count;
  },
  async ImportRejectedRow(tx, s) {
    // A rejected row made no contact, so it is found by what it says: the email, or the number
    // in any formatting (compared digit by digit).
    const emails = s.emails.map((e) => e.toLowerCase());
    const tails = s.phones.map(digitsTail).filter((t) => t.length >= 7);
    if (!emails.length && !tails.length) return 0;
    const value = erasureData('ImportRejectedRow').raw as string;
    return tx.$executeRaw`
      UPDATE "ImportRejectedRow" SET raw = ${value}
      WHERE "portalId" = ${s.portalId} AND raw <> ${value}
        AND (EXISTS (SELECT 1 FROM unnest(${emails}::text[]) e WHERE position(e IN lower(raw)) > 0)
          OR EXISTS (SELECT 1 FROM unnest(${tails}::text[]) t WHERE position(t IN regexp_replace(raw, '[^0-9]', '', 'g')) > 0))`;
  },
  async ImportUploadChunk(tx, s) {
    // The files the contact came in with. An import links its contacts only once it has merged
    // them, so the file is no longer needed and goes whole (dropping it again at the end is a no-op).
    // A file still waiting in the queue is not read here; its import drops it when it ends.
    const links = await tx.importContact.findMany({ where: { portalId: s.portalId, contactId: { in: s.contactIds } }, select: { importId: true } });
    const importIds = [...new Set(links.map((l) => l.importId))];
    if (!importIds.length) return 0;
    return (await tx.importUploadChunk.deleteMany({ where: { portalId: s.portalId, importId: { in: importIds } } })).count;
  },
  // Kept on purpose (personal-data.ts): a deletion does not lift the obligation not to call.
  DncEntry: async () => 0,
};

export async function eraseContacts(db: Db, portalId: string, contactIds: string[], reason: string): Promise<ErasureResult> {
  const rows = Object.fromEntries(PERSONAL_TABLES.map((t) => [t, 0])) as Record<PersonalTable, number>;
  if (!contactIds.length) return { contacts: 0, cancelledAttempts: 0, rows };
  return db.$transaction(
    async (tx) => {
      const contacts = await tx.contact.findMany({ where: { portalId, id: { in: contactIds } }, select: { id: true, phone: true, email: true, hubspotContactId: true, source: true } });
      const calls = await tx.call.findMany({ where: { portalId, contactId: { in: contactIds } }, select: { id: true, providerCallId: true } });
      const live = contacts.filter((c) => c.source !== ERASED);
      const subject: Subject = {
        portalId,
        contactIds: contacts.map((c) => c.id),
        phones: live.map((c) => c.phone),
        emails: live.flatMap((c) => (c.email ? [c.email] : [])),
        hubspotContactIds: live.flatMap((c) => (c.hubspotContactId ? [c.hubspotContactId] : [])),
        callIds: calls.map((c) => c.id),
        providerCallIds: calls.flatMap((c) => (c.providerCallId ? [c.providerCallId] : [])),
      };
      for (const table of PERSONAL_TABLES) rows[table] = await ERASERS[table](tx, subject);
      const cancelled = await tx.campaignContact.updateMany({
        where: { portalId, contactId: { in: subject.contactIds }, state: { in: [...WAITING_STATES] } },
        data: { state: 'cancelled', skipReason: ERASED, nextAttemptAt: null },
      });
      const result = { contacts: subject.contactIds.length, cancelledAttempts: cancelled.count, rows };
      logger.info('contact personal data erased', { portalId, reason, contacts: result.contacts, cancelledAttempts: result.cancelledAttempts, ...rows });
      return result;
    },
    { timeout: 30_000 },
  );
}

/** One contact of this portal erased on the operator's request; another portal's contact is a 404. */
export async function eraseContact(db: Db, portalId: string, contactId: string): Promise<ErasureResult & { contactId: string }> {
  const found = await db.contact.findFirst({ where: { id: contactId, portalId }, select: { id: true } });
  if (!found) throw notFound('contact');
  return { contactId, ...(await eraseContacts(db, portalId, [contactId], 'deleted by the portal')) };
}
