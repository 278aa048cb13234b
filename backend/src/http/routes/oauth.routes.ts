import type { Request, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps';
import { createHubSpotServices } from '../../hubspot/hubspot-services';
import { parseInput } from '../validate';

// HubSpot app install (design.md §5): GET /oauth/install redirects to HubSpot's authorize page,
// GET /oauth/callback finishes the install. Not under /api/v1 (no portal exists yet) and not
// under /hubspot (HubSpot does not sign these browser redirects; the OAuth state protects them).

// A repeated query parameter arrives as an array; for the state that is simply not our state.
const single = (v: unknown) => (Array.isArray(v) ? '\u0000invalid' : v);
const ZCallbackQuery = z.object({
  code: z.preprocess(single, z.string().max(2048).optional()),
  state: z.preprocess(single, z.string().max(2048).optional()),
  error: z.preprocess(single, z.string().max(200).optional()),
  error_description: z.preprocess(single, z.string().max(1000).optional()),
});

/** HubSpot sends the browser back here; it must match the redirect URL registered for the app. */
function redirectUriFor(req: Request, publicBaseUrl: string | undefined): string {
  const base = publicBaseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  return `${base}/oauth/callback`;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function successPage(hubId: number, created: boolean, missingScopes: string[]): string {
  const warning = missingScopes.length
    ? `<p>HubSpot did not grant these scopes: ${escapeHtml(missingScopes.join(', '))}. Some features will not work until the app is reinstalled with them.</p>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>HubSpot connected</title></head>
<body><h1>HubSpot connected</h1>
<p>AI calling is ${created ? 'installed' : 'reconnected'} for HubSpot account ${escapeHtml(String(hubId))}. You can close this window.</p>
${warning}</body></html>`;
}

export function registerOAuthRoutes(router: Router, deps: AppDeps): void {
  const { install } = createHubSpotServices({ config: deps.config, db: deps.db, redis: deps.redis, cipher: deps.cipher, keyPrefix: deps.queues.prefix });
  const { publicBaseUrl } = deps.config;

  router.get('/oauth/install', (req, res) => {
    res.redirect(302, install.authorizeUrl(redirectUriFor(req, publicBaseUrl)));
  });

  router.get('/oauth/callback', async (req, res) => {
    const q = parseInput(ZCallbackQuery, req.query, 'query');
    const result = await install.completeInstall({
      redirectUri: redirectUriFor(req, publicBaseUrl),
      code: q.code,
      state: q.state,
      error: q.error,
      errorDescription: q.error_description,
    });
    res.status(200).type('html').send(successPage(result.hubId, result.created, result.missingScopes));
  });
}
