// Campaign CRUD. A campaign can be changed or deleted only while it is a draft; the guard is a
// compare-and-set on state = 'draft', so a start racing an edit cannot leave a running campaign
// with half-edited settings.
import type { Db } from '../../platform/prisma';
import { Prisma } from '../../platform/prisma';
import { AppError, notFound } from '../../platform/app-error';
import { afterCursor, decodeCursor, pageOf } from '../segments/page-cursor';
import { portalCallingDefaults, type ConsentLevel } from './campaign-defaults';
import { toCampaignDto, type CampaignRow } from './campaign.dto';
import { assertCampaignValid, defaultSettings, mergeSettings, readRetryPolicy, variantsFrom, type CampaignSettings, type VariantInput } from './campaign-validation';
import type { TCampaignCreate, TCampaignListQuery, TCampaignUpdate } from './campaign.schemas';

const withVariants = { variants: { select: { id: true, label: true, weight: true, scriptVersionId: true } } } as const;

async function portalDefaults(db: Db, portalId: string) {
  const portal = await db.portal.findUnique({ where: { id: portalId } });
  if (!portal) throw notFound('portal');
  return portalCallingDefaults(portal);
}

export async function getCampaignRow(db: Db, portalId: string, campaignId: string): Promise<CampaignRow> {
  const c = await db.campaign.findFirst({ where: { id: campaignId, portalId }, include: withVariants });
  if (!c) throw notFound('campaign');
  return c;
}

function columns(s: CampaignSettings) {
  return {
    name: s.name,
    segmentId: s.segmentId,
    startAt: s.startAt,
    endAt: s.endAt,
    windowStart: s.windowStart,
    windowEnd: s.windowEnd,
    daysOfWeek: s.daysOfWeek,
    timeZone: s.timeZone,
    maxConcurrent: s.maxConcurrent,
    callsPerMinute: s.callsPerMinute,
    retryPolicy: s.retryPolicy as unknown as Prisma.InputJsonValue,
    maxAttempts: s.maxAttempts,
    callerId: s.callerId,
    minConsent: s.minConsent,
    openEnrollment: s.openEnrollment,
  };
}

const variantRows = (portalId: string, campaignId: string, variants: VariantInput[]) =>
  variants.map((v) => ({ portalId, campaignId, scriptVersionId: v.scriptVersionId, weight: v.weight, label: v.label }));

export async function createCampaign(db: Db, portalId: string, input: TCampaignCreate, opts: { actor?: string } = {}) {
  const d = await portalDefaults(db, portalId);
  const settings = mergeSettings(defaultSettings(d), input);
  const variants = variantsFrom(input)!;
  await assertCampaignValid(db, portalId, settings, variants, d);
  const id = await db.$transaction(async (tx) => {
    const c = await tx.campaign.create({ data: { portalId, ...columns(settings), createdBy: opts.actor ?? null }, select: { id: true } });
    await tx.campaignVariant.createMany({ data: variantRows(portalId, c.id, variants) });
    return c.id;
  });
  return toCampaignDto(await getCampaignRow(db, portalId, id));
}

export async function getCampaign(db: Db, portalId: string, campaignId: string) {
  return toCampaignDto(await getCampaignRow(db, portalId, campaignId));
}

export async function listCampaigns(db: Db, portalId: string, q: TCampaignListQuery) {
  const rows = await db.campaign.findMany({
    where: { portalId, ...(q.state ? { state: { in: q.state } } : {}), ...afterCursor(decodeCursor(q.cursor)) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
    include: withVariants,
  });
  const page = pageOf(rows, q.limit);
  return { data: page.items.map(toCampaignDto), nextCursor: page.nextCursor };
}

const notEditable = (state: string, verb: string) =>
  new AppError('CAMPAIGN_NOT_EDITABLE', 409, `The campaign is ${state}; only a draft campaign can be ${verb}.`, { state });

/**
 * `input` may be a parser thunk: the campaign is looked up first, so another portal's id is a 404
 * whatever the body says (the tenant-isolation walk relies on that order).
 */
export async function updateCampaign(db: Db, portalId: string, campaignId: string, input: TCampaignUpdate | (() => TCampaignUpdate)) {
  const current = await getCampaignRow(db, portalId, campaignId);
  if (current.state !== 'draft') throw notEditable(current.state, 'changed');
  if (typeof input === 'function') input = input();
  const d = await portalDefaults(db, portalId);
  const base: CampaignSettings = { ...current, minConsent: current.minConsent as ConsentLevel, retryPolicy: readRetryPolicy(current.retryPolicy) };
  const settings = mergeSettings(base, input);
  const variants = variantsFrom(input);
  await assertCampaignValid(db, portalId, settings, variants, d);
  await db.$transaction(async (tx) => {
    const { count } = await tx.campaign.updateMany({ where: { id: campaignId, portalId, state: 'draft' }, data: columns(settings) });
    if (count === 0) {
      const now = await tx.campaign.findFirst({ where: { id: campaignId, portalId }, select: { state: true } });
      throw now ? notEditable(now.state, 'changed') : notFound('campaign');
    }
    if (variants) {
      await tx.campaignVariant.deleteMany({ where: { campaignId, portalId } });
      await tx.campaignVariant.createMany({ data: variantRows(portalId, campaignId, variants) });
    }
  });
  return getCampaign(db, portalId, campaignId);
}

export async function deleteCampaign(db: Db, portalId: string, campaignId: string): Promise<void> {
  const { count } = await db.campaign.deleteMany({ where: { id: campaignId, portalId, state: 'draft' } });
  if (count === 1) return;
  const c = await db.campaign.findFirst({ where: { id: campaignId, portalId }, select: { state: true } });
  if (!c) throw notFound('campaign');
  throw new AppError('CAMPAIGN_NOT_DELETABLE', 409, `The campaign is ${c.state}; only a draft campaign can be deleted (cancel it instead).`, { state: c.state });
}
