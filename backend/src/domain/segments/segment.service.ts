// Segments: a named, validated JSONLogic rule over a portal's contacts, optionally limited to
// the contacts one import (a CSV file or a HubSpot list) brought in.
import type { Db } from '../../platform/prisma';
import { Prisma } from '../../platform/prisma';
import { AppError, notFound } from '../../platform/app-error';
import { assertValidSegmentRule } from './segment-rule-validation';
import { compileSegmentRule } from './segment-rule-compile';
import { afterCursor, decodeCursor, pageOf } from './page-cursor';
import type { TSegmentCreate, TSegmentUpdate } from './segment.schemas';

type SegmentRow = { id: string; name: string; rule: unknown; importId: string | null; createdAt: Date; updatedAt: Date };

export function toSegmentDto(s: SegmentRow) {
  return {
    id: s.id,
    name: s.name,
    rule: s.rule,
    importId: s.importId,
    /** How the rule runs: all in Postgres, Postgres narrowing plus Node, or Node only. */
    evaluation: compileSegmentRule(s.rule).mode,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export async function assertImportInPortal(db: Db, portalId: string, importId: string | null | undefined): Promise<void> {
  if (!importId) return;
  const found = await db.import.findFirst({ where: { id: importId, portalId }, select: { id: true } });
  if (!found) throw new AppError('SEGMENT_IMPORT_NOT_FOUND', 400, `No import with id ${importId} exists in this portal.`);
}

export async function getSegmentRow(db: Db, portalId: string, segmentId: string): Promise<SegmentRow> {
  const s = await db.segment.findFirst({ where: { id: segmentId, portalId } });
  if (!s) throw notFound('segment');
  return s;
}

export async function createSegment(db: Db, portalId: string, input: TSegmentCreate) {
  assertValidSegmentRule(input.rule);
  await assertImportInPortal(db, portalId, input.importId);
  const s = await db.segment.create({
    data: { portalId, name: input.name, rule: input.rule as Prisma.InputJsonValue, importId: input.importId ?? null },
  });
  return toSegmentDto(s);
}

export async function getSegment(db: Db, portalId: string, segmentId: string) {
  return toSegmentDto(await getSegmentRow(db, portalId, segmentId));
}

export async function listSegments(db: Db, portalId: string, q: { limit: number; cursor?: string }) {
  const rows = await db.segment.findMany({
    where: { portalId, ...afterCursor(decodeCursor(q.cursor)) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  });
  const page = pageOf(rows, q.limit);
  return { data: page.items.map(toSegmentDto), nextCursor: page.nextCursor };
}

/** `input` may be a parser thunk, run after the lookup: another portal's id is a 404 whatever the body. */
export async function updateSegment(db: Db, portalId: string, segmentId: string, input: TSegmentUpdate | (() => TSegmentUpdate)) {
  await getSegmentRow(db, portalId, segmentId);
  if (typeof input === 'function') input = input();
  if (input.rule !== undefined) assertValidSegmentRule(input.rule);
  await assertImportInPortal(db, portalId, input.importId);
  // Campaigns snapshot their segment when they start, so editing never changes a running one.
  const data: Prisma.SegmentUncheckedUpdateManyInput = {};
  if (input.name !== undefined) data.name = input.name;
  if (input.rule !== undefined) data.rule = input.rule as Prisma.InputJsonValue;
  if (input.importId !== undefined) data.importId = input.importId;
  const { count } = await db.segment.updateMany({ where: { id: segmentId, portalId }, data });
  if (count === 0) throw notFound('segment');
  return getSegment(db, portalId, segmentId);
}

export async function deleteSegment(db: Db, portalId: string, segmentId: string): Promise<void> {
  await getSegmentRow(db, portalId, segmentId);
  const users = await db.campaign.count({ where: { portalId, segmentId } });
  if (users > 0) {
    throw new AppError('SEGMENT_IN_USE', 409, `The segment is used by ${users} campaign${users === 1 ? '' : 's'}; delete or change ${users === 1 ? 'it' : 'them'} first.`);
  }
  try {
    await db.segment.deleteMany({ where: { id: segmentId, portalId } });
  } catch (err) {
    // A campaign created between the count and the delete: the foreign key (Restrict) refuses.
    if (err instanceof Prisma.PrismaClientKnownRequestError) throw new AppError('SEGMENT_IN_USE', 409, 'The segment is used by a campaign; delete or change it first.');
    throw err;
  }
}
