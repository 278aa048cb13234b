// Campaign input at the HTTP edge. Shapes only; rules that need the portal (limits, caller ids,
// scripts, segments) and the calling-window rules are in campaign-validation.ts.
import { z } from 'zod';
import { CONSENT_LEVELS } from './campaign-defaults';
import { CAMPAIGN_STATES } from './campaign-states';

export const RETRY_OUTCOMES = ['no_answer', 'busy', 'voicemail', 'failed'] as const;
export type RetryOutcome = (typeof RETRY_OUTCOMES)[number];

const MAX_RETRY_DELAY_MINUTES = 7 * 24 * 60;
const ZRetryRule = z.object({
  retry: z.boolean(),
  delayMinutes: z.int().min(1).max(MAX_RETRY_DELAY_MINUTES),
});
export const ZRetryPolicy = z.object(Object.fromEntries(RETRY_OUTCOMES.map((o) => [o, ZRetryRule.optional()])) as Record<RetryOutcome, z.ZodOptional<typeof ZRetryRule>>).strict();
export type TRetryPolicy = Record<RetryOutcome, z.infer<typeof ZRetryRule>>;

const ZVariant = z.object({
  scriptVersionId: z.guid(),
  weight: z.int().min(1).max(1000).default(1),
  label: z.string().trim().min(1).max(40).optional(),
});

const ZWindow = z.object({
  start: z.string().max(5),
  end: z.string().max(5),
  daysOfWeek: z.array(z.number()).max(7),
  timeZone: z.string().max(64).nullable().optional(),
});

const dateTime = z.iso.datetime({ offset: true }).nullable().optional();

const fields = {
  name: z.string().trim().min(1, 'must not be empty').max(200),
  segmentId: z.guid().nullable().optional(),
  /** One pinned version (the plain case) … */
  scriptVersionId: z.guid().optional(),
  /** … or several with weights, for an A/B test. */
  variants: z.array(ZVariant).min(1, 'needs at least one script version').max(10).optional(),
  schedule: z.object({ startAt: dateTime, endAt: dateTime }).optional(),
  callingWindow: ZWindow.partial().optional(),
  pacing: z.object({ maxConcurrent: z.int().min(1).max(1000).optional(), callsPerMinute: z.int().min(1).max(10_000).optional() }).optional(),
  retryPolicy: ZRetryPolicy.optional(),
  maxAttempts: z.int().min(1, 'must be at least 1').max(10, 'must be at most 10').optional(),
  callerId: z.string().max(20).nullable().optional(),
  minConsent: z.enum(CONSENT_LEVELS).optional(),
  /** Stays running when its contacts are all done, for workflows that keep enrolling (see README). */
  openEnrollment: z.boolean().optional(),
};

const oneScript = (v: { scriptVersionId?: string; variants?: unknown[] }) => !(v.scriptVersionId && v.variants);

export const ZCampaignCreate = z
  .object(fields)
  .refine(oneScript, { message: 'give either scriptVersionId or variants, not both', path: ['variants'] })
  .refine((v) => Boolean(v.scriptVersionId || v.variants), { message: 'is required (or scriptVersionId for a single script version)', path: ['variants'] });
export type TCampaignCreate = z.infer<typeof ZCampaignCreate>;

export const ZCampaignUpdate = z
  .object({ ...fields, name: fields.name.optional() })
  .refine(oneScript, { message: 'give either scriptVersionId or variants, not both', path: ['variants'] })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'change at least one field');
export type TCampaignUpdate = z.infer<typeof ZCampaignUpdate>;

export const ZCampaignListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
  state: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',').map((x) => x.trim()) : undefined))
    .pipe(z.array(z.enum(CAMPAIGN_STATES)).optional()),
});
export type TCampaignListQuery = z.infer<typeof ZCampaignListQuery>;
