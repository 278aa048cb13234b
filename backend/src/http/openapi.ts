import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { HttpMethod, RouteInfo } from './api-router';
import { ZCampaignCreate, ZCampaignListQuery, ZCampaignUpdate } from '../domain/campaigns/campaign.schemas';
import { ZListQuery as ZSegmentListQuery, ZPreviewOptions, ZPreviewUnsaved, ZSegmentCreate, ZSegmentUpdate } from '../domain/segments/segment.schemas';
import { ZScriptGraph } from '../domain/scripts/script.schema';
import { ZImportOptions } from '../domain/imports/import-options';
import { ZContactListQuery } from '../domain/contacts/contact.service';
import { ZConsentUpdate } from '../domain/compliance/consent.service';
import { ZAuditQuery } from '../domain/compliance/attempt-audit.service';
import { ZDncAdd, ZDncListQuery } from '../domain/compliance/dnc.service';
import { ZHubSpotListSearchQuery } from '../domain/imports/hubspot-list-search.service';

// The OpenAPI 3.1 description of /api/v1, built from the live route table (every route the
// ApiRouter recorded, with its summary) and the zod schemas the handlers parse with, converted by
// zod 4's own z.toJSONSchema. A route with no schema below is still listed, with its path
// parameters; a schema whose route no longer exists fails the unit test, so the two stay in step.

type Schemas = { body?: z.ZodType; query?: z.ZodType; bodyType?: 'json' | 'csv'; responseType?: 'json' | 'csv' };

// Script envelopes: the route file keeps its own small wrappers around the graph; these mirror
// them around the same ZScriptGraph.
const scriptName = z.string().min(1).max(200);
const ZScriptCreate = z.strictObject({ name: scriptName, graph: ZScriptGraph.optional() });
const ZScriptUpdate = z.strictObject({ draftRevision: z.int().positive(), name: scriptName.optional(), graph: ZScriptGraph.optional() });

export const ROUTE_SCHEMAS: Record<string, Schemas> = {
  'post /campaigns': { body: ZCampaignCreate },
  'get /campaigns': { query: ZCampaignListQuery },
  'patch /campaigns/:campaignId': { body: ZCampaignUpdate },
  'post /segments': { body: ZSegmentCreate },
  'get /segments': { query: ZSegmentListQuery },
  'patch /segments/:segmentId': { body: ZSegmentUpdate },
  'post /segments/preview': { body: ZPreviewUnsaved },
  'post /segments/:segmentId/preview': { body: ZPreviewOptions },
  'post /scripts': { body: ZScriptCreate },
  'patch /scripts/:scriptId': { body: ZScriptUpdate },
  'post /scripts/:scriptId/validate': { body: z.strictObject({ graph: ZScriptGraph.optional() }) },
  'post /scripts/:scriptId/publish': { body: z.strictObject({ draftRevision: z.int().positive().optional() }) },
  'post /imports': { query: ZImportOptions, bodyType: 'csv' },
  'get /contacts': { query: ZContactListQuery },
  'put /contacts/:contactId/consent': { body: ZConsentUpdate },
  'get /contacts/:contactId/audit': { query: ZAuditQuery },
  'get /contacts/:contactId/audit.csv': { responseType: 'csv' },
  'post /dnc': { body: ZDncAdd },
  'get /dnc': { query: ZDncListQuery },
  'get /hubspot/lists': { query: ZHubSpotListSearchQuery },
};

type JsonSchema = Record<string, unknown>;

/** Request-side JSON Schema of a zod schema (defaults optional, transforms by their input). */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete out.$schema;
  return out;
}

const toOpenApiPath = (p: string) => p.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const paramsOf = (p: string) => [...p.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
const tagOf = (p: string) => p.split('/').filter(Boolean)[0] ?? 'api';
const pascal = (s: string) =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
const operationId = (method: HttpMethod, p: string) =>
  method + p.split('/').filter(Boolean).map((seg) => (seg.startsWith(':') ? `By${pascal(seg.slice(1))}` : pascal(seg))).join('');

function queryParameters(schema: z.ZodType): JsonSchema[] {
  const json = jsonSchemaOf(schema);
  const props = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, s]) => ({ name, in: 'query', required: required.has(name), schema: s, ...(s.description ? { description: s.description } : {}) }));
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

function operationFor(route: RouteInfo): JsonSchema {
  const schemas = ROUTE_SCHEMAS[`${route.method} ${route.path}`] ?? {};
  const parameters: JsonSchema[] = paramsOf(route.path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }));
  if (schemas.query) parameters.push(...queryParameters(schemas.query));
  const op: JsonSchema = {
    operationId: operationId(route.method, route.path),
    summary: route.summary,
    tags: [tagOf(route.path)],
    parameters,
    responses: {
      '200':
        schemas.responseType === 'csv'
          ? { description: 'OK: a CSV file, streamed', content: { 'text/csv': { schema: { type: 'string' } } } }
          : { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } },
      '400': errorResponse('Invalid input: a code, a sentence, and the paths of the problems.'),
      '401': errorResponse('No valid portal credentials.'),
      '404': errorResponse('Not found in this portal.'),
    },
  };
  if (schemas.bodyType === 'csv') {
    op.requestBody = {
      required: true,
      content: {
        'text/csv': { schema: { type: 'string' } },
        'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', contentMediaType: 'text/csv' }, ...(jsonSchemaOf(schemas.query!).properties as object) } } },
      },
    };
  } else if (schemas.body) {
    op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchemaOf(schemas.body) } } };
  }
  return op;
}

let version: string | undefined;
function packageVersion(): string {
  if (version) return version;
  try {
    version = String(JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')).version ?? '0.0.0');
  } catch {
    version = '0.0.0';
  }
  return version;
}

export function buildOpenApiDocument(routes: readonly RouteInfo[], opts: { serverUrl?: string } = {}): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const p = toOpenApiPath(route.path);
    (paths[p] ??= {})[route.method] = operationFor(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'hubspot-ai-calling API',
      version: packageVersion(),
      description:
        'The product API: contacts, imports, do-not-call, segments, scripts, campaigns. Every route works inside one portal, ' +
        'identified by a portal API key (Authorization: Bearer) or a HubSpot-signed request from a card (X-HubSpot-Signature-v3). ' +
        'Errors are {"error":{"code","message","details?"}}.',
    },
    servers: [{ url: `${opts.serverUrl ?? ''}/api/v1` }],
    security: [{ portalApiKey: [] }, { hubspotSignature: [] }],
    tags: [...new Set(routes.map((r) => tagOf(r.path)))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        portalApiKey: { type: 'http', scheme: 'bearer', description: 'A portal API key (npm run admin -- apikey:create --portal <id>).' },
        hubspotSignature: { type: 'apiKey', in: 'header', name: 'X-HubSpot-Signature-v3', description: 'hubspot.fetch from a card or page, signed by HubSpot.' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} } } },
        },
      },
    },
  };
}
