import { z } from 'zod';
import { CONSENT_LEVELS } from '../campaigns/campaign-defaults';
import { ZRetentionDays } from '../privacy/retention';

// The settings page's PUT /api/v1/settings: every part optional, unknown keys refused. Values
// that need the portal or the whole picture (window inside TCPA hours, pacing within the
// account's limit, numbers in E.164) are checked in settings.service.ts.

const ZId = z.string().trim().min(1).max(200);
export const VOICE_PROVIDERS = ['vapi', 'retell'] as const;

export const ZSettingsUpdate = z.strictObject({
  provider: z
    .strictObject({
      /** Which provider places the portal's calls. Switching with an own key stored needs the new provider's key (or null). */
      name: z.enum(VOICE_PROVIDERS).optional(),
      /** Retell only: the agent that places calls (override_agent_id); null falls back to RETELL_AGENT_ID. */
      retellAgentId: ZId.nullable().optional(),
      /** Retell only: the caller number (E.164) calls go out from when the campaign names none. */
      retellFromNumber: z.string().trim().max(20).nullable().optional(),
      /** The portal's own provider key (Vapi private key or Retell API key); null goes back to the platform's account. Never returned. */
      apiKey: z.string().trim().min(8).max(200).nullable().optional(),
      /** Caller number (E.164) → Vapi phoneNumberId. */
      phoneNumberIds: z.record(z.string().max(20), ZId).optional(),
      defaultPhoneNumberId: ZId.nullable().optional(),
      assistantId: ZId.nullable().optional(),
    })
    .optional(),
  callerIds: z.array(z.string().trim().max(32)).max(50).optional(),
  calling: z
    .strictObject({
      windowStart: z.string().max(5).optional(),
      windowEnd: z.string().max(5).optional(),
      daysOfWeek: z.array(z.int().min(1).max(7)).min(1).max(7).optional(),
      timeZone: z.string().max(64).optional(),
      region: z.string().length(2).optional(),
      minConsent: z.enum(CONSENT_LEVELS).optional(),
    })
    .optional(),
  pacing: z.strictObject({ maxConcurrentCalls: z.int().min(1).optional(), callsPerMinute: z.int().min(1).optional() }).optional(),
  writeback: z
    .strictObject({
      hubspotMatchCsvContacts: z.boolean().optional(),
      hubspotTimelineEventTemplateId: z.string().trim().min(1).max(100).nullable().optional(),
      conversionDispositions: z.array(z.string().trim().min(1).max(40)).max(50).optional(),
    })
    .optional(),
  /** Days kept: call transcripts and messages (after the call ended), raw provider webhook payloads (after receipt). */
  retention: z.strictObject({ transcriptDays: ZRetentionDays.optional(), rawEventDays: ZRetentionDays.optional() }).optional(),
});
export type TSettingsUpdate = z.infer<typeof ZSettingsUpdate>;

export const ZApiKeyCreate = z.strictObject({ name: z.string().trim().min(1).max(100) });
export const ZApiKeyRevoke = z.strictObject({ keyId: z.guid() });
