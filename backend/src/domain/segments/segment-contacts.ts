// The dialer's way into a segment: when a campaign starts it snapshots the segment's contacts
// into CampaignContacts, page by page, never holding the whole segment in memory.
import type { Db } from '../../platform/prisma';
import { compileSegmentRule } from './segment-rule-compile';
import { countSegment, scanSegment, type SegmentContact } from './segment-scan';
import { getSegmentRow } from './segment.service';

export type { SegmentContact } from './segment-scan';

/** Batches (≤ batchSize, default 2000) of the segment's contacts in id order. 404 for another portal's segment. */
export async function* iterateSegmentContacts(db: Db, portalId: string, segmentId: string, opts: { batchSize?: number } = {}): AsyncGenerator<SegmentContact[]> {
  const seg = await getSegmentRow(db, portalId, segmentId);
  yield* scanSegment(db, { portalId, importId: seg.importId, compiled: compileSegmentRule(seg.rule) }, opts);
}

export async function countSegmentContacts(db: Db, portalId: string, segmentId: string): Promise<number> {
  const seg = await getSegmentRow(db, portalId, segmentId);
  return countSegment(db, { portalId, importId: seg.importId, compiled: compileSegmentRule(seg.rule) });
}
