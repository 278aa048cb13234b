// Input shapes for segments at the HTTP edge. The rule itself is checked by
// segment-rule-validation.ts, which reports paths inside the rule.
import { z } from 'zod';
import { CONSENT_LEVELS } from '../campaigns/campaign-defaults';

const name = z.string().trim().min(1, 'must not be empty').max(200);
const importId = z.guid().nullable().optional();

export const ZSegmentCreate = z.object({ name, rule: z.unknown(), importId });
export type TSegmentCreate = z.infer<typeof ZSegmentCreate>;

export const ZSegmentUpdate = z
  .object({ name: name.optional(), rule: z.unknown().optional(), importId })
  .refine((v) => v.name !== undefined || v.rule !== undefined || v.importId !== undefined, 'name, rule or importId is required');
export type TSegmentUpdate = z.infer<typeof ZSegmentUpdate>;

export const ZListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});

export const ZCallingWindowInput = z.object({
  start: z.string().max(5),
  end: z.string().max(5),
  daysOfWeek: z.array(z.number()).max(7),
  timeZone: z.string().max(64).nullable().optional(),
});

export const ZPreviewOptions = z.object({
  /** Preview as if it were this instant (planning a start; tests). Default: now. */
  at: z.iso.datetime({ offset: true }).optional(),
  minConsent: z.enum(CONSENT_LEVELS).optional(),
  callingWindow: ZCallingWindowInput.optional(),
  sampleSize: z.int().min(0).max(20).default(20),
});
export type TPreviewOptions = z.infer<typeof ZPreviewOptions>;

export const ZPreviewUnsaved = ZPreviewOptions.extend({ rule: z.unknown(), importId });
export type TPreviewUnsaved = z.infer<typeof ZPreviewUnsaved>;
