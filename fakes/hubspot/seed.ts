import type { FakeListProcessingType, FakeRecord, HubSpotFakeState } from './state';

// Seed helpers: accounts full of contacts and lists, fast enough for 10k+ members (plain Map
// inserts, no per-record HTTP). Generated phones use the 555 exchange (fictional numbers).

export interface SeedContact {
  firstname?: string;
  lastname?: string;
  email?: string;
  phone?: string;
  mobilephone?: string;
  company?: string;
  hs_timezone?: string;
  [property: string]: string | undefined;
}

export function seedContacts(state: HubSpotFakeState, hubId: number, contacts: SeedContact[]): FakeRecord[] {
  const account = state.account(hubId);
  const iso = new Date().toISOString();
  return contacts.map((c) => {
    const id = state.newId();
    const properties: Record<string, string | null> = { hs_object_id: id, createdate: iso, lastmodifieddate: iso };
    for (const [k, v] of Object.entries(c)) if (v !== undefined) properties[k] = v;
    const record: FakeRecord = { id, properties, createdAt: iso, updatedAt: iso };
    account.contacts.set(id, record);
    return record;
  });
}

/** n generated contacts with distinct phone numbers (+1 NXX 555 xxxx) and emails. */
export function generateContacts(n: number, offset = 0): SeedContact[] {
  return Array.from({ length: n }, (_, i) => {
    const k = i + offset;
    return {
      firstname: `First${k}`,
      lastname: `Last${k}`,
      email: `contact${k}@example.test`,
      phone: `+1${202 + (Math.floor(k / 10000) % 700)}555${String(k % 10000).padStart(4, '0')}`,
      company: `Company ${k % 97}`,
      hs_timezone: k % 2 ? 'america_slash_new_york' : 'america_slash_los_angeles',
    };
  });
}

/**
 * A contact list (manual unless told) of the given records (or `size` generated contacts) in one
 * call. A list of another object type (`objectTypeId` other than 0-1) gets `size` made-up record
 * ids and no contacts.
 */
export function seedList(
  state: HubSpotFakeState,
  opts: { hubId: number; name?: string; size?: number; contactIds?: string[]; processingType?: FakeListProcessingType; objectTypeId?: string },
): { listId: string; contactIds: string[] } {
  const account = state.account(opts.hubId);
  const objectTypeId = opts.objectTypeId ?? '0-1';
  const recordIds =
    opts.contactIds ??
    (objectTypeId === '0-1'
      ? seedContacts(state, opts.hubId, generateContacts(opts.size ?? 0, account.contacts.size)).map((r) => r.id)
      : Array.from({ length: opts.size ?? 0 }, () => state.newId()));
  const listId = state.newId();
  const ts = new Date().toISOString();
  account.lists.set(listId, {
    listId,
    name: opts.name ?? `List ${listId}`,
    objectTypeId,
    processingType: opts.processingType ?? 'MANUAL',
    createdAt: ts,
    members: recordIds.map((recordId) => ({ recordId, membershipTimestamp: ts })),
  });
  return { listId, contactIds: objectTypeId === '0-1' ? recordIds : [] };
}

/**
 * A few lists of every processing type for trying the list picker by hand (`npm run fakes:hubspot`,
 * the demo): three contact lists, and a company list that a contact-list search must not show.
 */
export function seedDemoLists(state: HubSpotFakeState, hubId: number): Array<{ listId: string; name: string }> {
  const lists: Array<{ name: string; size: number; processingType: FakeListProcessingType; objectTypeId?: string }> = [
    { name: 'Spring solar leads', size: 12, processingType: 'MANUAL' },
    { name: 'Webinar attendees (solar)', size: 8, processingType: 'DYNAMIC' },
    { name: 'Newsletter subscribers', size: 5, processingType: 'SNAPSHOT' },
    { name: 'Solar installers (companies)', size: 3, processingType: 'DYNAMIC', objectTypeId: '0-2' },
  ];
  return lists.map((l) => ({ listId: seedList(state, { hubId, ...l }).listId, name: l.name }));
}

/** HubSpot hands the app a callback id when a workflow enrolls a record in its custom action. */
export function enrollCallback(state: HubSpotFakeState, hubId: number): string {
  const callbackId = `ap-${hubId}-${state.newId()}-0`;
  state.account(hubId).pendingCallbacks.add(callbackId);
  return callbackId;
}
