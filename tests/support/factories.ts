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
