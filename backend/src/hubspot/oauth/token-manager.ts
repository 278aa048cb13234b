import type { Redis } from 'ioredis';
import type { Db } from '../../platform/prisma';
import type { Cipher } from '../../platform/crypto';
import { AppError } from '../../platform/app-error';
import { logger } from '../../platform/logger';
import { hubspotNotInstalled, hubspotReinstallRequired } from '../errors';
import { tryLock } from '../redis-lock';
import { OAuthGrantError, type OAuthClient } from './oauth-client';
import { loadTokens, markReinstallRequired, saveRefreshedTokens, type StoredTokens } from './token-store';

// Hands out a valid access token per portal, refreshing it shortly before it expires.
// A refresh is single-flight twice over: one promise per portal inside this process, and a
// short Redis lock across processes; whoever does not hold the lock waits and re-reads the
// database, where the winner writes the new token. If HubSpot says the grant is dead
// (invalid_grant), the portal's tokens are cleared and it must be reinstalled.

export interface TokenManager {
  getAccessToken(portalId: string): Promise<string>;
  /** HubSpot answered 401 to `rejected`: refresh unless another caller already replaced it. */
  refreshAfterRejection(portalId: string, rejected: string): Promise<string>;
}

export interface TokenManagerOptions {
  db: Db;
  cipher: Cipher;
  redis: Redis;
  keyPrefix: string;
  /** Absent when HUBSPOT_CLIENT_ID/SECRET are not configured: tokens can be used but not refreshed. */
  oauth: OAuthClient | undefined;
  refreshMarginMs: number;
  lockTtlMs: number;
  waitMs: number;
}

type Ok = Extract<StoredTokens, { state: 'ok' }>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createTokenManager(opts: TokenManagerOptions): TokenManager {
  const inFlight = new Map<string, Promise<string>>();

  const load = async (portalId: string): Promise<Ok> => {
    const t = await loadTokens(opts.db, opts.cipher, portalId);
    if (t.state !== 'ok') throw t.state === 'not_installed' ? hubspotNotInstalled(portalId) : hubspotReinstallRequired(portalId);
    return t;
  };

  const refreshNow = async (portalId: string, stored: Ok): Promise<string> => {
    if (!opts.oauth) {
      throw new AppError('HUBSPOT_OAUTH_UNCONFIGURED', 503, 'The HubSpot access token needs a refresh, but HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET are not set.');
    }
    try {
      const tokens = await opts.oauth.refresh(stored.refreshToken);
      await saveRefreshedTokens(opts.db, opts.cipher, portalId, tokens);
      logger.info('hubspot access token refreshed', { portalId, expiresInSec: tokens.expiresInSec });
      return tokens.accessToken;
    } catch (err) {
      if (err instanceof OAuthGrantError && err.kind === 'revoked') {
        await markReinstallRequired(opts.db, portalId, stored.refreshTokenSealed);
        logger.warn('hubspot refused the refresh token; portal needs a reinstall', { portalId, hubspotStatus: err.hubspotStatus });
        throw hubspotReinstallRequired(portalId);
      }
      throw err;
    }
  };

  /** Refresh across processes: take the lock, or wait for whoever holds it to store a fresh token. */
  const refreshShared = async (portalId: string, isFresh: (t: Ok) => boolean): Promise<string> => {
    const deadline = Date.now() + opts.waitMs;
    const key = `${opts.keyPrefix}:hubspot:token-refresh:${portalId}`;
    for (;;) {
      const lock = await tryLock(opts.redis, key, opts.lockTtlMs);
      if (lock) {
        try {
          // Re-read under the lock: the previous holder may have refreshed a moment ago.
          const stored = await load(portalId);
          return isFresh(stored) ? stored.accessToken : await refreshNow(portalId, stored);
        } finally {
          await lock.release();
        }
      }
      await sleep(50 + Math.floor(Math.random() * 50));
      const stored = await load(portalId);
      if (isFresh(stored)) return stored.accessToken;
      if (Date.now() > deadline) {
        throw new AppError('HUBSPOT_TOKEN_REFRESH_TIMEOUT', 503, `Another process has been refreshing portal ${portalId}'s HubSpot token for too long; try again.`);
      }
    }
  };

  const singleFlight = (portalId: string, run: () => Promise<string>): Promise<string> => {
    let p = inFlight.get(portalId);
    if (!p) {
      p = run().finally(() => inFlight.delete(portalId));
      inFlight.set(portalId, p);
    }
    return p;
  };

  const valid = (t: Ok) => t.accessToken !== '' && t.expiresAt.getTime() - Date.now() > opts.refreshMarginMs;

  return {
    async getAccessToken(portalId) {
      const stored = await load(portalId);
      if (valid(stored)) return stored.accessToken;
      return singleFlight(portalId, () => refreshShared(portalId, valid));
    },
    refreshAfterRejection(portalId, rejected) {
      return singleFlight(portalId, () => refreshShared(portalId, (t) => t.accessToken !== rejected && valid(t)));
    },
  };
}
