import { z } from 'zod';
import type { CallOutcome } from '../../providers/voice/voice-provider';
import type { TResultsSettings } from '../calls/results-settings';

// Which HubSpot write-backs a finished call owes, as Outbox rows written in the transaction that
// finalises the call (design.md §4.5: the change and the promise to report it commit together).
// One row per kind, deduplicated on (portal, kind:callId), so finalising twice cannot owe twice.
// Payloads carry ids, not copies of the call: the sender reads the call when it sends, so an
// erasure in between is honoured and nothing personal waits in the outbox.

export const OUTBOX_KINDS = ['hubspot.call', 'hubspot.contact', 'hubspot.timeline'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

export const ZOutboxPayload = z.object({
  callId: z.string().uuid(),
  /** hubspot.contact: properties the script's disposition rule asks for. */
  properties: z.record(z.string(), z.string()).optional(),
  /** hubspot.timeline: the app-event template configured when the call ended. */
  eventTemplateId: z.string().optional(),
});
export type TOutboxPayload = z.infer<typeof ZOutboxPayload>;

export interface PlannedOutboxRow {
  portalId: string;
  kind: OutboxKind;
  dedupeKey: string;
  aggregateId: string;
  payload: TOutboxPayload;
}

/** Outcomes that never reached the contact for reasons on our side: nothing to show on their timeline. */
const NOT_REPORTED: ReadonlySet<CallOutcome> = new Set(['capacity', 'account_blocked']);

export function planCallWritebacks(input: {
  portalId: string;
  hubspotInstalled: boolean;
  settings: TResultsSettings;
  callId: string;
  outcome: CallOutcome;
  hasHubSpotContact: boolean;
  hubspotProperties: Record<string, string>;
}): PlannedOutboxRow[] {
  if (!input.hubspotInstalled || NOT_REPORTED.has(input.outcome)) return [];
  // A contact HubSpot does not know (a CSV import) is matched by phone/email at send time, or left unsynced.
  if (!input.hasHubSpotContact && !input.settings.hubspotMatchCsvContacts) return [];
  const row = (kind: OutboxKind, payload: TOutboxPayload): PlannedOutboxRow => ({
    portalId: input.portalId,
    kind,
    dedupeKey: `${kind}:${input.callId}`,
    aggregateId: input.callId,
    payload,
  });
  const rows = [row('hubspot.call', { callId: input.callId }), row('hubspot.contact', { callId: input.callId, properties: input.hubspotProperties })];
  const template = input.settings.hubspotTimelineEventTemplateId;
  if (template) rows.push(row('hubspot.timeline', { callId: input.callId, eventTemplateId: template }));
  return rows;
}
