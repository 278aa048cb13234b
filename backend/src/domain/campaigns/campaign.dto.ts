// The one JSON shape of a campaign the API returns.
import { readRetryPolicy } from './campaign-validation';

export interface CampaignRow {
  id: string;
  name: string;
  state: string;
  stateReason: string | null;
  segmentId: string | null;
  provider: string;
  callerId: string | null;
  timeZone: string | null;
  windowStart: string;
  windowEnd: string;
  daysOfWeek: number[];
  startAt: Date | null;
  endAt: Date | null;
  maxConcurrent: number;
  callsPerMinute: number;
  maxAttempts: number;
  retryPolicy: unknown;
  minConsent: string;
  openEnrollment: boolean;
  createdBy: string | null;
  startedBy: string | null;
  startedAt: Date | null;
  pausedAt: Date | null;
  completedAt: Date | null;
  cancelledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  variants: { id: string; label: string; weight: number; scriptVersionId: string }[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toCampaignDto(c: CampaignRow) {
  return {
    id: c.id,
    name: c.name,
    state: c.state,
    stateReason: c.stateReason,
    segmentId: c.segmentId,
    variants: [...c.variants]
      .sort((a, b) => (a.label < b.label ? -1 : 1))
      .map((v) => ({ id: v.id, label: v.label, weight: v.weight, scriptVersionId: v.scriptVersionId })),
    schedule: { startAt: iso(c.startAt), endAt: iso(c.endAt) },
    callingWindow: { start: c.windowStart, end: c.windowEnd, daysOfWeek: c.daysOfWeek, timeZone: c.timeZone },
    pacing: { maxConcurrent: c.maxConcurrent, callsPerMinute: c.callsPerMinute },
    retryPolicy: readRetryPolicy(c.retryPolicy),
    maxAttempts: c.maxAttempts,
    callerId: c.callerId,
    minConsent: c.minConsent,
    openEnrollment: c.openEnrollment,
    provider: c.provider,
    createdBy: c.createdBy,
    startedBy: c.startedBy,
    startedAt: iso(c.startedAt),
    pausedAt: iso(c.pausedAt),
    completedAt: iso(c.completedAt),
    cancelledAt: iso(c.cancelledAt),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
export type CampaignDto = ReturnType<typeof toCampaignDto>;
