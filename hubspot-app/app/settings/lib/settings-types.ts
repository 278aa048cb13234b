// GET /api/v1/settings as the settings page reads it.
export interface SettingsData {
  provider: {
    name: string;
    source: 'own_key' | 'platform_default' | 'none';
    keyHint: string | null;
    unreadable: boolean;
    phoneNumberIds: Record<string, string>;
    defaultPhoneNumberId: string | null;
    assistantId: string | null;
    platformDefaultAvailable: boolean;
  };
  callerIds: string[];
  calling: { windowStart: string; windowEnd: string; daysOfWeek: number[]; timeZone: string; region: string; minConsent: 'none' | 'express' | 'written' };
  pacing: { maxConcurrentCalls: number; callsPerMinute: number };
  limits: { maxConcurrentCalls: number; callsPerMinute: number };
  writeback: { hubspotMatchCsvContacts: boolean; hubspotTimelineEventTemplateId: string | null; conversionDispositions: string[] };
}
