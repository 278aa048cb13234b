// Turns campaign input into the full settings to store - the defaults, or the draft being edited,
// overlaid with what was sent - and checks them against this portal: its provider account's
// pacing limits, its caller ids, its segments and its published script versions. Every problem is
// a sentence with a path; the first one decides the error code, and nothing is written.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Db } from '../../platform/prisma';
import { AppError } from '../../platform/app-error';
import { validateCampaignWindow } from '../compliance/calling-window-validation';
import type { ConsentLevel, PortalCallingDefaults } from './campaign-defaults';
import { defaultVariantLabel } from './campaign-variants';
import { RETRY_OUTCOMES, type TCampaignCreate, type TCampaignUpdate, type TRetryPolicy } from './campaign.schemas';

export const DEFAULT_RETRY_POLICY: TRetryPolicy = {
  no_answer: { retry: true, delayMinutes: 240 },
  busy: { retry: true, delayMinutes: 30 },
  voicemail: { retry: true, delayMinutes: 1440 },
  failed: { retry: true, delayMinutes: 60 },
};

export interface CampaignSettings {
  name: string;
  segmentId: string | null;
  startAt: Date | null;
  endAt: Date | null;
  windowStart: string;
  windowEnd: string;
  daysOfWeek: number[];
  timeZone: string | null;
  maxConcurrent: number;
  callsPerMinute: number;
  retryPolicy: TRetryPolicy;
  maxAttempts: number;
  callerId: string | null;
  minConsent: ConsentLevel;
  openEnrollment: boolean;
}

export interface VariantInput {
  scriptVersionId: string;
  weight: number;
  label: string;
}

interface Problem {
  code: string;
  path: string;
  message: string;
}

/** Stored retry policy (JSON) read back over the defaults, tolerating older or partial shapes. */
export function readRetryPolicy(stored: unknown): TRetryPolicy {
  const out = { ...DEFAULT_RETRY_POLICY };
  if (stored && typeof stored === 'object') {
    for (const o of RETRY_OUTCOMES) {
      const r = (stored as Record<string, unknown>)[o] as { retry?: unknown; delayMinutes?: unknown } | undefined;
      if (r && typeof r.retry === 'boolean' && Number.isInteger(r.delayMinutes)) out[o] = { retry: r.retry, delayMinutes: r.delayMinutes as number };
    }
  }
  return out;
}

export function mergeSettings(base: CampaignSettings, input: TCampaignCreate | TCampaignUpdate): CampaignSettings {
  const w = input.callingWindow ?? {};
  const date = (v: string | null | undefined, keep: Date | null) => (v === undefined ? keep : v === null ? null : new Date(v));
  return {
    name: input.name ?? base.name,
    segmentId: input.segmentId === undefined ? base.segmentId : input.segmentId,
    startAt: date(input.schedule?.startAt, base.startAt),
    endAt: date(input.schedule?.endAt, base.endAt),
    windowStart: w.start ?? base.windowStart,
    windowEnd: w.end ?? base.windowEnd,
    daysOfWeek: w.daysOfWeek ?? base.daysOfWeek,
    timeZone: w.timeZone === undefined ? base.timeZone : w.timeZone,
    maxConcurrent: input.pacing?.maxConcurrent ?? base.maxConcurrent,
    callsPerMinute: input.pacing?.callsPerMinute ?? base.callsPerMinute,
    retryPolicy: { ...base.retryPolicy, ...(input.retryPolicy ?? {}) } as TRetryPolicy,
    maxAttempts: input.maxAttempts ?? base.maxAttempts,
    callerId: input.callerId === undefined ? base.callerId : input.callerId,
    minConsent: input.minConsent ?? base.minConsent,
    openEnrollment: input.openEnrollment ?? base.openEnrollment,
  };
}

export function defaultSettings(d: PortalCallingDefaults): CampaignSettings {
  return {
    name: '',
    segmentId: null,
    startAt: null,
    endAt: null,
    windowStart: d.window.start,
    windowEnd: d.window.end,
    daysOfWeek: d.window.daysOfWeek,
    timeZone: null,
    maxConcurrent: Math.min(5, d.maxConcurrentCalls),
    callsPerMinute: Math.min(30, d.callsPerMinute),
    retryPolicy: { ...DEFAULT_RETRY_POLICY },
    maxAttempts: 3,
    callerId: null,
    minConsent: d.minConsent,
    openEnrollment: false,
  };
}

/** Variants from either input form, with default labels (A, B, …). */
export function variantsFrom(input: TCampaignCreate | TCampaignUpdate): VariantInput[] | undefined {
  if (input.scriptVersionId) return [{ scriptVersionId: input.scriptVersionId, weight: 1, label: 'A' }];
  return input.variants?.map((v, i) => ({ scriptVersionId: v.scriptVersionId, weight: v.weight, label: v.label ?? defaultVariantLabel(i) }));
}

