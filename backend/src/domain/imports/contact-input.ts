// What every import source (CSV file, HubSpot list) hands the normaliser: the contact's fields
// as the source wrote them, plus the columns no field claimed (they become free properties).

export const CONTACT_FIELDS = [
  'phone',
  'mobilePhone',
  'firstName',
  'lastName',
  'fullName',
  'email',
  'company',
  'timeZone',
  'hubspotContactId',
  'consentType',
  'consentSource',
  'consentAt',
] as const;

export type ContactField = (typeof CONTACT_FIELDS)[number];

export type ContactInput = { [F in ContactField]?: string | null } & { properties?: Record<string, string> };

export type TimeZoneSource = 'file' | 'phone' | 'portal_default';
export type ConsentKind = 'none' | 'express' | 'written';

export interface NormalisedContact {
  phone: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  company: string | null;
  timeZone: string;
  timeZoneSource: TimeZoneSource;
  hubspotContactId: string | null;
  properties: Record<string, string>;
  /** Null when the source said nothing about consent: an import never erases consent it was not given. */
  consent: { type: ConsentKind; source: string | null; at: Date | null } | null;
}

export type NormaliseResult = { ok: true; contact: NormalisedContact } | { ok: false; reason: string };

/** One row from a source: its position (for the rejected-rows report), fields, and raw text. */
export interface SourceRow {
  rowNumber: number;
  input: ContactInput;
  /** The row as the source had it, asked for only if the row is rejected (CSV: the re-quoted line). */
  raw(): string;
}
