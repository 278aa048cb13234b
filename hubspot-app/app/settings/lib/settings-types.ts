// GET /api/v1/settings (and the answer of PUT) as the settings page reads it: the shape
// backend/src/domain/settings/settings.service.ts getSettings returns.

export type VoiceProviderName = 'vapi' | 'retell';

export interface SettingsData {
  provider: {
    /** The provider placing this portal's calls now. */
    name: VoiceProviderName;
    /** Whose account places them: the portal's own key, the platform's account, or none yet. */
    source: 'own_key' | 'platform_default' | 'none';
    /** The own key's last characters (`…abcd`); the key itself is never returned. */
    keyHint: string | null;
    /** An own key is stored but cannot be decrypted with this server's key. */
    unreadable: boolean;
    /** Vapi: caller number (E.164) → Vapi phoneNumberId. */
    phoneNumberIds: Record<string, string>;
    defaultPhoneNumberId: string | null;
    assistantId: string | null;
    /** Whether the platform has an account for the current provider to fall back on. */
    platformDefaultAvailable: boolean;
    retell: {
      /** The portal's agent (null: the platform's RETELL_AGENT_ID). */
      agentId: string | null;
      /** The portal's caller number when a campaign names none (null: the platform's RETELL_FROM_NUMBER). */
      fromNumber: string | null;
      platformAgentId: string | null;
      platformFromNumber: string | null;
    };
  };
  callerIds: string[];
  calling: { windowStart: string; windowEnd: string; daysOfWeek: number[]; timeZone: string; region: string; minConsent: 'none' | 'express' | 'written' };
  pacing: { maxConcurrentCalls: number; callsPerMinute: number };
  limits: { maxConcurrentCalls: number; callsPerMinute: number };
  /** The plan in force (read-only); present when the server has plan defaults, which it always does over HTTP. */
  plan?: { maxImportRows: number; maxCampaignContacts: number };
  writeback: { hubspotMatchCsvContacts: boolean; hubspotTimelineEventTemplateId: string | null; conversionDispositions: string[] };
  /** Days kept: transcripts and messages, raw provider webhook payloads. */
  retention: { transcriptDays: number; rawEventDays: number };
}
