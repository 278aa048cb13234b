// The OAuth scopes this app asks for at install, in one place: the install redirect uses it, and
// the HubSpot project's app config (hubspot-app/) is checked against it in tests.
// - oauth: required for every OAuth app.
// - crm.objects.contacts.read/write: read contacts to call; write call engagements and property values.
// - crm.schemas.contacts.read/write: create our own contact property group and properties (the
//   AI-call fields written back after each call); without them HubSpot answers 403 on creation.
// - crm.lists.read: pull a HubSpot list into an import.
// - automation: complete custom workflow action callbacks.
export const HUBSPOT_SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.lists.read',
  'automation',
] as const;

// Asked for as optional: HubSpot grants them where the account and app allow, and the install
// succeeds without them.
// - timeline: app (timeline) events on the contact, used only when a portal configures an approved
//   template (hubspotTimelineEventTemplateId); without it only those events fail.
export const HUBSPOT_OPTIONAL_SCOPES = ['timeline'] as const;

export type HubSpotScope = (typeof HUBSPOT_SCOPES)[number];

/** Scopes HubSpot granted that we asked for, and what we asked for but did not get. */
export function missingScopes(granted: readonly string[]): HubSpotScope[] {
  return HUBSPOT_SCOPES.filter((s) => !granted.includes(s));
}
