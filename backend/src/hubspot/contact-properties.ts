import { z } from 'zod';
import type { HubSpotContact } from './gateway.types';

// Which contact properties we read from HubSpot, and how a HubSpot contact becomes ours.
// Consent: HubSpot has no standard "may we call" property; hs_legal_basis (GDPR basis for
// processing) is the default one that bears on it. Portals that keep calling consent in a custom
// property pass it as an extra property and the domain reads it from `properties`.
export const CONTACT_PROPERTIES = ['phone', 'mobilephone', 'firstname', 'lastname', 'email', 'company', 'hs_timezone'] as const;
export const CONSENT_PROPERTIES = ['hs_legal_basis'] as const;

export const ZHubSpotObject = z.object({
  id: z.string().min(1),
  properties: z.record(z.string(), z.string().nullable().optional()),
});

export function toHubSpotContact(raw: z.infer<typeof ZHubSpotObject>): HubSpotContact {
  const p: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(raw.properties)) p[k] = v ?? null;
  // HubSpot sends "" for a cleared value; treat it as absent.
  const get = (name: string) => (p[name] === undefined || p[name] === '' ? null : p[name]!);
  return {
    id: raw.id,
    phone: get('phone'),
    mobilePhone: get('mobilephone'),
    firstName: get('firstname'),
    lastName: get('lastname'),
    email: get('email'),
    company: get('company'),
    timeZone: get('hs_timezone'),
    properties: p,
  };
}
