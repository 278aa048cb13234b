import express, { type Router } from 'express';
import type { FakeRecord, HubSpotFakeState } from '../state';
import { hubIdOf, paramOf, requireToken } from '../middleware';
import { sendApiError, validationError } from '../hubspot-errors';
import { toPublicObject } from '../crm-objects';

// What the call write-back uses beyond records: CRM search (calls by hs_call_external_id,
// contacts by phone or email), property groups and properties (our own group on contacts), and
// app timeline events. Shapes from HubSpot's docs: search POST /crm/v3/objects/{type}/search
// {filterGroups:[{filters:[{propertyName, operator:'EQ', value}]}]} → {total, results, paging?};
// groups and properties answer 201 on create and 409 CONFLICT when the name exists;
// /integrators/timeline/v3/events answers 201, and 409 for an event id already used.

const READ = ['crm.objects.contacts.read', 'crm.objects.contacts.write'];
/** Creating properties needs the schema scope (HubSpot: crm.schemas.contacts.write). */
const SCHEMA_WRITE = ['crm.schemas.contacts.write'];
const SCHEMA_READ = ['crm.schemas.contacts.read', 'crm.schemas.contacts.write'];
const TIMELINE = ['timeline'];

export interface FakeWritebackAccount {
  groups: Map<string, Set<string>>;
  properties: Map<string, Map<string, Record<string, unknown>>>;
  timelineEvents: Map<string, { id: string; eventTemplateId: string; objectId: string; tokens: Record<string, string>; at: string }>;
}

const stores = new WeakMap<HubSpotFakeState, Map<number, FakeWritebackAccount>>();

/** The groups, properties and timeline events the fake holds for one account (tests inspect it). */
export function writebackOf(state: HubSpotFakeState, hubId: number): FakeWritebackAccount {
  let byHub = stores.get(state);
  if (!byHub) stores.set(state, (byHub = new Map()));
  let a = byHub.get(hubId);
  if (!a) byHub.set(hubId, (a = { groups: new Map(), properties: new Map(), timelineEvents: new Map() }));
  return a;
}

interface Filter {
  propertyName?: unknown;
  operator?: unknown;
  value?: unknown;
}

// EQ only (what the app uses); HubSpot compares property values as strings, emails case-insensitively.
function matches(record: FakeRecord, filters: Filter[]): boolean {
  return filters.every((f) => {
    const actual = record.properties[String(f.propertyName)];
    if (actual == null) return false;
    const want = String(f.value ?? '');
    return f.propertyName === 'email' ? actual.toLowerCase() === want.toLowerCase() : actual === want;
  });
}

function search(store: Map<string, FakeRecord>, body: { filterGroups?: Array<{ filters?: Filter[] }>; properties?: unknown; limit?: unknown }, type: 'contacts' | 'calls') {
  const groups = body.filterGroups ?? [];
  const limit = Math.min(Number(body.limit ?? 10) || 10, 200);
  const found = [...store.values()].filter((r) => groups.length === 0 || groups.some((g) => matches(r, g.filters ?? [])));
  const wanted = Array.isArray(body.properties) ? body.properties.map(String) : undefined;
  return { total: found.length, results: found.slice(0, limit).map((r) => toPublicObject(r, type, wanted)) };
}

export function writebackRoutes(state: HubSpotFakeState): Router {
  const r = express.Router();

  for (const type of ['contacts', 'calls'] as const) {
    r.post(`/crm/v3/objects/${type}/search`, requireToken(state, READ), (req, res) => {
      const body = req.body ?? {};
      const ops = (body.filterGroups ?? []).flatMap((g: { filters?: Filter[] }) => g.filters ?? []).map((f: Filter) => f.operator);
      if (ops.some((op: unknown) => op !== 'EQ')) return validationError(res, 'The fake supports the EQ operator only.');
      const account = state.account(hubIdOf(res));
      res.json(search(type === 'contacts' ? account.contacts : account.calls, body, type));
    });
  }

  r.post('/crm/v3/properties/:objectType/groups', requireToken(state, SCHEMA_WRITE), (req, res) => {
    const { name, label } = req.body ?? {};
    if (typeof name !== 'string' || typeof label !== 'string') return validationError(res, 'name and label are required');
    const w = writebackOf(state, hubIdOf(res));
    const type = paramOf(req, 'objectType');
    const groups = w.groups.get(type) ?? w.groups.set(type, new Set()).get(type)!;
    if (groups.has(name)) return sendApiError(res, 409, 'CONFLICT', `A property group named '${name}' already exists.`);
    groups.add(name);
    res.status(201).json({ name, label, displayOrder: req.body.displayOrder ?? -1, archived: false });
  });

  r.post('/crm/v3/properties/:objectType', requireToken(state, SCHEMA_WRITE), (req, res) => {
    const p = req.body ?? {};
    if (typeof p.name !== 'string' || typeof p.label !== 'string' || typeof p.type !== 'string' || typeof p.fieldType !== 'string' || typeof p.groupName !== 'string') {
      return validationError(res, 'name, label, type, fieldType and groupName are required');
    }
    const w = writebackOf(state, hubIdOf(res));
    const type = paramOf(req, 'objectType');
    if (!w.groups.get(type)?.has(p.groupName)) return validationError(res, `Property group ${p.groupName} does not exist.`);
    const props = w.properties.get(type) ?? w.properties.set(type, new Map()).get(type)!;
    if (props.has(p.name)) return sendApiError(res, 409, 'CONFLICT', `Property named '${p.name}' already exists.`);
    props.set(p.name, p);
    res.status(201).json({ ...p, createdAt: new Date().toISOString(), archived: false });
  });

  r.get('/crm/v3/properties/:objectType/:propertyName', requireToken(state, SCHEMA_READ), (req, res) => {
    const p = writebackOf(state, hubIdOf(res)).properties.get(paramOf(req, 'objectType'))?.get(paramOf(req, 'propertyName'));
    if (!p) return sendApiError(res, 404, 'OBJECT_NOT_FOUND', `Unable to find property ${paramOf(req, 'propertyName')}`);
    res.json(p);
  });

  r.post('/integrators/timeline/v3/events', requireToken(state, TIMELINE), (req, res) => {
    const e = req.body ?? {};
    if (typeof e.eventTemplateId !== 'string' || !e.tokens || typeof e.tokens !== 'object') return validationError(res, 'eventTemplateId and tokens are required');
    if (typeof e.objectId !== 'string' && typeof e.email !== 'string') return validationError(res, 'objectId, email or utk is required');
    const account = state.account(hubIdOf(res));
    if (e.objectId && !account.contacts.has(e.objectId)) return validationError(res, `No CONTACT with id ${e.objectId}.`);
    const w = writebackOf(state, hubIdOf(res));
    const id = typeof e.id === 'string' ? e.id : state.newId();
    if (w.timelineEvents.has(id)) return sendApiError(res, 409, 'CONFLICT', `An event with id ${id} already exists for template ${e.eventTemplateId}.`);
    const event = { id, eventTemplateId: e.eventTemplateId, objectId: String(e.objectId ?? ''), tokens: e.tokens, at: new Date().toISOString() };
    w.timelineEvents.set(id, event);
    res.status(201).json({ ...event, objectType: 'contacts' });
  });

  return r;
}
