import type { Prisma } from '../../platform/prisma';

// An opt-out heard on a call (design.md §4.4): the number goes on the portal's do-not-call list
// and every attempt of that contact still waiting to be dialed, in every campaign of the portal,
// is cancelled. Runs inside the transaction that finalises the call, so the call's verdict and
// its consequences commit together. The dialer checks DNC again at dial time, so an attempt
// already claimed (dialing) cannot slip through either.

export const CALL_OPT_OUT_SOURCE = 'call_opt_out';
const WAITING_STATES = ['pending', 'queued', 'retry_wait'] as const;

type Tx = Pick<Prisma.TransactionClient, 'dncEntry' | 'campaignContact' | 'call'>;

export interface OptOutResult {
  dncAdded: boolean;
  cancelledAttempts: number;
}

export async function recordCallOptOut(tx: Tx, x: { portalId: string; contactId: string; phone: string; callId: string; campaignContactId: string | null }): Promise<OptOutResult> {
  const added = await tx.dncEntry.createMany({
    data: [{ portalId: x.portalId, phone: x.phone, reason: 'Asked not to be called again during a call', source: CALL_OPT_OUT_SOURCE, createdBy: `call:${x.callId}` }],
    skipDuplicates: true,
  });
  const waiting = await tx.campaignContact.findMany({
    where: { portalId: x.portalId, contactId: x.contactId, state: { in: [...WAITING_STATES] }, ...(x.campaignContactId ? { id: { not: x.campaignContactId } } : {}) },
    select: { id: true },
  });
  const ids = waiting.map((w) => w.id);
  if (!ids.length) return { dncAdded: added.count === 1, cancelledAttempts: 0 };
  // Compare-and-set on the state: a contact the dialer claimed meanwhile is left to its DNC check.
  const cancelled = await tx.campaignContact.updateMany({
    where: { id: { in: ids }, state: { in: [...WAITING_STATES] } },
    data: { state: 'cancelled', skipReason: 'dnc', nextAttemptAt: null },
  });
  // Planned attempts that were never claimed go with them (the dialer does the same on cancel).
  await tx.call.deleteMany({ where: { campaignContactId: { in: ids }, status: 'pending', placedAt: null, dialStartedAt: null } });
  return { dncAdded: added.count === 1, cancelledAttempts: cancelled.count };
}
