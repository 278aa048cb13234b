import type { Db } from '../../platform/prisma';
import { AppError } from '../../platform/app-error';

export async function createPortal(db: Db, opts: { hubId: bigint | number; name: string }) {
  const hubId = BigInt(opts.hubId);
  const existing = await db.portal.findUnique({ where: { hubId } });
  if (existing) throw new AppError('PORTAL_EXISTS', 409, `A portal for HubSpot account ${hubId} already exists (${existing.id}).`);
  return db.portal.create({ data: { hubId, name: opts.name } });
}

export async function getPortalSummary(db: Db, portalId: string) {
  const p = await db.portal.findUnique({ where: { id: portalId } });
  if (!p) throw new AppError('PORTAL_NOT_FOUND', 404, 'No portal with that id exists.');
  return {
    id: p.id,
    hubId: p.hubId.toString(),
    name: p.name,
    installed: Boolean(p.refreshTokenEnc),
    defaultTimeZone: p.defaultTimeZone,
    defaultRegion: p.defaultRegion,
    defaultWindow: { start: p.defaultWindowStart, end: p.defaultWindowEnd },
    voiceProvider: p.voiceProvider,
    pacing: { maxConcurrentCalls: p.maxConcurrentCalls, callsPerMinute: p.callsPerMinute },
  };
}

export async function findPortalByHubId(db: Db, hubId: bigint | number | string) {
  return db.portal.findUnique({ where: { hubId: BigInt(hubId) } });
}
