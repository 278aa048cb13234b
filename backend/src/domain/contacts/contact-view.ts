import type { Contact } from '../../generated/prisma/client';

// The API's picture of a contact.
export interface ContactView {
  id: string;
  phone: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  company: string | null;
  timeZone: string | null;
  timeZoneSource: string | null;
  hubspotContactId: string | null;
  properties: unknown;
  source: string;
  consent: { type: string; source: string | null; at: string | null };
  createdAt: string;
  updatedAt: string;
}

export function toContactView(c: Contact): ContactView {
  return {
    id: c.id,
    phone: c.phone,
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    company: c.company,
    timeZone: c.timeZone,
    timeZoneSource: c.timeZoneSource,
    hubspotContactId: c.hubspotContactId,
    properties: c.properties,
    source: c.source,
    consent: { type: c.consentType, source: c.consentSource, at: c.consentAt?.toISOString() ?? null },
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
