import type { Redis } from 'ioredis';
import type { Db } from '../../platform/prisma';
import type { Cipher } from '../../platform/crypto';
import { AppError } from '../../platform/app-error';
import { logger } from '../../platform/logger';
import { HUBSPOT_OPTIONAL_SCOPES, HUBSPOT_SCOPES, missingScopes } from '../scopes';
import type { OAuthStateSigner } from './oauth-state';
import { OAuthGrantError, type OAuthClient } from './oauth-client';
import { saveInstall } from './token-store';

// The HubSpot install (design.md §5, GET /oauth/install and /oauth/callback): build the authorize
// redirect with a signed state, then on the callback check the state, exchange the code, learn
// the hub id from the token, and create or update the portal with its tokens sealed.
// Every refusal happens before anything is written. Then our contact property group and
// properties are created in the portal, so they are there before the first call is written back;
// a failure there does not fail the install (the portal is saved, the user is told it is
// connected): it is logged, and the write-back creates them before its first contact update.

export interface InstallService {
  authorizeUrl(redirectUri: string): string;
  completeInstall(input: CallbackInput): Promise<InstallResult>;
}

export interface CallbackInput {
  redirectUri: string;
  code?: string;
  state?: string;
  error?: string;
  errorDescription?: string;
}

export interface InstallResult {
  portalId: string;
  hubId: number;
  created: boolean;
  missingScopes: string[];
}

export interface InstallServiceOptions {
  db: Db;
  cipher: Cipher;
  redis: Redis;
  keyPrefix: string;
  authorizeBaseUrl: string;
  clientId: string | undefined;
  oauth: OAuthClient | undefined;
  state: OAuthStateSigner;
  stateTtlMs: number;
  /** Creates our contact property group and properties in the portal (idempotent). */
  ensureContactProperties?: (portalId: string) => Promise<void>;
}

const unconfigured = () =>
  new AppError('HUBSPOT_OAUTH_UNCONFIGURED', 503, 'HubSpot install is not configured on this server: set HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET.');

const STATE_MESSAGES: Record<string, string> = {
  missing: 'The install callback has no state parameter; start the install again from /oauth/install.',
  malformed: 'The install state is not one this server issued; start the install again from /oauth/install.',
  signature: 'The install state failed its signature check; start the install again from /oauth/install.',
  expired: 'The install state has expired (installs must finish within 10 minutes); start again from /oauth/install.',
  replayed: 'This install state has already been used; start the install again from /oauth/install.',
};

const stateInvalid = (reason: string) => new AppError('OAUTH_STATE_INVALID', 400, STATE_MESSAGES[reason] ?? STATE_MESSAGES.malformed!);

export function createInstallService(opts: InstallServiceOptions): InstallService {
  return {
    authorizeUrl(redirectUri) {
      if (!opts.clientId || !opts.oauth) throw unconfigured();
      // HubSpot's docs show scopes separated by %20; URLSearchParams would write '+'.
      const q = [
        `client_id=${encodeURIComponent(opts.clientId)}`,
        `redirect_uri=${encodeURIComponent(redirectUri)}`,
        `scope=${HUBSPOT_SCOPES.map(encodeURIComponent).join('%20')}`,
        `optional_scope=${HUBSPOT_OPTIONAL_SCOPES.map(encodeURIComponent).join('%20')}`,
        `state=${encodeURIComponent(opts.state.issue())}`,
      ].join('&');
      return `${opts.authorizeBaseUrl}${opts.authorizeBaseUrl.includes('?') ? '&' : '?'}${q}`;
    },

    async completeInstall(input) {
      if (!opts.oauth) throw unconfigured();
      const check = opts.state.verify(input.state);
      if (!check.ok) throw stateInvalid(check.reason);
      if (input.error) {
        const code = input.error === 'access_denied' ? 'OAUTH_ACCESS_DENIED' : 'OAUTH_AUTHORIZATION_FAILED';
        throw new AppError(code, 400, `HubSpot did not authorize the install (${input.error}${input.errorDescription ? `: ${input.errorDescription}` : ''}).`);
      }
      if (!input.code) throw new AppError('OAUTH_CODE_MISSING', 400, 'The install callback has no authorization code; start the install again from /oauth/install.');
      // One state, one install: the nonce is claimed atomically, so a replayed callback URL is refused.
      const claimed = await opts.redis.set(`${opts.keyPrefix}:hubspot:oauth-nonce:${check.nonce}`, '1', 'PX', opts.stateTtlMs, 'NX');
      if (claimed !== 'OK') throw stateInvalid('replayed');

      let tokens;
      try {
        tokens = await opts.oauth.exchangeCode(input.code, input.redirectUri);
      } catch (err) {
        if (err instanceof OAuthGrantError && err.kind === 'revoked') {
          throw new AppError('OAUTH_CODE_INVALID', 400, 'HubSpot says the authorization code is invalid, expired or already used; start the install again from /oauth/install.');
        }
        throw err;
      }
      const info = await opts.oauth.tokenInfo(tokens.accessToken);
      const saved = await saveInstall(opts.db, opts.cipher, {
        hubId: info.hubId,
        name: info.hubDomain ?? `HubSpot ${info.hubId}`,
        tokens,
        scopes: info.scopes,
      });
      const missing = missingScopes(info.scopes);
      logger.info('hubspot app installed', { portalId: saved.portalId, hubId: info.hubId, created: saved.created, missingScopes: missing });
      await opts.ensureContactProperties?.(saved.portalId).catch((err: unknown) => {
        logger.warn('hubspot contact properties not created at install; the first write-back will create them', {
          portalId: saved.portalId,
          hubId: info.hubId,
          error: err instanceof Error ? err.message : String(err),
        });
      });
      return { portalId: saved.portalId, hubId: info.hubId, created: saved.created, missingScopes: missing };
    },
  };
}
