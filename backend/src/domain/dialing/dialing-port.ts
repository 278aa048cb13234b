import type { CallPlan, VoiceProvider } from '../../providers/voice/voice-provider';
import type { PublishedVersion } from '../scripts/script-version.service';

// What the dialer needs from the voice side for one portal: the provider, which account it
// dials on (accounts, not portals, own concurrency and rate limits) and how to turn a published
// script version into a call plan. Implemented in providers/voice/voice-router.ts.
export interface PortalVoice {
  provider: VoiceProvider;
  accountKey: string;
  /** Live calls the account allows (Vapi default 10) and calls it may start per minute. */
  accountConcurrency: number;
  accountCallsPerMinute: number;
  buildPlan(input: {
    attemptId: string;
    version: PublishedVersion;
    contact: { id: string; phone: string; firstName: string | null; lastName: string | null; email: string | null; company: string | null; timeZone: string | null; properties: unknown };
    callerId: string | null;
    metadata: Record<string, string | number | boolean | null>;
  }): CallPlan;
}

export type VoiceLookup = { ok: true; voice: PortalVoice } | { ok: false; reason: string };

export interface VoiceRouter {
  forPortal(portal: { id: string; voiceProvider: string; providerCredentialsEnc: string | null; maxConcurrentCalls: number; callsPerMinute: number; settings: unknown }): VoiceLookup;
}
