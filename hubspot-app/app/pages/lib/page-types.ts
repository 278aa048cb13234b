// The shapes the app pages read from the backend's /api/v1 (only the fields they use).

export interface CampaignDto {
  id: string;
  name: string;
  state: string;
  stateReason: string | null;
  segmentId: string | null;
  variants: Array<{ id: string; label: string; weight: number; scriptVersionId: string }>;
  callingWindow: { start: string; end: string; daysOfWeek: number[]; timeZone: string | null };
  pacing: { maxConcurrent: number; callsPerMinute: number };
  maxAttempts: number;
  minConsent: string;
  openEnrollment: boolean;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
}

export interface CampaignProgress {
  campaignId: string;
  state: string;
  total: number;
  byState: Record<string, number>;
  final: number;
  live: number;
  skippedByReason: Record<string, number>;
}

export interface Rates {
  connected: number | null;
  voicemail: number | null;
  noAnswer: number | null;
  converted?: number | null;
}

export interface CampaignAnalytics {
  totals: { finished: number; connected: number; voicemail: number; noAnswer: number; busy: number; failed: number; optedOut: number; inProgress?: number };
  rates: Rates;
  duration: { avgSec: number | null; p50Sec?: number | null; connectedSec?: number };
  cost: { totalUsd: number };
  byOutcome: Record<string, number>;
  byDay: Array<{ day: string; finished: number; connected: number }>;
  byVariant: Array<{ variantId: string | null; label: string | null; finished: number; connected: number; rates: Rates }>;
}

export interface SkipPreview {
  count: number;
  callable: number;
  skipped: { total: number; invalidNumber: number; dnc: number; noConsent: number; outsideWindowToday: number };
}

export const SKIP_WORDS: Array<[keyof SkipPreview['skipped'], string]> = [
  ['dnc', 'on the do-not-call list'],
  ['noConsent', 'without the consent the campaign requires'],
  ['invalidNumber', 'with a number that cannot be called'],
  ['outsideWindowToday', 'outside their calling window for the rest of today (called later)'],
];
