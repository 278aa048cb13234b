import { z } from 'zod';

// The per-portal settings (Portal.settings JSON) the results side reads. Each falls back to its
// default on its own, so one malformed value never hides the others.

/** Script outcomes that count as a conversion unless the portal lists its own. */
export const DEFAULT_CONVERSION_DISPOSITIONS = ['qualified', 'converted', 'interested', 'appointment_set', 'meeting_booked', 'sale', 'transferred'];

const ZResultsSettings = z.object({
  /** Contacts without a HubSpot id (CSV imports): look them up in HubSpot by phone, then email; else leave them unsynced. */
  hubspotMatchCsvContacts: z.boolean().catch(false).default(false),
  /** An approved app-event (timeline) template; when set, each call also posts a timeline event. */
  hubspotTimelineEventTemplateId: z.string().min(1).max(100).optional().catch(undefined),
  /** Which script outcomes (Call.disposition) analytics counts as converted. */
  conversionDispositions: z.array(z.string().min(1).max(40)).max(50).catch(DEFAULT_CONVERSION_DISPOSITIONS).default(DEFAULT_CONVERSION_DISPOSITIONS),
});
export type TResultsSettings = z.infer<typeof ZResultsSettings>;

export function readResultsSettings(settings: unknown): TResultsSettings {
  const input = settings && typeof settings === 'object' && !Array.isArray(settings) ? settings : {};
  return ZResultsSettings.parse(input);
}
