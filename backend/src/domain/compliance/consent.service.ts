import { z } from 'zod';
import type { Db } from '../../platform/prisma';
import { notFound } from '../../platform/app-error';

// A contact's consent to be called: what kind (none / express / written), where it came from
// and when. Dial-time enforcement reads these same fields (Call.consentSnapshot keeps a copy).

export const ZConsentUpdate = z
  .object({
    type: z.enum(['none', 'express', 'written']),
    source: z.string().trim().min(1).max(500).optional(),
    at: z.coerce.date().optional(),
  })
  .refine((c) => c.type === 'none' || c.source, { message: 'is required for express or written consent (where was it given?)', path: ['source'] })
  .refine((c) => !c.at || c.at.getTime() <= Date.now() + 60_000, { message: 'cannot be in the future', path: ['at'] });
export type TConsentUpdate = z.infer<typeof ZConsentUpdate>;

export interface ConsentView {
  contactId: string;
  type: string;
  source: string | null;
  at: string | null;
}

const view = (c: { id: string; consentType: string; consentSource: string | null; consentAt: Date | null }): ConsentView => ({
  contactId: c.id,
  type: c.consentType,
  source: c.consentSource,
  at: c.consentAt?.toISOString() ?? null,
});

const SELECT = { id: true, consentType: true, consentSource: true, consentAt: true } as const;

export async function getConsent(db: Db, portalId: string, contactId: string): Promise<ConsentView> {
  const c = await db.contact.findFirst({ where: { id: contactId, portalId }, select: SELECT });
  if (!c) throw notFound('contact');
  return view(c);
}

/**
 * `readInput` parses the request body only once the contact is known to be this portal's, so
 * another portal's id is a 404 whatever the body says.
 */
export async function setConsent(db: Db, portalId: string, contactId: string, readInput: () => TConsentUpdate): Promise<ConsentView> {
  await getConsent(db, portalId, contactId);
  const input = readInput();
  // updateMany scoped by portal: another portal's contact id updates nothing and reads as 404.
  const { count } = await db.contact.updateMany({
    where: { id: contactId, portalId },
    data: { consentType: input.type, consentSource: input.source ?? null, consentAt: input.at ?? new Date() },
  });
  if (count === 0) throw notFound('contact');
  return getConsent(db, portalId, contactId);
}
