import type { CallEngagementInput } from '../../hubspot/gateway.types';

// What the outbox sender needs from HubSpot, in our types (implemented over the SDK in
// hubspot/writeback-gateway.ts; errors are hubspot/errors.ts's). Kept apart from the shared
// HubSpotGateway so the write-back's idempotency lookups live with the write-back.

/**
 * Our contact properties, in our own group: created right after the OAuth install
 * (hubspot/oauth/install.service.ts) and, should that have failed, before the first contact
 * write-back (outbox-sender.service.ts).
 */
export const AI_PROPERTY_GROUP = 'ai_calling';
export const AI_CONTACT_PROPERTIES = ['ai_last_call_outcome', 'ai_last_call_at', 'ai_call_count', 'ai_opted_out'] as const;

export interface HubSpotWriteback {
  /** Creates the engagement carrying `externalId` (hs_call_external_id), associated to the contact (194). */
  createCall(portalId: string, input: CallEngagementInput & { externalId: string }): Promise<{ engagementId: string }>;
  /** The engagement a previous try created, found by hs_call_external_id; null when there is none. */
  findCallByExternalId(portalId: string, externalId: string): Promise<string | null>;
  updateContact(portalId: string, hubspotContactId: string, properties: Record<string, string>): Promise<void>;
  /** A HubSpot contact for a contact HubSpot did not give us (CSV): by phone, then by email. */
  findContact(portalId: string, by: { phone: string | null; email: string | null }): Promise<string | null>;
  /** Our property group and properties on contacts; idempotent (existing ones are left alone). */
  ensureContactProperties(portalId: string): Promise<void>;
  /** An app (timeline) event; `id` makes a repeat a no-op on HubSpot's side (409 is success). */
  createTimelineEvent(portalId: string, input: { eventTemplateId: string; objectId: string; id: string; tokens: Record<string, string>; timestamp: Date }): Promise<void>;
}
