// The HubSpot webhook events this backend acts on, each with the webhooks component's group it is
// subscribed under (hubspot-app/app/webhooks/webhooks-hsmeta.json; research/hubspot.md §1.7):
// legacyCrmObjects for contact.* events, crmObjects for the generic object.* events (contact
// events carry objectTypeId 0-1), hubEvents for privacy deletions. The webhook service dispatches
// on this table and the project test compares the component's subscriptions with it, so HubSpot
// sends exactly what we handle.
//
// A deletion or phone change can arrive twice (HubSpot sends both the legacy and the generic
// event, and a privacy deletion also fires contact.deletion): each is applied idempotently
// (an erased contact has no HubSpot id left; the same phone again changes nothing).

export type HubSpotWebhookGroup = 'crmObjects' | 'legacyCrmObjects' | 'hubEvents';

export interface HandledHubSpotEvent {
  group: HubSpotWebhookGroup;
  subscriptionType: string;
  /** Generic (object.*) events: the object they are about. */
  objectType?: 'contact';
  /** Property changes: the one property we follow. */
  propertyName?: string;
  action: { kind: 'erase'; reason: string } | { kind: 'phone' };
}

const DELETED = { kind: 'erase', reason: 'deleted in HubSpot' } as const;

export const HANDLED_HUBSPOT_EVENTS: readonly HandledHubSpotEvent[] = [
  { group: 'hubEvents', subscriptionType: 'contact.privacyDeletion', action: { kind: 'erase', reason: 'privacy deletion' } },
  { group: 'legacyCrmObjects', subscriptionType: 'contact.deletion', action: DELETED },
  { group: 'crmObjects', subscriptionType: 'object.deletion', objectType: 'contact', action: DELETED },
  { group: 'legacyCrmObjects', subscriptionType: 'contact.propertyChange', propertyName: 'phone', action: { kind: 'phone' } },
  { group: 'crmObjects', subscriptionType: 'object.propertyChange', objectType: 'contact', propertyName: 'phone', action: { kind: 'phone' } },
];
