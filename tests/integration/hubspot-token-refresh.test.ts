import type { Redis } from 'ioredis';
import { startHubSpotHarness, installPortal, refreshRequests, servicesLikeAnotherProcess, type HubSpotHarness } from './hubspot-test-support';
import type { HubSpotServices } from '../../backend/src/hubspot/hubspot-services';
import { AppError } from '../../backend/src/platform/app-error';

// Token refresh: due tokens are refreshed through the fake's POST /oauth/v1/token, once, however
// many callers and processes ask at the same moment; a dead grant makes the portal reinstallable.

describe('HubSpot token manager', () => {
  let h: HubSpotHarness;
  const processes: Array<{ services: HubSpotServices; redis: Redis }> = [];
  let hubSeq = 880000;

  beforeAll(async () => {
    h = await startHubSpotHarness();
    // Four "processes": each its own services (in-process single-flight map) and Redis connection.
    for (let i = 0; i < 4; i++) processes.push(servicesLikeAnotherProcess(h.ctx));
  });
  afterAll(async () => {
    for (const p of processes) p.redis.disconnect();
    await h.close();
  });

  it('hands out a valid stored token without asking HubSpot', async () => {
    const { portalId, accessToken } = await installPortal(h, { hubId: ++hubSeq });
    const before = refreshRequests(h.fake).length;
    await expect(processes[0]!.services.tokens.getAccessToken(portalId)).resolves.toBe(accessToken);
    expect(refreshRequests(h.fake).length).toBe(before);
  });

  it('refreshes exactly once for 20 concurrent callers in one process', async () => {
    const { portalId, accessToken } = await installPortal(h, { hubId: ++hubSeq, expiresInMs: 60_000 });
    const before = refreshRequests(h.fake).length;
    const tokens = await Promise.all(Array.from({ length: 20 }, () => processes[0]!.services.tokens.getAccessToken(portalId)));
    expect(refreshRequests(h.fake).length - before).toBe(1);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(accessToken);
    expect(h.fake.state.accessTokens.has(tokens[0]!)).toBe(true);
    const row = await h.ctx.deps.db.portal.findUniqueOrThrow({ where: { id: portalId } });
    expect(h.ctx.deps.cipher.decrypt(row.accessTokenEnc!)).toBe(tokens[0]);
    expect(row.tokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 29 * 60_000);
  });

  it('refreshes exactly once for 20 concurrent callers spread over 4 processes', async () => {
    const { portalId } = await installPortal(h, { hubId: ++hubSeq, expiresInMs: 60_000 });
    h.fake.state.latencyMs = 150; // keep the winner's refresh in flight while the others arrive
    const before = refreshRequests(h.fake).length;
    try {
      const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => processes[i % 4]!.services.tokens.getAccessToken(portalId)));
      expect(refreshRequests(h.fake).length - before).toBe(1);
      expect(new Set(tokens).size).toBe(1);
    } finally {
      h.fake.state.latencyMs = 0;
    }
  });

  it('marks the portal for reinstall when HubSpot calls the refresh token dead, and stops asking', async () => {
    const hubId = ++hubSeq;
    const { portalId } = await installPortal(h, { hubId, expiresInMs: 0 });
    h.fake.state.revokeRefreshTokens(hubId);
    const before = refreshRequests(h.fake).length;
    const err = await processes[1]!.services.tokens.getAccessToken(portalId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'HUBSPOT_REINSTALL_REQUIRED' });
    expect((err as Error).message).toContain('/oauth/install');
    const row = await h.ctx.deps.db.portal.findUniqueOrThrow({ where: { id: portalId } });
    expect(row).toMatchObject({ accessTokenEnc: null, refreshTokenEnc: null });
    expect(row.installedAt).not.toBeNull();
    await expect(processes[2]!.services.tokens.getAccessToken(portalId)).rejects.toMatchObject({ code: 'HUBSPOT_REINSTALL_REQUIRED' });
    expect(refreshRequests(h.fake).length - before).toBe(1);
  });

  it('keeps the tokens when HubSpot refuses our own client credentials (not the portal’s fault)', async () => {
    const { portalId } = await installPortal(h, { hubId: ++hubSeq, expiresInMs: 0 });
    const secret = h.fake.state.app.clientSecret;
    h.fake.state.app.clientSecret = 'rotated-secret-0000';
    try {
      await expect(processes[0]!.services.tokens.getAccessToken(portalId)).rejects.toMatchObject({ code: 'HUBSPOT_OAUTH_CONFIG' });
    } finally {
      h.fake.state.app.clientSecret = secret;
    }
    const row = await h.ctx.deps.db.portal.findUniqueOrThrow({ where: { id: portalId } });
    expect(row.refreshTokenEnc).not.toBeNull();
  });

  it('says a portal that never installed the app is not installed', async () => {
    const portal = await h.ctx.deps.db.portal.create({ data: { hubId: BigInt(++hubSeq), name: 'manual' } });
    await expect(processes[0]!.services.tokens.getAccessToken(portal.id)).rejects.toMatchObject({ code: 'HUBSPOT_NOT_INSTALLED' });
  });
});
