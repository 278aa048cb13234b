import { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum, FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/objects/calls';
import { FilterOperatorEnum as ContactFilterOperator } from '@hubspot/api-client/lib/codegen/crm/contacts';
import { PropertyCreateFieldTypeEnum, PropertyCreateTypeEnum, type PropertyCreate } from '@hubspot/api-client/lib/codegen/crm/properties';
import { z } from 'zod';
import type { TokenManager } from './oauth/token-manager';
import type { RateLimiter } from './rate-limiter';
import { HubSpotApiError, HubSpotRateLimitedError, fromSdkError } from './errors';
import { CALL_TO_CONTACT_ASSOCIATION } from './gateway';
import { AI_PROPERTY_GROUP, type HubSpotWriteback } from '../domain/outbox/writeback-port';

// The HubSpot calls the call write-back needs beyond the shared gateway: creating a call with our
// external id and finding it again (so a retry after a lost response never creates a second
// engagement), searching a contact by phone or email, our property group, and app events. Same
// rules as gateway.ts: a token from the token manager, a slot from the per-portal limiter, SDK
// retries off (one client shape for the process: see sdk-client.ts on the SDK's global decorators),
// one refresh-and-retry on 401, a 429 pauses the portal everywhere, errors mapped to ours.

interface Apis {
  callsBasic: Client['crm']['objects']['calls']['basicApi'];
  callsSearch: Client['crm']['objects']['calls']['searchApi'];
  contactsSearch: Client['crm']['contacts']['searchApi'];
  contactsBasic: Client['crm']['contacts']['basicApi'];
  propertyGroups: Client['crm']['properties']['groupsApi'];
  properties: Client['crm']['properties']['coreApi'];
  timeline: Client['crm']['timeline']['eventsApi'];
}

// Every API object is touched right after the constructor, on one tick, so each picks up this
// client's (empty) decorators and not another client's (sdk-client.ts explains the SDK's singleton).
function apisFor(basePath: string, accessToken: string): Apis {
  const client = new Client({ basePath, accessToken, numberOfApiCallRetries: 0 });
  return {
    callsBasic: client.crm.objects.calls.basicApi,
    callsSearch: client.crm.objects.calls.searchApi,
    contactsSearch: client.crm.contacts.searchApi,
    contactsBasic: client.crm.contacts.basicApi,
    propertyGroups: client.crm.properties.groupsApi,
    properties: client.crm.properties.coreApi,
    timeline: client.crm.timeline.eventsApi,
  };
}

const ZSearch = z.object({ results: z.array(z.object({ id: z.string() })) });
const ZCreated = z.object({ id: z.string().min(1) });

/** Our contact properties (research/hubspot.md §4.3): outcome, time and count of AI calls, and the opt-out. */
const CONTACT_PROPERTIES: PropertyCreate[] = [
  { name: 'ai_last_call_outcome', label: 'Last AI call outcome', type: PropertyCreateTypeEnum.String, fieldType: PropertyCreateFieldTypeEnum.Text, groupName: AI_PROPERTY_GROUP },
  { name: 'ai_last_call_at', label: 'Last AI call at', type: PropertyCreateTypeEnum.Datetime, fieldType: PropertyCreateFieldTypeEnum.Date, groupName: AI_PROPERTY_GROUP },
  { name: 'ai_call_count', label: 'AI calls made', type: PropertyCreateTypeEnum.Number, fieldType: PropertyCreateFieldTypeEnum.Number, groupName: AI_PROPERTY_GROUP },
  {
    name: 'ai_opted_out',
    label: 'Opted out of AI calls',
    type: PropertyCreateTypeEnum.Enumeration,
    fieldType: PropertyCreateFieldTypeEnum.Booleancheckbox,
    groupName: AI_PROPERTY_GROUP,
    options: [
      { label: 'Yes', value: 'true', displayOrder: 0, hidden: false },
      { label: 'No', value: 'false', displayOrder: 1, hidden: false },
    ],
  },
];

const isConflict = (err: unknown) => err instanceof HubSpotApiError && err.hubspotStatus === 409;

export function createHubSpotWriteback(deps: { tokens: TokenManager; limiter: RateLimiter; basePath: string }): HubSpotWriteback {
  const cache = new Map<string, Apis>();
  const apis = (token: string) => {
    let a = cache.get(token);
    if (!a) {
      a = apisFor(deps.basePath, token);
      if (cache.size >= 200) cache.delete(cache.keys().next().value!);
      cache.set(token, a);
    }
    return a;
  };
  const ensured = new Set<string>();

  async function call<T>(portalId: string, what: string, run: (a: Apis) => Promise<T>): Promise<T> {
    let token = await deps.tokens.getAccessToken(portalId);
    for (let attempt = 0; ; attempt += 1) {
      await deps.limiter.acquire(portalId);
      try {
        return await run(apis(token));
      } catch (err) {
        if (err instanceof z.ZodError) throw new HubSpotApiError(502, 'UNEXPECTED_RESPONSE', undefined, `HubSpot's answer to ${what} did not have the documented shape.`);
        const mapped = fromSdkError(err, what);
        if (mapped instanceof HubSpotApiError && mapped.hubspotStatus === 401 && attempt === 0) {
          token = await deps.tokens.refreshAfterRejection(portalId, token);
          continue;
        }
        if (mapped instanceof HubSpotRateLimitedError) await deps.limiter.pause(portalId, mapped.retryAfterMs);
        throw mapped;
      }
    }
  }

  return {
    createCall(portalId, input) {
      const properties: Record<string, string> = {
        hs_timestamp: input.timestamp.toISOString(),
        hs_call_title: input.title,
        hs_call_direction: 'OUTBOUND',
        hs_call_status: input.status ?? 'COMPLETED',
        hs_call_external_id: input.externalId,
      };
      if (input.body !== undefined) properties.hs_call_body = input.body;
      if (input.durationMs !== undefined) properties.hs_call_duration = String(Math.round(input.durationMs));
      if (input.toNumber) properties.hs_call_to_number = input.toNumber;
      if (input.fromNumber) properties.hs_call_from_number = input.fromNumber;
      if (input.recordingUrl) properties.hs_call_recording_url = input.recordingUrl;
      return call(portalId, 'a call engagement', async (a) => {
        const created = ZCreated.parse(
          await a.callsBasic.create({
            properties,
            associations: [
              { to: { id: input.contactId }, types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: CALL_TO_CONTACT_ASSOCIATION }] },
            ],
          }),
        );
        return { engagementId: created.id };
      });
    },

    findCallByExternalId(portalId, externalId) {
      return call(portalId, 'a call engagement search', async (a) => {
        const res = ZSearch.parse(
          await a.callsSearch.doSearch({
            filterGroups: [{ filters: [{ propertyName: 'hs_call_external_id', operator: FilterOperatorEnum.Eq, value: externalId }] }],
            properties: ['hs_call_external_id'],
            limit: 1,
          }),
        );
        return res.results[0]?.id ?? null;
      });
    },

    async updateContact(portalId, hubspotContactId, properties) {
      await call(portalId, `contact ${hubspotContactId} properties`, (a) => a.contactsBasic.update(hubspotContactId, { properties }));
    },

    async findContact(portalId, by) {
      const tries = [by.phone ? (['phone', by.phone] as const) : null, by.email ? (['email', by.email] as const) : null].filter((t) => t !== null);
      for (const [propertyName, value] of tries) {
        const id = await call(portalId, `a contact search by ${propertyName}`, async (a) => {
          const res = ZSearch.parse(
            await a.contactsSearch.doSearch({ filterGroups: [{ filters: [{ propertyName, operator: ContactFilterOperator.Eq, value }] }], properties: ['phone', 'email'], limit: 1 }),
          );
          return res.results[0]?.id ?? null;
        });
        if (id) return id;
      }
      return null;
    },

    async ensureContactProperties(portalId) {
      if (ensured.has(portalId)) return;
      await call(portalId, 'our contact property group', (a) =>
        a.propertyGroups.create('contacts', { name: AI_PROPERTY_GROUP, label: 'AI calling', displayOrder: -1 }),
      ).catch((err) => {
        if (!isConflict(err)) throw err;
      });
      for (const property of CONTACT_PROPERTIES) {
        await call(portalId, `contact property ${property.name}`, (a) => a.properties.create('contacts', property)).catch((err) => {
          if (!isConflict(err)) throw err;
        });
      }
      ensured.add(portalId);
    },

    async createTimelineEvent(portalId, input) {
      await call(portalId, 'an app timeline event', (a) =>
        a.timeline.create({ eventTemplateId: input.eventTemplateId, objectId: input.objectId, id: input.id, tokens: input.tokens, timestamp: input.timestamp }),
      ).catch((err) => {
        // The same event id again: the event is already there.
        if (!isConflict(err)) throw err;
      });
    },
  };
}
