import express, { type Router } from 'express';
import type { HubSpotFakeState } from '../state';
import { sendOAuthError } from '../hubspot-errors';
import { paramOf } from '../middleware';

// HubSpot OAuth (legacy v1 endpoints, which @hubspot/api-client 14 calls):
//  - GET  /oauth/authorize: on app.hubspot.com the user picks an account and consents; the fake
//    consents at once for account `hub_id` (default 1000001; `deny=1` simulates "Cancel").
//  - POST /oauth/v1/token: form-encoded authorization_code / refresh_token grants.
//  - GET  /oauth/v1/access-tokens/{token}, GET|DELETE /oauth/v1/refresh-tokens/{token}.
// Token response fields follow HubSpot's docs: token_type, access_token, refresh_token,
// expires_in (1800 s today), hub_id, scopes, token_use. Refresh tokens are not rotated.

export const DEFAULT_FAKE_HUB_ID = 1000001;

export function oauthRoutes(state: HubSpotFakeState): Router {
  const r = express.Router();

  r.get('/oauth/authorize', (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    if (q.client_id !== state.app.clientId) return void res.status(400).type('text').send('Invalid client_id: this app does not exist.');
    let redirect: URL;
    try {
      redirect = new URL(q.redirect_uri ?? '');
    } catch {
      return void res.status(400).type('text').send('redirect_uri is missing or not an absolute URL.');
    }
    const scopes = (q.scope ?? '').split(/[\s+]+/).filter(Boolean);
    if (!scopes.length) return void res.status(400).type('text').send('scope is required.');
    if (q.state !== undefined) redirect.searchParams.set('state', q.state);
    if (q.deny === '1') {
      redirect.searchParams.set('error', 'access_denied');
      redirect.searchParams.set('error_description', 'The user declined to install the app.');
      return void res.redirect(302, redirect.toString());
    }
    const hubId = Number(q.hub_id ?? DEFAULT_FAKE_HUB_ID);
    state.account(hubId);
    const code = state.issueAuthCode({ hubId, scopes, clientId: state.app.clientId, userId: 7, user: 'installer@fake.test', redirectUri: q.redirect_uri! });
    redirect.searchParams.set('code', code);
    res.redirect(302, redirect.toString());
  });

  r.post('/oauth/v1/token', express.urlencoded({ extended: false }), (req, res) => {
    if (!req.is('application/x-www-form-urlencoded')) {
      return sendOAuthError(res, 'BAD_REQUEST', 'invalid_request', 'The token endpoint takes application/x-www-form-urlencoded.');
    }
    const f = req.body as Record<string, string | undefined>;
    if (f.client_id !== state.app.clientId) return sendOAuthError(res, 'BAD_CLIENT_ID', 'invalid_client', 'missing or unknown client id');
    if (f.client_secret !== state.app.clientSecret) return sendOAuthError(res, 'BAD_CLIENT_SECRET', 'invalid_client', 'missing or invalid client secret');
    if (f.grant_type === 'authorization_code') {
      const grant = f.code ? state.authCodes.get(f.code) : undefined;
      if (!grant || grant.used || grant.expiresAt < Date.now()) return sendOAuthError(res, 'BAD_AUTH_CODE', 'invalid_grant', 'missing or unknown auth code');
      if (f.redirect_uri !== grant.redirectUri) {
        return sendOAuthError(res, 'BAD_REDIRECT_URI', 'invalid_grant', 'redirect_uri does not match initial auth code URL');
      }
      grant.used = true;
      const at = state.issueAccessToken(grant);
      const refreshToken = state.issueRefreshToken(grant);
      return void res.json(tokenBody(at, refreshToken, grant.hubId, grant.scopes));
    }
    if (f.grant_type === 'refresh_token') {
      const grant = f.refresh_token ? state.refreshTokens.get(f.refresh_token) : undefined;
      if (!grant || grant.revoked) return sendOAuthError(res, 'BAD_REFRESH_TOKEN', 'invalid_grant', 'refresh token is invalid, expired or revoked');
      const at = state.issueAccessToken(grant);
      return void res.json(tokenBody(at, f.refresh_token!, grant.hubId, grant.scopes));
    }
    sendOAuthError(res, 'BAD_GRANT_TYPE', 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  });

  r.get('/oauth/v1/access-tokens/:token', (req, res) => {
    const t = state.accessTokens.get(paramOf(req, 'token'));
    if (!t || t.expiresAt < Date.now()) return sendOAuthError(res, 'BAD_ACCESS_TOKEN', 'invalid_token', 'missing or unknown access token');
    res.json({
      token: paramOf(req, 'token'),
      user: t.user,
      hub_domain: state.account(t.hubId).hubDomain,
      scopes: t.scopes,
      hub_id: t.hubId,
      app_id: state.app.appId,
      expires_in: Math.floor((t.expiresAt - Date.now()) / 1000),
      user_id: t.userId,
      token_type: 'access',
      is_private_distribution: false,
    });
  });

  r.get('/oauth/v1/refresh-tokens/:token', (req, res) => {
    const t = state.refreshTokens.get(paramOf(req, 'token'));
    if (!t || t.revoked) return sendOAuthError(res, 'BAD_REFRESH_TOKEN', 'invalid_grant', 'refresh token is invalid, expired or revoked');
    res.json({ token: paramOf(req, 'token'), user: t.user, hub_domain: state.account(t.hubId).hubDomain, scopes: t.scopes, hub_id: t.hubId, client_id: t.clientId, user_id: t.userId, token_type: 'refresh' });
  });

  r.delete('/oauth/v1/refresh-tokens/:token', (req, res) => {
    const t = state.refreshTokens.get(paramOf(req, 'token'));
    if (t) t.revoked = true;
    res.status(204).end();
  });

  return r;
}

function tokenBody(at: { token: string; expiresIn: number }, refreshToken: string, hubId: number, scopes: string[]) {
  return { token_type: 'bearer', access_token: at.token, refresh_token: refreshToken, expires_in: at.expiresIn, hub_id: hubId, scopes, token_use: 'access_token' };
}
