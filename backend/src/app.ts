import express, { type Express } from 'express';
import helmet from 'helmet';
import type { AppDeps } from './app-deps';
import { createApiRouter, type RouteInfo } from './http/api-router';
import { errorHandler, notFoundHandler } from './http/middleware/errors';
import { requestContext } from './http/middleware/request-context';
import { portalOf, requirePortal } from './http/middleware/portal-auth';
import { requestLimitsFromDeps } from './http/middleware/rate-limit';
import { requireHubSpotSignature, type RawBodyRequest } from './http/middleware/hubspot-signature';
import { guardInput } from './http/middleware/input-guard';
import { registerHealthRoutes } from './http/routes/health.routes';
import { registerPortalRoutes } from './http/routes/portal.routes';
import { registerScriptRoutes } from './http/routes/scripts.routes';
import { registerVapiWebhookRoutes } from './http/routes/vapi-webhook.routes';
import { registerRetellWebhookRoutes } from './http/routes/retell-webhook.routes';
import { registerSegmentRoutes } from './http/routes/segments.routes';
import { registerCampaignRoutes } from './http/routes/campaigns.routes';
import { registerOAuthRoutes } from './http/routes/oauth.routes';
import { registerImportRoutes } from './http/routes/imports.routes';
import { registerContactRoutes } from './http/routes/contacts.routes';
import { registerDncRoutes } from './http/routes/dnc.routes';
import { registerCampaignControlRoutes } from './http/routes/campaign-control.routes';
import { registerHubSpotListImportRoutes } from './http/routes/hubspot-list-import.routes';
import { registerOperationsRoutes } from './http/routes/operations.routes';
import { registerAnalyticsRoutes } from './http/routes/analytics.routes';
import { registerCallRoutes } from './http/routes/calls.routes';
import { registerHubSpotAppRoutes } from './http/routes/hubspot-app.routes';
import { registerHubSpotWebhookRoutes } from './http/routes/hubspot-webhooks.routes';
import { createVoiceRouter } from './providers/voice/voice-router';


// Keeps the exact bytes for signature checks (HubSpot, Vapi) next to the parsed body.
const keepRawBody = (req: unknown, _res: unknown, buf: Buffer) => {
  (req as RawBodyRequest).rawBody = buf;
};

export interface BuiltApp {
  app: Express;
  apiRoutes: RouteInfo[];
}

export function createApp(given: AppDeps): BuiltApp {
  const deps: AppDeps = { ...given, voice: given.voice ?? createVoiceRouter(given) };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.use(requestContext);
  app.use(helmet());
  // Vapi's end-of-call reports carry the whole transcript and message list, so they get more room
  // than the API's bodies; the parser that runs first wins (the global one then skips the body).
  const { apiBodyBytes, webhookBodyBytes } = deps.config.limits;
  app.use('/webhooks/vapi', express.json({ limit: webhookBodyBytes, verify: keepRawBody, type: ['application/json', 'application/*+json'] }));
  app.use('/webhooks/retell', express.json({ limit: webhookBodyBytes, verify: keepRawBody, type: ['application/json', 'application/*+json'] }));
  app.use(express.json({ limit: apiBodyBytes, verify: keepRawBody, type: ['application/json', 'application/*+json'] }));
  app.use(guardInput());

  registerOperationsRoutes(app, deps, () => api.routes);
  registerHealthRoutes(app, deps);
  registerVapiWebhookRoutes(app, deps);
  registerRetellWebhookRoutes(app, deps);
  registerOAuthRoutes(app, deps);

  // Everything HubSpot calls is signed; nothing under /hubspot runs unsigned (v2 is still used by
  // custom workflow actions).
  app.use(
    '/hubspot',
    requireHubSpotSignature({ clientSecret: deps.config.hubspot.clientSecret, publicBaseUrl: deps.config.publicBaseUrl, allowV2: true }),
  );

  registerHubSpotWebhookRoutes(app, deps);

  // Abuse limits: per client IP before authentication, per portal after it (the upload page
  // counts its portal once the upload token is read, in upload-page.routes.ts).
  const limits = requestLimitsFromDeps(deps);
  app.use('/upload', limits.byIp);
  const api = createApiRouter();
  api.router.use(limits.byIp);
  api.router.use(requirePortal({ db: deps.db, clientSecret: deps.config.hubspot.clientSecret, publicBaseUrl: deps.config.publicBaseUrl }));
  api.router.use(limits.byPortal((req) => portalOf(req)?.portalId));
  registerPortalRoutes(api, deps);
  registerScriptRoutes(api, deps);
  registerSegmentRoutes(api, deps);
  registerCampaignRoutes(api, deps);
  registerImportRoutes(api, deps);
  registerContactRoutes(api, deps);
  registerDncRoutes(api, deps);
  registerCampaignControlRoutes(api, deps);
  registerHubSpotListImportRoutes(api, deps);
  registerAnalyticsRoutes(api, deps);
  registerCallRoutes(api, deps);
  registerHubSpotAppRoutes(app, api, deps, limits);
  app.use('/api/v1', api.router);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return { app, apiRoutes: api.routes };
}
