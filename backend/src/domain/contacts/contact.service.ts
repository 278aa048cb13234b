import { z } from 'zod';
import type { Db } from '../../platform/prisma';
import { notFound } from '../../platform/app-error';
import { afterCursor, decodeCursor, pageOf } from '../segments/page-cursor';
import { isRegionCode, normalisePhone } from './phone-normaliser';
import { toContactView, type ContactView } from './contact-view';

// Reading contacts, always within one portal.

export const ZContactListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
  /** Any written form of a number; matched on its E.164 form. */
  phone: z.string().trim().min(1).max(64).optional(),
  email: z.string().trim().min(1).max(320).optional(),
  importId: z.string().uuid().optional(),
});
export type TContactListQuery = z.infer<typeof ZContactListQuery>;

/** E.164 for a number typed into a search box, using the portal's region for national forms. */
export async function phoneForPortal(db: Db, portalId: string, text: string): Promise<string | null> {
  if (/^\+[1-9]\d{6,14}$/.test(text)) return text;
  const portal = await db.portal.findUnique({ where: { id: portalId }, select: { defaultRegion: true } });
  const region = portal && isRegionCode(portal.defaultRegion) ? portal.defaultRegion : undefined;
  const r = normalisePhone(text, region);
  return r.ok ? r.e164 : null;
}

export async function listContacts(db: Db, portalId: string, q: TContactListQuery): Promise<{ items: ContactView[]; nextCursor: string | null }> {
  const after = afterCursor(decodeCursor(q.cursor)); // a bad cursor is refused whatever the filters
  let phone: string | undefined;
  if (q.phone) {
    const e164 = await phoneForPortal(db, portalId, q.phone);
    if (!e164) return { items: [], nextCursor: null }; // not a number: nothing can match it
    phone = e164;
  }
  const rows = await db.contact.findMany({
    where: {
      portalId,
      ...(phone ? { phone } : {}),
      ...(q.email ? { email: { equals: q.email, mode: 'insensitive' } } : {}),
      ...(q.importId ? { imports: { some: { importId: q.importId } } } : {}),
      ...after,
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  });
  const page = pageOf(rows, q.limit);
  return { items: page.items.map(toContactView), nextCursor: page.nextCursor };
}

export async function getContact(db: Db, portalId: string, contactId: string): Promise<ContactView> {
  const row = await db.contact.findFirst({ where: { id: contactId, portalId } });
  if (!row) throw notFound('contact');
  return toContactView(row);
}
