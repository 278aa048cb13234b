import { z } from 'zod';
import type { Db } from '../../platform/prisma';
import { Prisma } from '../../platform/prisma';
import { AppError } from '../../platform/app-error';

// A portal's plan: how many data rows one import may hold and how many contacts one campaign may
// call. The defaults come from config (PLAN_MAX_IMPORT_ROWS, PLAN_MAX_CAMPAIGN_CONTACTS); an
// operator may give one portal its own numbers (npm run admin -- portal:plan), kept in
// Portal.settings.plan. A portal cannot change its own plan: PUT /api/v1/settings has no plan part.

export interface PlanLimits {
  maxImportRows: number;
  maxCampaignContacts: number;
}

const ZPlanOverride = z.object({
  maxImportRows: z.int().min(1).optional(),
  maxCampaignContacts: z.int().min(1).optional(),
});

/** The plan in force: the portal's own numbers where it has them, else the defaults. */
export function planLimitsOf(portalSettings: unknown, defaults: PlanLimits): PlanLimits {
  const raw = portalSettings && typeof portalSettings === 'object' ? (portalSettings as Record<string, unknown>).plan : undefined;
  const own = ZPlanOverride.safeParse(raw ?? {});
  return { ...defaults, ...(own.success ? own.data : {}) };
}

export async function readPlanLimits(db: Db, portalId: string, defaults: PlanLimits): Promise<PlanLimits> {
  const portal = await db.portal.findUnique({ where: { id: portalId }, select: { settings: true } });
  return planLimitsOf(portal?.settings, defaults);
}

/** Operator only: sets (a number) or clears (null) a portal's own plan numbers. */
export async function setPlanLimits(db: Db, portalId: string, change: { maxImportRows?: number | null; maxCampaignContacts?: number | null }) {
  const portal = await db.portal.findUnique({ where: { id: portalId }, select: { settings: true } });
  if (!portal) throw new AppError('PORTAL_NOT_FOUND', 404, 'No portal with that id exists.');
  const settings = portal.settings && typeof portal.settings === 'object' ? { ...(portal.settings as Record<string, unknown>) } : {};
  const plan = { ...((settings.plan as Record<string, unknown> | undefined) ?? {}) };
  for (const key of ['maxImportRows', 'maxCampaignContacts'] as const) {
    const v = change[key];
    if (v === null) delete plan[key];
    else if (v !== undefined) {
      if (!Number.isInteger(v) || v < 1) throw new AppError('PLAN_INVALID', 400, `${key} must be a whole number of at least 1.`);
      plan[key] = v;
    }
  }
  settings.plan = plan;
  await db.portal.update({ where: { id: portalId }, data: { settings: settings as Prisma.InputJsonValue } });
  return { portalId, plan };
}

export const importTooManyRows = (maxRows: number) =>
  new AppError('IMPORT_TOO_MANY_ROWS', 413, `The file has more than ${maxRows.toLocaleString('en-US')} data rows, the most this account's plan allows in one import; split it into smaller files.`, { maxRows });

export const campaignTooLarge = (contacts: number, maxContacts: number) =>
  new AppError(
    'CAMPAIGN_TOO_LARGE',
    413,
    `The campaign's segment matches ${contacts.toLocaleString('en-US')} contacts; this account's plan allows at most ${maxContacts.toLocaleString('en-US')} in one campaign. Narrow the segment or split the campaign.`,
    { contacts, maxContacts },
  );