function checkSettings(s: CampaignSettings, d: PortalCallingDefaults, now: Date): Problem[] {
  const problems: Problem[] = validateCampaignWindow({ start: s.windowStart, end: s.windowEnd, daysOfWeek: s.daysOfWeek, timeZone: s.timeZone }).map((p) => ({
    code: 'CAMPAIGN_WINDOW_INVALID',
    ...p,
  }));
  if (s.startAt && s.endAt && s.endAt <= s.startAt) {
    problems.push({ code: 'CAMPAIGN_SCHEDULE_INVALID', path: 'schedule.endAt', message: `The schedule ends (${s.endAt.toISOString()}) before it starts (${s.startAt.toISOString()}).` });
  } else if (s.endAt && s.endAt <= now) {
    problems.push({ code: 'CAMPAIGN_SCHEDULE_INVALID', path: 'schedule.endAt', message: `The schedule ends at ${s.endAt.toISOString()}, which has already passed.` });
  }
  if (s.maxConcurrent > d.maxConcurrentCalls) {
    problems.push({
      code: 'CAMPAIGN_PACING_ABOVE_LIMIT',
      path: 'pacing.maxConcurrent',
      message: `maxConcurrent ${s.maxConcurrent} is above this portal's provider account limit of ${d.maxConcurrentCalls} live calls.`,
    });
  }
  if (s.callsPerMinute > d.callsPerMinute) {
    problems.push({
      code: 'CAMPAIGN_PACING_ABOVE_LIMIT',
      path: 'pacing.callsPerMinute',
      message: `callsPerMinute ${s.callsPerMinute} is above this portal's provider account limit of ${d.callsPerMinute} calls per minute.`,
    });
  }
  if (s.callerId !== null) {
    const parsed = /^\+[1-9]\d{6,14}$/.test(s.callerId) ? parsePhoneNumberFromString(s.callerId) : undefined;
    if (!parsed?.isPossible()) {
      problems.push({ code: 'CAMPAIGN_CALLER_ID_INVALID', path: 'callerId', message: `The caller id "${s.callerId}" is not a phone number in E.164 form (for example +14155550123).` });
    } else if (d.callerIds.length > 0 && !d.callerIds.includes(s.callerId)) {
      problems.push({ code: 'CAMPAIGN_CALLER_ID_NOT_OWNED', path: 'callerId', message: `The caller id ${s.callerId} is not one of this portal's caller ids (${d.callerIds.join(', ')}).` });
    }
  }
  return problems;
}

function checkVariantShape(variants: VariantInput[]): Problem[] {
  const problems: Problem[] = [];
  variants.forEach((v, i) => {
    const j = variants.findIndex((o) => o.label === v.label);
    if (j !== i) problems.push({ code: 'CAMPAIGN_VARIANTS_INVALID', path: `variants.${i}.label`, message: `Variant label "${v.label}" is used twice (variants ${j} and ${i}).` });
    const k = variants.findIndex((o) => o.scriptVersionId === v.scriptVersionId);
    if (k !== i) problems.push({ code: 'CAMPAIGN_VARIANTS_INVALID', path: `variants.${i}.scriptVersionId`, message: `Script version ${v.scriptVersionId} is pinned twice (variants ${k} and ${i}).` });
  });
  return problems;
}

async function checkReferences(db: Db, portalId: string, s: CampaignSettings, variants: VariantInput[] | undefined): Promise<Problem[]> {
  const problems: Problem[] = [];
  if (variants) {
    // A ScriptVersion row is a published, frozen version (drafts live on Script), so "exists in
    // this portal" is "published in this portal".
    const ids = [...new Set(variants.map((v) => v.scriptVersionId))];
    const found = new Set((await db.scriptVersion.findMany({ where: { portalId, id: { in: ids } }, select: { id: true } })).map((v) => v.id));
    variants.forEach((v, i) => {
      if (!found.has(v.scriptVersionId.toLowerCase())) {
        problems.push({ code: 'CAMPAIGN_SCRIPT_NOT_FOUND', path: `variants.${i}.scriptVersionId`, message: `No published script version with id ${v.scriptVersionId} exists in this portal.` });
      }
    });
  }
  if (s.segmentId) {
    const seg = await db.segment.findFirst({ where: { id: s.segmentId, portalId }, select: { id: true } });
    if (!seg) problems.push({ code: 'CAMPAIGN_SEGMENT_NOT_FOUND', path: 'segmentId', message: `No segment with id ${s.segmentId} exists in this portal.` });
  }
  return problems;
}

/** Throws 400 with the first problem's code and sentence; details.problems lists all of them. */
export async function assertCampaignValid(
  db: Db,
  portalId: string,
  s: CampaignSettings,
  variants: VariantInput[] | undefined,
  d: PortalCallingDefaults,
  now = new Date(),
): Promise<void> {
  const problems = [...checkSettings(s, d, now), ...(variants ? checkVariantShape(variants) : [])];
  problems.push(...(await checkReferences(db, portalId, s, variants)));
  const first = problems[0];
  if (!first) return;
  throw new AppError(first.code, 400, first.message, { problems: problems.map(({ code, path, message }) => ({ code, path, message })) });
}
