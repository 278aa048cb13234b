import type { FakeAccount, FakeRecord, HubSpotFakeState } from './state';

// CRM record shape shared by contacts and calls: HubSpot's SimplePublicObject
// {id, properties, createdAt, updatedAt, archived}. Property values are strings (or null when a
// requested property has no value); hs_object_id, createdate and lastmodifieddate are always there.

export const DEFAULT_PROPERTIES: Record<'contacts' | 'calls', string[]> = {
  contacts: ['firstname', 'lastname', 'email'],
  calls: ['hs_timestamp', 'hs_call_title', 'hs_call_status'],
};

const ALWAYS = ['hs_object_id', 'createdate', 'lastmodifieddate'];

/** HubSpot stores property values as strings; numbers and booleans are accepted and stringified. */
export function normaliseProperties(input: unknown): Record<string, string | null> | string {
  if (input === undefined) return {};
  if (!input || typeof input !== 'object' || Array.isArray(input)) return 'properties must be an object of property name to value';
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(input)) {
    if (v === null) out[k] = null;
    else if (['string', 'number', 'boolean'].includes(typeof v)) out[k] = String(v);
    else return `Property "${k}" has a value that is not a string, number or boolean`;
  }
  return out;
}

export function createRecord(state: HubSpotFakeState, store: Map<string, FakeRecord>, properties: Record<string, string | null>, now = new Date()): FakeRecord {
  const id = state.newId();
  const iso = now.toISOString();
  const record: FakeRecord = {
    id,
    properties: { ...properties, hs_object_id: id, createdate: iso, lastmodifieddate: iso },
    createdAt: iso,
    updatedAt: iso,
  };
  store.set(id, record);
  return record;
}

export function updateRecord(record: FakeRecord, properties: Record<string, string | null>): FakeRecord {
  const iso = new Date().toISOString();
  Object.assign(record.properties, properties, { lastmodifieddate: iso });
  record.updatedAt = iso;
  return record;
}

/** Query `properties` may be repeated or comma-separated; both reach HubSpot from real clients. */
export function requestedProperties(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  const list = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(',')).map((s) => s.trim()).filter(Boolean);
  return list;
}

export function toPublicObject(record: FakeRecord, type: 'contacts' | 'calls', wanted?: string[]) {
  const names = [...new Set([...(wanted && wanted.length ? wanted : DEFAULT_PROPERTIES[type]), ...ALWAYS])];
  const properties: Record<string, string | null> = {};
  for (const n of names) properties[n] = record.properties[n] ?? null;
  return { id: record.id, properties, createdAt: record.createdAt, updatedAt: record.updatedAt, archived: false };
}

export function findContactByEmail(account: FakeAccount, email: string): FakeRecord | undefined {
  const needle = email.toLowerCase();
  for (const c of account.contacts.values()) if (c.properties.email?.toLowerCase() === needle) return c;
  return undefined;
}
