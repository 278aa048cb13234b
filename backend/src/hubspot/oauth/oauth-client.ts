import { z } from 'zod';
import { AppError } from '../../platform/app-error';
import { createSdkApis } from '../sdk-client';
import { fromSdkError, isSdkApiException } from '../errors';

// HubSpot's OAuth endpoints through @hubspot/api-client: the code exchange and refresh
// (POST /oauth/v1/token, form-encoded) and the token's metadata
// (GET /oauth/v1/access-tokens/{token}), which is where the hub id comes from.

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  expiresInSec: number;
}

export interface TokenInfo {
  hubId: number;
  scopes: string[];
  hubDomain: string | undefined;
}

export interface OAuthClient {
  exchangeCode(code: string, redirectUri: string): Promise<TokenSet>;
  refresh(refreshToken: string): Promise<TokenSet>;
  tokenInfo(accessToken: string): Promise<TokenInfo>;
}

/**
 * A refused grant, classified as research/hubspot.md's HS-OAUTH-REFRESH-ERRORS advises:
 * `revoked` (invalid_grant, BAD_REFRESH_TOKEN, BAD_AUTH_CODE, BAD_HUB, access_denied: the grant is
 * dead), `config` (our client id/secret/redirect is wrong: never blame the portal for it), and
 * `transient` (429, 5xx, network).
 */
export class OAuthGrantError extends AppError {
  constructor(
    readonly kind: 'revoked' | 'config' | 'transient',
    readonly hubspotStatus: string | undefined,
    message: string,
  ) {
    super(
      kind === 'revoked' ? 'HUBSPOT_GRANT_INVALID' : kind === 'config' ? 'HUBSPOT_OAUTH_CONFIG' : 'HUBSPOT_OAUTH_UNAVAILABLE',
      kind === 'revoked' ? 400 : kind === 'config' ? 502 : 503,
      message,
      { hubspotStatus },
    );
  }
}

const REVOKED_STATUSES = new Set(['BAD_REFRESH_TOKEN', 'BAD_AUTH_CODE', 'BAD_HUB']);
// Checked first: a wrong client id, secret or redirect URL is ours to fix, whatever `error` says.
const CONFIG_STATUSES = new Set(['BAD_CLIENT_ID', 'BAD_CLIENT_SECRET', 'BAD_GRANT_TYPE', 'BAD_REDIRECT_URI']);
const ZOAuthErrorBody = z.object({ error: z.string().optional(), status: z.string().optional(), message: z.string().optional() }).passthrough();

export function classifyGrantFailure(err: unknown, what: string): AppError {
  if (!isSdkApiException(err) || err.code === 429 || err.code >= 500) {
    const mapped = fromSdkError(err, what);
    return new OAuthGrantError('transient', undefined, mapped.message);
  }
  const body = ZOAuthErrorBody.safeParse(err.body);
  const { error, status, message } = body.success ? body.data : {};
  const isConfig = status !== undefined && CONFIG_STATUSES.has(status);
  const revoked = !isConfig && (error === 'invalid_grant' || error === 'access_denied' || (status !== undefined && REVOKED_STATUSES.has(status)));
  const detail = `${status ?? error ?? `HTTP ${err.code}`}${message ? `: ${message}` : ''}`;
  return new OAuthGrantError(revoked ? 'revoked' : 'config', status ?? error, `HubSpot refused ${what} (${detail}).`);
}

// A 2xx whose body is not what HubSpot documents: say so without echoing the body (it holds tokens).
const unexpected = (what: string) => new AppError('HUBSPOT_UNEXPECTED_RESPONSE', 502, `HubSpot answered ${what} with a body we do not understand.`);

const ZTokenSet = z.object({ accessToken: z.string().min(1), refreshToken: z.string().min(1), expiresIn: z.number().positive() });
const ZTokenInfo = z.object({ hubId: z.number().int().positive(), scopes: z.array(z.string()), hubDomain: z.string().optional() });

export function createOAuthClient(opts: { basePath: string; clientId: string; clientSecret: string }): OAuthClient {
  // Token endpoints take no bearer token, so one SDK client serves every portal.
  const sdk = createSdkApis({ basePath: opts.basePath });
  const toTokenSet = (raw: unknown): TokenSet => {
    const t = ZTokenSet.parse(raw);
    return { accessToken: t.accessToken, refreshToken: t.refreshToken, expiresInSec: t.expiresIn };
  };
  return {
    async exchangeCode(code, redirectUri) {
      try {
        return toTokenSet(await sdk.oauthTokens.create('authorization_code', code, redirectUri, opts.clientId, opts.clientSecret));
      } catch (err) {
        throw err instanceof z.ZodError ? unexpected('the code exchange') : classifyGrantFailure(err, 'the authorization code');
      }
    },
    async refresh(refreshToken) {
      try {
        return toTokenSet(await sdk.oauthTokens.create('refresh_token', undefined, undefined, opts.clientId, opts.clientSecret, refreshToken));
      } catch (err) {
        throw err instanceof z.ZodError ? unexpected('the token refresh') : classifyGrantFailure(err, 'the refresh token');
      }
    },
    async tokenInfo(accessToken) {
      try {
        const info = ZTokenInfo.parse(await sdk.oauthAccessTokens.get(accessToken));
        return { hubId: info.hubId, scopes: info.scopes, hubDomain: info.hubDomain };
      } catch (err) {
        throw err instanceof z.ZodError ? unexpected('the access token lookup') : fromSdkError(err, 'the access token lookup');
      }
    },
  };
}
