// The HubSpot port: what the rest of the app may ask of HubSpot, in our own types. Importing this
// file pulls in no SDK, so the domain and worker can depend on it freely; gateway.ts implements it.
// Every method takes the portal it acts for; errors are ours (hubspot/errors.ts):
// HubSpotRateLimitedError (retryAfterMs), HubSpotApiError (hubspotStatus, isRetryable),
// AppError HUBSPOT_NOT_INSTALLED / HUBSPOT_REINSTALL_REQUIRED.

export interface ListMembershipsPage {
  /** HubSpot record ids (contacts for a contact list), in HubSpot's order. */
  recordIds: string[];
  /** Cursor for the next page; undefined on the last page. */
  nextAfter: string | undefined;
  total: number | undefined;
}

/** One contact list as the list picker shows it. */
export interface HubSpotListSummary {
  id: string;
  name: string;
  /** Members now (HubSpot's hs_list_size); null when HubSpot did not say. */
  size: number | null;
  /** MANUAL, DYNAMIC (active) or SNAPSHOT; passed on as HubSpot names it. */
  processingType: string;
}

export interface ContactListsPage {
  /** Contact lists only (object type 0-1), in HubSpot's order; may be fewer than asked for. */
  lists: HubSpotListSummary[];
  /** Where the next page starts; undefined on the last page. */
  nextOffset: number | undefined;
}

export interface HubSpotContact {
  id: string;
  phone: string | null;
  mobilePhone: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  company: string | null;
  /** HubSpot's hs_timezone value as stored (e.g. "america_slash_new_york"), not an IANA name. */
  timeZone: string | null;
  /** Every property that was read, raw, including the consent-related ones. */
  properties: Record<string, string | null>;
}

export interface ContactsBatch {
  contacts: HubSpotContact[];
  /** Ids HubSpot did not return (deleted or never existed). */
  missingIds: string[];
}

export type CallEngagementStatus = 'COMPLETED' | 'NO_ANSWER' | 'BUSY' | 'FAILED' | 'CANCELED';

export interface CallEngagementInput {
  /** The HubSpot contact the call shows on (association type 194, call → contact). */
  contactId: string;
  /** When the call happened (hs_timestamp, required by HubSpot). */
  timestamp: Date;
  title: string;
  /** HTML or text shown as the call notes (summary, outcome); never the raw transcript by default. */
  body?: string;
  status?: CallEngagementStatus;
  durationMs?: number;
  fromNumber?: string;
  toNumber?: string;
  recordingUrl?: string;
  /** HubSpot call outcome (disposition) GUID, when the portal has mapped one. */
  dispositionId?: string;
}

export interface HubSpotGateway {
  listMembershipsPage(portalId: string, input: { listId: string; after?: string; limit?: number }): Promise<ListMembershipsPage>;
  /** The portal's contact lists whose name contains `query` (all of them when empty), one page. */
  searchContactLists(portalId: string, input: { query?: string; offset?: number; count?: number }): Promise<ContactListsPage>;
  /** At most 100 ids per call (HubSpot's batch limit). */
  readContacts(portalId: string, contactIds: string[], options?: { extraProperties?: string[] }): Promise<ContactsBatch>;
  createCallEngagement(portalId: string, input: CallEngagementInput): Promise<{ engagementId: string }>;
  updateContactProperties(portalId: string, contactId: string, properties: Record<string, string>): Promise<void>;
  /** Finishes a custom workflow action that answered BLOCK (HubSpot answers 204). */
  completeWorkflowCallback(portalId: string, callbackId: string, outputFields: Record<string, string>): Promise<void>;
}
