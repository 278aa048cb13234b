import { z } from 'zod';
import { isSupportedCountry } from 'libphonenumber-js/max';
import { CONTACT_FIELDS } from './contact-input';
import type { ColumnPlan } from './column-mapping';
import type { Delimiter } from './csv-sniff';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from '../../platform/storable-text';

// What a client may choose per import, and what we store about a file once its header is read.

const ZTarget = z.enum([...CONTACT_FIELDS, 'property', 'ignore']);
const ZColumnName = z.string().max(200).refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE });

const jsonObject = (v: unknown) => {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return Symbol('invalid json'); // fails the record check below with a readable message
  }
};

export const ZImportOptions = z.object({
  mode: z.enum(['update', 'keep']).default('update'),
  defaultRegion: z
    .string()
    .transform((s) => s.trim().toUpperCase())
    .refine((s) => isSupportedCountry(s), { message: 'must be a two-letter country code such as US or GB' })
    .optional(),
  /**
   * { "<column header>": "<field>" | "property" | "ignore" }; JSON text in a form field or query
   * string. A "__proto__" key is refused: zod drops it from records, so it would vanish unseen.
   */
  mapping: z
    .preprocess(
      jsonObject,
      z
        .unknown()
        .refine((v) => !(typeof v === 'object' && v !== null && Object.hasOwn(v, '__proto__')), { message: 'cannot name a column "__proto__"' })
        .pipe(z.record(ZColumnName, ZTarget, { message: 'must be a JSON object of column header to field' })),
    )
    .optional(),
  fileName: z.string().max(255).refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE }).optional(),
});
export type TImportOptions = z.infer<typeof ZImportOptions>;

/** Import.columnMapping: the file's shape and the resolved plan, so the job never re-guesses. */
export const ZStoredCsvPlan = z.object({
  delimiter: z.enum([',', ';', '\t']),
  header: z.array(z.string()),
  fields: z.record(z.string(), z.number().int()),
  properties: z.array(z.tuple([z.string(), z.number().int()])),
  override: z.record(z.string(), z.string()),
});
export type TStoredCsvPlan = z.infer<typeof ZStoredCsvPlan>;

export function storedPlan(delimiter: Delimiter, plan: ColumnPlan, override: Record<string, string>): TStoredCsvPlan {
  return { delimiter, header: plan.header, fields: plan.fields as Record<string, number>, properties: plan.properties, override };
}
