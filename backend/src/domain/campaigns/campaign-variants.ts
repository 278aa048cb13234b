// A/B variants (issue 4 item 5): each contact of a campaign gets one of its pinned script
// versions, chosen by a hash of (campaign, contact), so the choice is the same on every run, in
// every worker, before and after a restart, and proportional to the weights.
import crypto from 'node:crypto';

export interface WeightedVariant {
  id: string;
  label: string;
  weight: number;
}

/** A point in [0, 1) fixed by the campaign and contact (48 bits of SHA-256). */
export function variantPoint(campaignId: string, contactId: string): number {
  const digest = crypto.createHash('sha256').update(`${campaignId}:${contactId}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/**
 * The contact's variant. Variants are ordered by label first (labels are unique per campaign),
 * so the order they were loaded in cannot change anyone's assignment.
 */
export function assignVariant<V extends WeightedVariant>(key: { campaignId: string; contactId: string }, variants: readonly V[]): V {
  const usable = variants.filter((v) => Number.isFinite(v.weight) && v.weight > 0);
  if (usable.length === 0) throw new Error('assignVariant needs at least one variant with a positive weight');
  const ordered = [...usable].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : a.id < b.id ? -1 : 1));
  const total = ordered.reduce((sum, v) => sum + v.weight, 0);
  let target = variantPoint(key.campaignId, key.contactId) * total;
  for (const v of ordered) {
    if (target < v.weight) return v;
    target -= v.weight;
  }
  return ordered[ordered.length - 1]!; // floating-point remainder at the very top
}

/** Default labels for variants given without one: A, B, C, … */
export const defaultVariantLabel = (index: number) => (index < 26 ? String.fromCharCode(65 + index) : `V${index + 1}`);
