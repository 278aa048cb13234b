import { Prisma, type Db } from '../../platform/prisma';
import { logger } from '../../platform/logger';

// Erasing a contact's personal data (HubSpot contact deletion or GDPR privacy deletion), in one
// transaction. Personal data goes: the contact's name, email, company, phone, properties and
// HubSpot link; each call's transcript, summary, messages, structured outputs, recording link,
// answers and script path, consent snapshot and dialed number; the raw webhook payloads of those
// calls; the outbox payloads about them (unsent ones are abandoned). What stays is anonymous:
// calls keep their outcome, times, duration and cost, so analytics and rollups do not change.
// The do-not-call entry for the number stays too: a deletion does not lift an obligation not to
// call, and that list holds numbers only.

export const ERASED = 'erased';
const WAITING_STATES = ['pending', 'queued', 'retry_wait'] as const;

export interface ErasureResult {
  contacts: number;
  calls: number;
  events: number;
  outboxRows: number;
  cancelledAttempts: number;
}

export async function eraseContacts(db: Db, portalId: string, contactIds: string[], reason: string): Promise<ErasureResult> {
  if (!contactIds.length) return { contacts: 0, calls: 0, events: 0, outboxRows: 0, cancelledAttempts: 0 };
  return db.$transaction(async (tx) => {
    const calls = await tx.call.findMany({ where: { portalId, contactId: { in: contactIds } }, select: { id: true, providerCallId: true } });
    const callIds = calls.map((c) => c.id);
    const providerCallIds = calls.flatMap((c) => (c.providerCallId ? [c.providerCallId] : []));
    for (const id of contactIds) {
      // The phone is part of a unique key: a per-contact placeholder keeps it unique.
      await tx.contact.updateMany({
        where: { id, portalId },
        data: {
          phone: `${ERASED}:${id}`,
          firstName: null,
          lastName: null,
          email: null,
          company: null,
          timeZone: null,
          timeZoneSource: null,
          hubspotContactId: null,
          properties: {},
          consentSource: null,
          source: ERASED,
        },
      });
    }
    const erasedCalls = await tx.call.updateMany({
      where: { portalId, contactId: { in: contactIds } },
      data: {
        toPhone: ERASED,
        transcript: null,
        summary: null,
        messages: Prisma.DbNull,
        structuredOutputs: Prisma.DbNull,
        recordingUrl: null,
        answers: {},
        scriptPath: [],
        consentSnapshot: Prisma.DbNull,
      },
    });
    const events = callIds.length
      ? await tx.providerEvent.updateMany({
          where: { portalId, OR: [{ callId: { in: callIds } }, ...(providerCallIds.length ? [{ providerCallId: { in: providerCallIds } }] : [])] },
          data: { payload: { erased: true } },
        })
      : { count: 0 };
    await tx.outbox.updateMany({ where: { portalId, aggregateId: { in: callIds }, status: { in: ['pending', 'sending'] } }, data: { status: 'failed', lastError: `contact erased (${reason})` } });
    const outbox = callIds.length ? await tx.outbox.updateMany({ where: { portalId, aggregateId: { in: callIds } }, data: { payload: { erased: true } } }) : { count: 0 };
    const cancelled = await tx.campaignContact.updateMany({
      where: { portalId, contactId: { in: contactIds }, state: { in: [...WAITING_STATES] } },
      data: { state: 'cancelled', skipReason: ERASED, nextAttemptAt: null },
    });
    const result = { contacts: contactIds.length, calls: erasedCalls.count, events: events.count, outboxRows: outbox.count, cancelledAttempts: cancelled.count };
    logger.info('contact personal data erased', { portalId, reason, ...result });
    return result;
  });
}
