import { z } from 'zod';

// What the contact card sends about the HubSpot record it sits on: its id and the properties it
// read (useCrmProperties). Our contact is found (or, for an action, created) from these.

const optionalText = (max: number) => z.string().trim().max(max).nullish();

export const ZCardContact = z.strictObject({
  hubspotContactId: z.string().regex(/^\d{1,20}$/, 'must be a HubSpot record id'),
  phone: optionalText(64),
  mobilePhone: optionalText(64),
  firstName: optionalText(200),
  lastName: optionalText(200),
  email: optionalText(320),
  /** hs_legal_basis, read as consent the way a list import reads it. */
  legalBasis: optionalText(200),
});
export type TCardContact = z.infer<typeof ZCardContact>;

export const ZCardQuery = z.object({
  hubspotContactId: z.string().regex(/^\d{1,20}$/, 'must be a HubSpot record id'),
  phone: optionalText(64),
  mobilePhone: optionalText(64),
});
export type TCardQuery = z.infer<typeof ZCardQuery>;

export const ZCardConsent = z.strictObject({
  contact: ZCardContact,
  type: z.enum(['none', 'express', 'written']),
  source: z.string().trim().min(1).max(500).optional(),
});

export const ZCardDnc = z.strictObject({
  contact: ZCardContact,
  listed: z.boolean(),
  reason: z.string().trim().min(1).max(500).optional(),
});

export const ZCardEnroll = z.strictObject({ contact: ZCardContact, campaignId: z.guid() });

export const ZCallNow = z.strictObject({ contact: ZCardContact, scriptVersionId: z.guid() });

export function toHubSpotContactInput(c: TCardContact, source: string) {
  return {
    hubspotContactId: c.hubspotContactId,
    phones: [c.phone, c.mobilePhone],
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    hubspotProperties: { hs_legal_basis: c.legalBasis ?? null },
    source,
  };
}
