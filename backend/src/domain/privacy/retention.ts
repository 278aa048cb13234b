import { z } from 'zod';

// How long a portal keeps what a call said (transcript, messages) and the providers' raw webhook
// payloads, in days (Portal.settings.retention, set through PUT /api/v1/settings). Each falls back
// to its default on its own, so one malformed value never hides the other.

export const DEFAULT_RETENTION = { transcriptDays: 90, rawEventDays: 30 } as const;
export const RETENTION_MAX_DAYS = 3650;

export const ZRetentionDays = z.int().min(1).max(RETENTION_MAX_DAYS);

const ZRetention = z.object({
  transcriptDays: ZRetentionDays.catch(DEFAULT_RETENTION.transcriptDays).default(DEFAULT_RETENTION.transcriptDays),
  rawEventDays: ZRetentionDays.catch(DEFAULT_RETENTION.rawEventDays).default(DEFAULT_RETENTION.rawEventDays),
});
export type TRetention = z.infer<typeof ZRetention>;

export function readRetention(settings: unknown): TRetention {
  const s = settings && typeof settings === 'object' && !Array.isArray(settings) ? (settings as Record<string, unknown>).retention : undefined;
  return ZRetention.parse(s && typeof s === 'object' && !Array.isArray(s) ? s : {});
}

/** What the purge clears once retention has passed. Both are listed in personal-data.ts. */
export const RETAINED = {
  /** Call columns cleared `transcriptDays` after the call ended. */
  transcript: { table: 'Call', columns: ['transcript', 'messages'] },
  /** ProviderEvent.payload replaced `rawEventDays` after it was received (the row stays: it is the delivery ledger). */
  rawEvent: { table: 'ProviderEvent', columns: ['payload'] },
} as const;

export const PURGED_JSON = { purged: true } as const;
