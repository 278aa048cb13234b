import type { Db } from '../../platform/prisma';
import { getPublishedVersion, type PublishedVersion } from '../scripts/script-version.service';

// Script versions are immutable once published (the database refuses an UPDATE: migration
// script_version_immutable), so the dialer keeps the parsed ones it has used instead of reading
// and re-validating the same graph for every attempt of a campaign. Keyed by portal and version,
// so a version is only ever served to its own portal. The expiry only bounds how long a deleted
// version could still be used; the size bound keeps a long-lived worker's memory flat.
const TTL_MS = 60_000;
const MAX_ENTRIES = 500;

const cache = new Map<string, { version: PublishedVersion; until: number }>();

export async function publishedVersionForDial(db: Db, portalId: string, versionId: string): Promise<PublishedVersion> {
  const key = `${portalId}:${versionId}`;
  const hit = cache.get(key);
  const now = Date.now();
  if (hit && hit.until > now) return hit.version;
  const version = await getPublishedVersion(db, portalId, versionId);
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(key, { version, until: now + TTL_MS });
  return version;
}
