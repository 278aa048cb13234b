import crypto from 'node:crypto';
import type { Db } from '../../platform/prisma';
import { AppError } from '../../platform/app-error';
import { sha256Hex } from '../../platform/crypto';

// Portal API keys: "aic_<8 char prefix>_<32 random bytes>". Shown once; only the SHA-256 of
// the whole key is stored. A high-entropy random key needs no slow hash.
const KEY_RE = /^aic_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export async function createApiKey(db: Db, opts: { portalId: string; name?: string }) {
  const portal = await db.portal.findUnique({ where: { id: opts.portalId }, select: { id: true } });
  if (!portal) throw new AppError('PORTAL_NOT_FOUND', 404, 'No portal with that id exists.');
  const prefix = crypto.randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8);
  const apiKey = `aic_${prefix}_${crypto.randomBytes(32).toString('base64url')}`;
  const row = await db.apiKey.create({
    data: { portalId: opts.portalId, name: opts.name ?? 'default', prefix, keyHash: sha256Hex(apiKey) },
  });
  return { id: row.id, portalId: row.portalId, prefix, apiKey };
}

export async function revokeApiKey(db: Db, opts: { keyId?: string; apiKey?: string }) {
  const where = opts.keyId ? { id: opts.keyId } : opts.apiKey ? { keyHash: sha256Hex(opts.apiKey) } : null;
  if (!where) throw new AppError('API_KEY_REQUIRED', 400, 'Name the key to revoke by id or by its value.');
  const row = await db.apiKey.findUnique({ where });
  if (!row) throw new AppError('API_KEY_NOT_FOUND', 404, 'No API key matches.');
  const updated = await db.apiKey.update({ where: { id: row.id }, data: { revokedAt: row.revokedAt ?? new Date() } });
  return { id: updated.id, portalId: updated.portalId, revokedAt: updated.revokedAt };
}

export type ApiKeyResolution =
  | { ok: true; portalId: string; keyId: string }
  | { ok: false; code: 'API_KEY_MALFORMED' | 'API_KEY_UNKNOWN' | 'API_KEY_REVOKED' };

export async function resolveApiKey(db: Db, apiKey: string): Promise<ApiKeyResolution> {
  if (!KEY_RE.test(apiKey)) return { ok: false, code: 'API_KEY_MALFORMED' };
  const row = await db.apiKey.findUnique({ where: { keyHash: sha256Hex(apiKey) } });
  if (!row) return { ok: false, code: 'API_KEY_UNKNOWN' };
  if (row.revokedAt) return { ok: false, code: 'API_KEY_REVOKED' };
  // Last-used is informational; a stale value is fine, so it is not awaited on the hot path.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    void db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
  }
  return { ok: true, portalId: row.portalId, keyId: row.id };
}
