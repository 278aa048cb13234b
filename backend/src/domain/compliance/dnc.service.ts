import { z } from 'zod';
import type { Db } from '../../platform/prisma';
import { AppError, notFound } from '../../platform/app-error';
import { afterCursor, decodeCursor, pageOf } from '../segments/page-cursor';
import { isRegionCode, normalisePhone } from '../contacts/phone-normaliser';

// The portal's do-not-call list: one entry per E.164 number, with why and from where. Dial-time
// checks read it by (portal, phone); an opt-out heard on a call adds to it the same way.

const ZDncEntryInput = z.object({
  phone: z.string().trim().min(1).max(64),
  reason: z.string().trim().min(1).max(500).default('do not call request'),
  source: z.string().trim().min(1).max(200).default('api'),
});
export const ZDncAdd = z.union([z.object({ entries: z.array(ZDncEntryInput).min(1).max(1000) }), ZDncEntryInput.transform((e) => ({ entries: [e] }))]);
export type TDncAdd = z.infer<typeof ZDncAdd>;

export const ZDncListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
  /** Digits anywhere in the number: "5550123" finds +12025550123. */
  phone: z.string().trim().max(64).optional(),
});

export interface DncView {
  id: string;
  phone: string;
  reason: string;
  source: string;
  createdBy: string | null;
  createdAt: string;
}

const toView = (e: { id: string; phone: string; reason: string; source: string; createdBy: string | null; createdAt: Date }): DncView => ({
  id: e.id,
  phone: e.phone,
  reason: e.reason,
  source: e.source,
  createdBy: e.createdBy,
  createdAt: e.createdAt.toISOString(),
});

export async function portalRegion(db: Db, portalId: string) {
  const p = await db.portal.findUnique({ where: { id: portalId }, select: { defaultRegion: true } });
  return p && isRegionCode(p.defaultRegion) ? p.defaultRegion : undefined;
}

/** Adds numbers; all or none: one number that is not a phone number refuses the whole request. */
export async function addDncEntries(db: Db, portalId: string, input: TDncAdd, actor: string) {
  const region = await portalRegion(db, portalId);
  const invalid: Array<{ index: number; phone: string; reason: string }> = [];
  const rows = new Map<string, { phone: string; reason: string; source: string }>();
  input.entries.forEach((e, index) => {
    const r = normalisePhone(e.phone, region);
    if (!r.ok) invalid.push({ index, phone: e.phone, reason: r.reason });
    else rows.set(r.e164, { phone: r.e164, reason: e.reason, source: e.source });
  });
  if (invalid.length) {
    const first = invalid[0]!;
    throw new AppError('DNC_PHONE_INVALID', 422, `Entry ${first.index + 1} ("${first.phone}"): ${first.reason}; nothing was added.`, { invalid });
  }
  const created = await db.dncEntry.createManyAndReturn({
    data: [...rows.values()].map((r) => ({ ...r, portalId, createdBy: actor })),
    skipDuplicates: true,
  });
  const createdPhones = new Set(created.map((c) => c.phone));
  const all = await db.dncEntry.findMany({ where: { portalId, phone: { in: [...rows.keys()] } } });
  return {
    added: created.length,
    alreadyListed: rows.size - created.length,
    entries: all.map((e) => ({ ...toView(e), status: createdPhones.has(e.phone) ? 'added' : 'already_listed' })),
  };
}

export async function getDncEntry(db: Db, portalId: string, dncId: string): Promise<DncView> {
  const e = await db.dncEntry.findFirst({ where: { id: dncId, portalId } });
  if (!e) throw notFound('DNC entry', 'DNC_ENTRY_NOT_FOUND');
  return toView(e);
}

export async function removeDncEntry(db: Db, portalId: string, dncId: string): Promise<void> {
  const { count } = await db.dncEntry.deleteMany({ where: { id: dncId, portalId } });
  if (count === 0) throw notFound('DNC entry', 'DNC_ENTRY_NOT_FOUND');
}

export async function removeDncByPhone(db: Db, portalId: string, phone: string): Promise<void> {
  const r = normalisePhone(phone, await portalRegion(db, portalId));
  if (!r.ok) throw new AppError('DNC_PHONE_INVALID', 422, `"${phone.slice(0, 64)}": ${r.reason}.`);
  const { count } = await db.dncEntry.deleteMany({ where: { portalId, phone: r.e164 } });
  if (count === 0) throw new AppError('DNC_ENTRY_NOT_FOUND', 404, 'That number is not on this portal\'s do-not-call list.');
}

export async function listDncEntries(db: Db, portalId: string, q: z.infer<typeof ZDncListQuery>) {
  const digits = q.phone?.replace(/\D/g, '');
  const rows = await db.dncEntry.findMany({
    where: { portalId, ...(digits ? { phone: { contains: digits } } : {}), ...afterCursor(decodeCursor(q.cursor)) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  });
  const page = pageOf(rows, q.limit);
  return { items: page.items.map(toView), nextCursor: page.nextCursor };
}
