import type { Db } from '../../platform/prisma';
import { notFound } from '../../platform/app-error';
import { createApiKey, revokeApiKey } from '../portals/api-key.service';

// The portal's API keys as the settings page manages them: listed without their value (only its
// prefix is kept in the clear), created with the value shown once, revoked by id — this portal's only.

export async function listPortalApiKeys(db: Db, portalId: string) {
  const rows = await db.apiKey.findMany({ where: { portalId }, orderBy: { createdAt: 'desc' }, take: 200 });
  return {
    keys: rows.map((k) => ({
      id: k.id,
      name: k.name,
      hint: `aic_${k.prefix}_…`,
      createdAt: k.createdAt.toISOString(),
      lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
      revokedAt: k.revokedAt?.toISOString() ?? null,
    })),
  };
}

export async function createPortalApiKey(db: Db, portalId: string, name: string) {
  const k = await createApiKey(db, { portalId, name });
  return { id: k.id, name, hint: `aic_${k.prefix}_…`, apiKey: k.apiKey };
}

export async function revokePortalApiKey(db: Db, portalId: string, keyId: string) {
  const owned = await db.apiKey.findFirst({ where: { id: keyId, portalId }, select: { id: true } });
  if (!owned) throw notFound('API key');
  const r = await revokeApiKey(db, { keyId });
  return { id: r.id, revokedAt: r.revokedAt?.toISOString() ?? null };
}
