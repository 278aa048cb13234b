import type { Express } from 'express';
import type { AppDeps } from '../../app-deps';
import type { ApiRouter } from '../api-router';
import { registerWorkflowActionRoutes } from './workflow-actions.routes';
import { registerUploadPageRoutes } from './upload-page.routes';
import type { RequestLimits } from '../middleware/rate-limit';
import { registerContactCardRoutes } from './contact-card.routes';
import { registerCallNowRoutes } from './call-now.routes';
import { registerSettingsRoutes } from './settings.routes';
import { registerHubSpotListRoutes } from './hubspot-lists.routes';

// Everything the HubSpot app (hubspot-app/) talks to, registered with one line in app.ts: the
// workflow action (under /hubspot, signature-guarded there), and the /api/v1 routes its cards
// and pages use beyond the core API.
export function registerHubSpotAppRoutes(app: Express, api: ApiRouter, deps: AppDeps, limits: RequestLimits): void {
  registerWorkflowActionRoutes(app, deps);
  registerUploadPageRoutes(app, api, deps, limits);
  registerContactCardRoutes(api, deps);
  registerCallNowRoutes(api, deps);
  registerSettingsRoutes(api, deps);
  registerHubSpotListRoutes(api, deps);
}
