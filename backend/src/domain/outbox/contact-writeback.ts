import type { Db } from '../../platform/prisma';

// Our contact properties in HubSpot, computed from our own rows when they are sent rather than
// carried in the outbox: a count or "last call" that arrives late or twice still writes the
// current truth, never an increment applied twice or an older call over a newer one.

export async function contactPropertiesFor(db: Db, portalId: string, contact: { id: string; phone: string }): Promise<Record<string, string>> {
  // Dialed calls, in progress or ended, except the provider's capacity refusals (not attempts).
  const dialed = { portalId, contactId: contact.id, placedAt: { not: null }, OR: [{ outcome: null }, { outcome: { not: 'capacity' } }] };
  const finished = { portalId, contactId: contact.id, placedAt: { not: null }, outcome: { not: null, notIn: ['capacity'] } };
  const [count, last, optedOutCall, dnc] = await Promise.all([
    db.call.count({ where: dialed }),
    db.call.findFirst({ where: finished, orderBy: { placedAt: 'desc' }, select: { outcome: true, disposition: true, placedAt: true } }),
    db.call.findFirst({ where: { portalId, contactId: contact.id, isOptOut: true }, select: { id: true } }),
    db.dncEntry.findUnique({ where: { portalId_phone: { portalId, phone: contact.phone } }, select: { id: true } }),
  ]);
  const props: Record<string, string> = {
    ai_call_count: String(count),
    ai_opted_out: String(Boolean(optedOutCall || dnc)),
  };
  if (last) {
    props.ai_last_call_outcome = last.disposition ?? last.outcome ?? '';
    if (last.placedAt) props.ai_last_call_at = last.placedAt.toISOString();
  }
  return props;
}
