// IANA time zone names, validated against the runtime's own Intl data (the same data the
// calling-window check uses), so a zone we store is a zone we can compute local time in.

const MAX_CACHE = 2000;
const byLowerName = new Map<string, string>();
for (const tz of Intl.supportedValuesOf('timeZone')) byLowerName.set(tz.toLowerCase(), tz);
byLowerName.set('utc', 'UTC');

const cache = new Map<string, string | null>();

function resolve(value: string): string | null {
  // HubSpot's hs_timezone internal values spell "/" as "_slash_" (america_slash_new_york).
  const name = value.trim().replace(/_slash_/gi, '/');
  if (!name || name.length > 64) return null;
  const known = byLowerName.get(name.toLowerCase());
  if (known) return known;
  // Aliases such as US/Eastern are valid to Intl but not listed; keep the name Intl resolves to.
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The canonical IANA name for a time zone written in a file or API call, or null if it is not one. */
export function canonicalTimeZone(value: string | null | undefined): string | null {
  if (!value) return null;
  const hit = cache.get(value);
  if (hit !== undefined) return hit;
  const result = resolve(value);
  // Files repeat the same few zones; the cap keeps a hostile file from growing the cache.
  if (cache.size < MAX_CACHE) cache.set(value, result);
  return result;
}

export function isTimeZone(value: string): boolean {
  return canonicalTimeZone(value) !== null;
}
