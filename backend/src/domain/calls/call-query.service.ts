import { z } from 'zod';
import type { Db } from '../../platform/prisma';
import { notFound } from '../../platform/app-error';
import { afterCursor, decodeCursor, pageOf } from '../segments/page-cursor';

// Reading calls: one call in full, and a contact's call history (newest first, keyset paged)
// with summaries and transcripts. Scoped by portal: another portal's id is a 404.

export const ZContactCallsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional(),
  /** Also list the dial-time refusals kept as audit (Call rows never dialed). */
  includeSkipped: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});
export type TContactCallsQuery = z.infer<typeof ZContactCallsQuery>;

type CallRow = NonNullable<Awaited<ReturnType<Db['call']['findFirst']>>>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function summaryView(c: CallRow) {
  return {
    id: c.id,
    campaignId: c.campaignId,
    contactId: c.contactId,
    attemptNumber: c.attemptNumber,
    status: c.status,
    dialed: c.placedAt !== null,
    outcome: c.outcome,
    disposition: c.disposition,
    endedReason: c.endedReason,
    isOptOut: c.isOptOut,
    placedAt: iso(c.placedAt),
    startedAt: iso(c.startedAt),
    endedAt: iso(c.endedAt),
    durationSec: c.durationSec,
    costUsd: c.cost === null ? null : Number(c.cost),
    summary: c.summary,
    transcript: c.transcript,
    recordingUrl: c.recordingUrl,
    createdAt: c.createdAt.toISOString(),
  };
}

export async function getCall(db: Db, portalId: string, callId: string) {
  const c = await db.call.findFirst({ where: { id: callId, portalId } });
  if (!c) throw notFound('call');
  return {
    ...summaryView(c),
    provider: c.provider,
    providerCallId: c.providerCallId,
    toPhone: c.toPhone,
    callerId: c.callerId,
    variantId: c.variantId,
    scriptVersionId: c.scriptVersionId,
    messages: c.messages,
    structuredOutputs: c.structuredOutputs,
    answers: c.answers,
    scriptPath: c.scriptPath,
    audit: {
      consentSnapshot: c.consentSnapshot,
      dncCheckResult: c.dncCheckResult,
      dncCheckedAt: iso(c.dncCheckedAt),
      localTimeAtDial: c.localTimeAtDial,
      contactTimeZone: c.contactTimeZone,
      dialStartedAt: iso(c.dialStartedAt),
    },
  };
}

export async function listContactCalls(db: Db, portalId: string, contactId: string, q: TContactCallsQuery) {
  const contact = await db.contact.findFirst({ where: { id: contactId, portalId }, select: { id: true } });
  if (!contact) throw notFound('contact');
  const rows = await db.call.findMany({
    where: { portalId, contactId, ...(q.includeSkipped ? {} : { placedAt: { not: null } }), ...afterCursor(decodeCursor(q.cursor)) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  });
  const page = pageOf(rows, q.limit);
  return { items: page.items.map(summaryView), nextCursor: page.nextCursor };
}
