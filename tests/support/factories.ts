import crypto from 'node:crypto';
import type { Db } from '../../backend/src/platform/prisma';
import { createApiKey } from '../../backend/src/domain/portals/api-key.service';

let hubSeq = Math.floor(Math.random() * 1e6);

/** A portal with a working API key; returns the bearer header to use. */
export async function createPortalWithKey(db: Db, overrides: { name?: string; hubId?: bigint } = {}) {
  const portal = await db.portal.create({ data: { hubId: overrides.hubId ?? BigInt(++hubSeq), name: overrides.name ?? `Portal ${hubSeq}` } });
  const key = await createApiKey(db, { portalId: portal.id });
  return { portal, apiKey: key.apiKey, keyId: key.id, auth: { Authorization: `Bearer ${key.apiKey}` } };
}

export async function createContact(db: Db, portalId: string, overrides: Partial<{ phone: string; firstName: string; email: string }> = {}) {
  return db.contact.create({
    data: {
      portalId,
      phone: overrides.phone ?? `+1202555${String(crypto.randomInt(0, 10000)).padStart(4, '0')}`,
      firstName: overrides.firstName ?? 'Ada',
      email: overrides.email ?? null,
    },
  });
}

// Seeded numbers come from a sequence: random ones collide on (portal, phone) once a suite seeds a
// few dozen portals' worth.
let seedPhoneSeq = crypto.randomInt(0, 10_000);
const nextSeedPhone = (prefix: string) => `${prefix}555${String(++seedPhoneSeq % 10_000).padStart(4, '0')}`;

/**
 * One row of each resource the API names by id, for a portal, labelled so a test can find it in an
 * answer: returns the ids by route parameter name (contactId, campaignId, versionId, …).
 */
export async function seedPortalResources(db: Db, portalId: string, label: string): Promise<Record<string, string>> {
  const contact = await db.contact.create({ data: { portalId, phone: nextSeedPhone('+1303'), firstName: label, email: 'seed@example.test' } });
  const imp = await db.import.create({ data: { portalId, source: 'csv', status: 'completed', fileName: `${label}.csv` } });
  const segment = await db.segment.create({ data: { portalId, name: label, rule: { '==': [{ var: 'firstName' }, label] } } });
  const script = await db.script.create({ data: { portalId, name: label, draft: { name: label } } });
  const version = await db.scriptVersion.create({ data: { portalId, scriptId: script.id, version: 1, graph: { name: label }, checksum: 'x' } });
  const campaign = await db.campaign.create({ data: { portalId, name: label, segmentId: segment.id } });
  await db.campaignVariant.create({ data: { portalId, campaignId: campaign.id, scriptVersionId: version.id, label: 'A' } });
  const dnc = await db.dncEntry.create({ data: { portalId, phone: nextSeedPhone('+1303'), reason: label, source: 'manual' } });
  const call = await db.call.create({ data: { portalId, contactId: contact.id, idempotencyKey: `seed-${crypto.randomUUID()}`, toPhone: contact.phone, summary: label } });
  return {
    contactId: contact.id,
    importId: imp.id,
    segmentId: segment.id,
    scriptId: script.id,
    versionId: version.id,
    campaignId: campaign.id,
    dncId: dnc.id,
    callId: call.id,
  };
}
