import type { Express } from 'express';
import type { AppDeps } from '../../app-deps';
import type { RouteInfo } from '../api-router';
import { buildOpenApiDocument } from '../openapi';
import { registerMetricsRoutes, requestMetrics } from './metrics.routes';
import { registerAdminQueueRoutes } from './admin-queues.routes';

// Operator and integrator endpoints outside the portal-authenticated API: request timing for
// /metrics, /metrics itself, the queue dashboard at /admin/queues, and the OpenAPI document at
// /api/v1/openapi.json (public: it describes the API, it holds no data). Registered before the
// /api/v1 router so the document is served without portal credentials; the route table is read
// when the document is asked for, after every feature has registered its routes.
export function registerOperationsRoutes(app: Express, deps: AppDeps, apiRoutes: () => readonly RouteInfo[]): void {
  app.use(requestMetrics);
  registerMetricsRoutes(app, deps);
  registerAdminQueueRoutes(app, deps);
  let doc: string | undefined;
  app.get('/api/v1/openapi.json', (_req, res) => {
    doc ??= JSON.stringify(buildOpenApiDocument(apiRoutes(), { serverUrl: deps.config.publicBaseUrl }));
    res.type('application/json').send(doc);
  });
}
