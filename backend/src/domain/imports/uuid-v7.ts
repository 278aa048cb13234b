import crypto from 'node:crypto';

// Time-ordered ids (UUID version 7: the Unix millisecond in the first 48 bits, then random bits)
// for the contacts an import creates. Their primary key and ImportContact's keys then grow at
// their right edge instead of touching random index pages (measured on 850k rows: 67 s against
// 101 s with random v4 ids). Made here rather than in the merge's SQL: Postgres spent ~4 µs a row
// building them there (gen_random_uuid plus the byte surgery), inside the one-transaction merge.

/** A version 7 UUID for the given millisecond (default: now). */
export function uuidV7(ms: number = Date.now()): string {
  // randomUUID() is a v4 with its variant bits already set; keep its random part, put the time
  // over the first 12 hex digits and the version digit 7 in place of its 4.
  const random = crypto.randomUUID();
  const time = ms.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}
