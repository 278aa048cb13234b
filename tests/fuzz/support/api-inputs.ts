import { z } from 'zod';
import type { RouteInfo } from '../../../backend/src/http/api-router';
import { ROUTE_SCHEMAS } from '../../../backend/src/http/openapi';
import { ZApiKeyCreate, ZApiKeyRevoke, ZSettingsUpdate } from '../../../backend/src/domain/settings/settings.schemas';
import { ZCallNow, ZCardConsent, ZCardDnc, ZCardEnroll, ZCardQuery } from '../../../backend/src/domain/workflows/contact-card.schemas';
import { ZHubSpotListImport } from '../../../backend/src/domain/imports/hubspot-list-import.service';
import { ZContactCallsQuery } from '../../../backend/src/domain/calls/call-query.service';
import { ZAnalyticsQuery } from '../../../backend/src/domain/analytics/analytics.service';

// What each /api/v1 route reads, so the fuzzer knows which hostile inputs it must refuse. The
// route table itself comes from the app (ctx.apiRoutes); the OpenAPI document's schemas
// (ROUTE_SCHEMAS) come first, this file adds the ones it does not describe. A write route that
// is in neither fails the suite, so a new route cannot go unfuzzed by accident.

/**
 * schema: a JSON body checked by this zod schema (the fuzz oracle);
 * object: a JSON object checked by a schema local to its route file (only non-objects are sure to be refused);
 * csv: a CSV upload (any JSON body is the wrong media type);
 * none: the route reads no body.
 */
export type BodyKind = { kind: 'schema'; schema: z.ZodType } | { kind: 'object' } | { kind: 'csv' } | { kind: 'none' };

const schema = (s: z.ZodType): BodyKind => ({ kind: 'schema', schema: s });
const OBJECT: BodyKind = { kind: 'object' };
const NONE: BodyKind = { kind: 'none' };

const BODIES: Record<string, BodyKind> = {
  'post /call-now': schema(ZCallNow),
  'put /contact-card/consent': schema(ZCardConsent),
  'put /contact-card/dnc': schema(ZCardDnc),
  'post /contact-card/enroll': schema(ZCardEnroll),
  'post /imports/hubspot-list': schema(ZHubSpotListImport),
  'put /settings': schema(ZSettingsUpdate),
  'post /settings/api-keys': schema(ZApiKeyCreate),
  'post /settings/api-keys/revoke': schema(ZApiKeyRevoke),
  // The route's envelope takes any graph and answers {valid:false, errors} (200) for a bad one.
  'post /scripts/:scriptId/validate': OBJECT,
  'post /scripts/:scriptId/simulate': OBJECT,
  'post /campaigns/:campaignId/pause': OBJECT,
  'post /upload-tokens': OBJECT,
  'post /dnc/imports': { kind: 'csv' },
  'post /campaigns/:campaignId/start': NONE,
  'post /campaigns/:campaignId/resume': NONE,
  'post /campaigns/:campaignId/cancel': NONE,
  'post /campaigns/:campaignId/close-enrollment': NONE,
  'delete /campaigns/:campaignId': NONE,
  'delete /contacts/:contactId': NONE,
  'delete /dnc': NONE,
  'delete /dnc/:dncId': NONE,
  'delete /scripts/:scriptId': NONE,
  'delete /segments/:segmentId': NONE,
  'put /scripts/:scriptId/versions/:versionId': NONE,
  'patch /scripts/:scriptId/versions/:versionId': NONE,
  'delete /scripts/:scriptId/versions/:versionId': NONE,
};

const QUERIES: Record<string, z.ZodType> = {
  'get /contacts/:contactId/calls': ZContactCallsQuery,
  'get /analytics/campaigns/:campaignId': ZAnalyticsQuery,
  'get /analytics/portal': ZAnalyticsQuery,
  'get /contact-card': ZCardQuery,
};

export const routeKey = (r: RouteInfo) => `${r.method} ${r.path}`;
export const isWrite = (r: RouteInfo) => r.method !== 'get';

export function bodyKindOf(r: RouteInfo): BodyKind | undefined {
  const own = BODIES[routeKey(r)];
  if (own) return own;
  const documented = ROUTE_SCHEMAS[routeKey(r)];
  if (documented?.bodyType === 'csv') return { kind: 'csv' };
  if (documented?.body) return schema(documented.body);
  return undefined;
}

/** The zod schema of a GET route's query string, when it reads one. */
export function querySchemaOf(r: RouteInfo): z.ZodType | undefined {
  if (r.method !== 'get') return undefined;
  return QUERIES[routeKey(r)] ?? ROUTE_SCHEMAS[routeKey(r)]?.query;
}

export const paramsOf = (r: RouteInfo) => [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);

/** The route's URL under /api/v1, each parameter taken from `ids` unless overridden. */
export function urlOf(r: RouteInfo, ids: Record<string, string>, override: Record<string, string> = {}): string {
  return '/api/v1' + r.path.replace(/:(\w+)/g, (_, p: string) => override[p] ?? encodeURIComponent(ids[p]!));
}
