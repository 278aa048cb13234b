import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/config';
import type { Db } from '../platform/prisma';
import type { Cipher } from '../platform/crypto';
import { logger } from '../platform/logger';
import { HUBSPOT_SETTINGS } from './hubspot.settings';
import { createSdkApiCache } from './sdk-client';
import { createOAuthClient, type OAuthClient } from './oauth/oauth-client';
import { createOAuthStateSigner, deriveStateKey } from './oauth/oauth-state';
import { createTokenManager, type TokenManager } from './oauth/token-manager';
import { createInstallService, type InstallService } from './oauth/install.service';
import { createRateLimiter, type RateLimiter } from './rate-limiter';
import { createHubSpotGateway } from './gateway';
import type { HubSpotGateway } from './gateway.types';
import { createHubSpotWriteback } from './writeback-gateway';
import type { HubSpotWriteback } from '../domain/outbox/writeback-port';

// Wires the HubSpot parts from config: the backend (OAuth routes) and the worker (write-backs,
// list imports) each build one set per process. Redis keys live under `keyPrefix` (the queues'
// prefix), so tests stay apart in one Redis.

export interface HubSpotServices {
  gateway: HubSpotGateway;
  /** The call write-back's HubSpot calls; remembers which portals already have our property group. */
  writeback: HubSpotWriteback;
  tokens: TokenManager;
  install: InstallService;
  limiter: RateLimiter;
  oauth: OAuthClient | undefined;
}

export interface HubSpotServicesInput {
  config: AppConfig;
  db: Db;
  redis: Redis;
  cipher: Cipher;
  keyPrefix: string;
  /** Overrides HUBSPOT_SETTINGS.rateLimit (tests, or a portal tier with a higher HubSpot limit). */
  rateLimit?: { maxRequests: number; windowMs: number; latencyAllowanceMs: number; maxWaitMs?: number };
}

let processStateKey: Buffer | undefined;

/**
 * The OAuth state key comes from APP_ENCRYPTION_KEY (required in production). Without one
 * (local runs), a per-process key: an install must then finish in the process that started it.
 */
function stateKeyFor(config: AppConfig): Buffer {
  if (config.encryptionKey) return deriveStateKey(config.encryptionKey);
  if (!processStateKey) {
    processStateKey = crypto.randomBytes(32);
    logger.warn('APP_ENCRYPTION_KEY is not set; OAuth install state is signed with a per-process key');
  }
  return processStateKey;
}

export function createHubSpotServices(input: HubSpotServicesInput): HubSpotServices {
  const { config, db, redis, cipher, keyPrefix } = input;
  const { clientId, clientSecret, apiBaseUrl, authorizeUrl } = config.hubspot;
  const oauth = clientId && clientSecret ? createOAuthClient({ basePath: apiBaseUrl, clientId, clientSecret }) : undefined;
  const tokens = createTokenManager({
    db,
    cipher,
    redis,
    keyPrefix,
    oauth,
    refreshMarginMs: HUBSPOT_SETTINGS.tokenRefreshMarginMs,
    lockTtlMs: HUBSPOT_SETTINGS.refreshLockTtlMs,
    waitMs: HUBSPOT_SETTINGS.refreshWaitMs,
  });
  const rate = input.rateLimit ?? HUBSPOT_SETTINGS.rateLimit;
  const limiter = createRateLimiter({
    redis,
    keyPrefix,
    maxRequests: rate.maxRequests,
    windowMs: rate.windowMs,
    latencyAllowanceMs: rate.latencyAllowanceMs,
    maxWaitMs: input.rateLimit?.maxWaitMs ?? HUBSPOT_SETTINGS.rateLimitMaxWaitMs,
  });
  const writeback = createHubSpotWriteback({ tokens, limiter, basePath: apiBaseUrl });
  const install = createInstallService({
    db,
    cipher,
    redis,
    keyPrefix,
    authorizeBaseUrl: authorizeUrl,
    clientId,
    oauth,
    state: createOAuthStateSigner(stateKeyFor(config), HUBSPOT_SETTINGS.oauthStateTtlMs),
    stateTtlMs: HUBSPOT_SETTINGS.oauthStateTtlMs,
    ensureContactProperties: (portalId) => writeback.ensureContactProperties(portalId),
  });
  const gateway = createHubSpotGateway({ tokens, limiter, apisFor: createSdkApiCache(apiBaseUrl) });
  return { gateway, writeback, tokens, install, limiter, oauth };
}
