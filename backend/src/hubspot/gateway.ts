import { z } from 'zod';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/calls';
import { AppError } from '../platform/app-error';
import type { SdkApis } from './sdk-client';
import type { TokenManager } from './oauth/token-manager';
import type { RateLimiter } from './rate-limiter';
import { HubSpotApiError, HubSpotRateLimitedError, fromSdkError } from './errors';
import { CONSENT_PROPERTIES, CONTACT_PROPERTIES, ZHubSpotObject, toHubSpotContact } from './contact-properties';
import { HUBSPOT_SETTINGS } from './hubspot.settings';
import type { CallEngagementInput, HubSpotGateway } from './gateway.types';

// HubSpotGateway over @hubspot/api-client. Every call: a valid token (refreshed when due), a slot
// from the per-portal limiter, then the SDK. A 401 refreshes the token once and retries once; a
// 429 pauses the portal for every process and surfaces as HubSpotRateLimitedError. No other
// retries here: the caller's queue owns retry and backoff (style.md habit 6).

/** HubSpot-defined association type id for call → contact. */
export const CALL_TO_CONTACT_ASSOCIATION = 194;

export interface GatewayDeps {
  tokens: TokenManager;
  limiter: RateLimiter;
  apisFor(accessToken: string): SdkApis;
}

const ZMembershipsPage = z.object({
  results: z.array(z.object({ recordId: z.string() })),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
  total: z.number().optional(),
});
const ZBatch = z.object({ results: z.array(ZHubSpotObject) });
const ZListSearch = z.object({
  lists: z.array(
    z.object({
      listId: z.string(),
      name: z.string(),
      objectTypeId: z.string(),
      processingType: z.string(),
      additionalProperties: z.record(z.string(), z.string()).optional(),
    }),
  ),
  hasMore: z.boolean(),
  offset: z.number().int(),
});

/** HubSpot's object type id for contacts. */
export const CONTACT_OBJECT_TYPE = '0-1';

function unexpected(what: string, err: z.ZodError): AppError {
  return new AppError('HUBSPOT_UNEXPECTED_RESPONSE', 502, `HubSpot's answer to ${what} did not have the documented shape (${err.issues[0]?.message ?? 'invalid'}).`);
}

export function createHubSpotGateway(deps: GatewayDeps): HubSpotGateway {
  async function call<T>(portalId: string, what: string, run: (apis: SdkApis) => Promise<T>): Promise<T> {
    let token = await deps.tokens.getAccessToken(portalId);
    for (let attempt = 0; ; attempt += 1) {
      await deps.limiter.acquire(portalId);
      try {
        return await run(deps.apisFor(token));
      } catch (err) {
        if (err instanceof z.ZodError) throw unexpected(what, err);
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
    listMembershipsPage(portalId, { listId, after, limit = HUBSPOT_SETTINGS.membershipsPageSize }) {
      return call(portalId, `list ${listId} memberships`, async (api) => {
        const page = ZMembershipsPage.parse(await api.listMemberships.getPage(listId, after, undefined, limit));
        return { recordIds: page.results.map((r) => r.recordId), nextAfter: page.paging?.next?.after, total: page.total };
      });
    },

    // POST /crm/v3/lists/search (https://developers.hubspot.com/docs/api-reference/crm-lists-v3/lists/post-crm-v3-lists-search).
    // The SDK's ListSearchRequest (14.0.1) has no objectTypeId and its serializer drops unknown
    // fields, so lists of every object type come back: the contact lists are picked out here.
    searchContactLists(portalId, { query, offset = 0, count = HUBSPOT_SETTINGS.listSearchPageSize }) {
      return call(portalId, 'a list search', async (api) => {
        const res = ZListSearch.parse(await api.lists.doSearch({ query: query || undefined, offset, count, additionalProperties: ['hs_list_size'] }));
        return {
          lists: res.lists
            .filter((l) => l.objectTypeId === CONTACT_OBJECT_TYPE)
            .map((l) => ({ id: l.listId, name: l.name, size: listSize(l.additionalProperties?.hs_list_size), processingType: l.processingType })),
          nextOffset: res.hasMore ? res.offset : undefined,
        };
      });
    },

    async readContacts(portalId, contactIds, options = {}) {
      if (contactIds.length > HUBSPOT_SETTINGS.batchReadMax) {
        throw new AppError('HUBSPOT_BATCH_TOO_LARGE', 400, `HubSpot reads at most ${HUBSPOT_SETTINGS.batchReadMax} contacts per batch (got ${contactIds.length}).`);
      }
      if (!contactIds.length) return { contacts: [], missingIds: [] };
      const properties = [...new Set([...CONTACT_PROPERTIES, ...CONSENT_PROPERTIES, ...(options.extraProperties ?? [])])];
      return call(portalId, 'a contacts batch read', async (api) => {
        const res = ZBatch.parse(await api.contactsBatch.read({ inputs: contactIds.map((id) => ({ id })), properties, propertiesWithHistory: [] }));
        const contacts = res.results.map(toHubSpotContact);
        const found = new Set(contacts.map((c) => c.id));
        return { contacts, missingIds: contactIds.filter((id) => !found.has(id)) };
      });
    },

    createCallEngagement(portalId, input) {
      return call(portalId, 'a call engagement', async (api) => {
        const created = ZHubSpotObject.parse(
          await api.callsBasic.create({
            properties: callProperties(input),
            associations: [
              {
                to: { id: input.contactId },
                types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: CALL_TO_CONTACT_ASSOCIATION }],
              },
            ],
          }),
        );
        return { engagementId: created.id };
      });
    },

    async updateContactProperties(portalId, contactId, properties) {
      await call(portalId, `contact ${contactId} properties`, (api) => api.contactsBasic.update(contactId, { properties }));
    },

    async completeWorkflowCallback(portalId, callbackId, outputFields) {
      await call(portalId, `workflow callback ${callbackId}`, (api) => api.callbacks.complete(callbackId, { outputFields }));
    },
  };
}

function listSize(raw: string | undefined): number | null {
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** Our call record → HubSpot call engagement properties (https://developers.hubspot.com/docs/api-reference/crm-calls-v3). */
function callProperties(input: CallEngagementInput): Record<string, string> {
  const p: Record<string, string> = {
    hs_timestamp: input.timestamp.toISOString(),
    hs_call_title: input.title,
    hs_call_direction: 'OUTBOUND',
    hs_call_status: input.status ?? 'COMPLETED',
  };
  if (input.body !== undefined) p.hs_call_body = input.body;
  if (input.durationMs !== undefined) p.hs_call_duration = String(Math.round(input.durationMs));
  if (input.fromNumber) p.hs_call_from_number = input.fromNumber;
  if (input.toNumber) p.hs_call_to_number = input.toNumber;
  if (input.recordingUrl) p.hs_call_recording_url = input.recordingUrl;
  if (input.dispositionId) p.hs_call_disposition = input.dispositionId;
  return p;
}
