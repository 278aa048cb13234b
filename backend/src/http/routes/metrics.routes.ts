import type { Express, RequestHandler } from 'express';
import type { AppDeps } from '../../app-deps';
import { enableDefaultMetrics, recordHttpRequest, recordWebhook, renderMetrics } from '../../platform/metrics';
import { createScrapeCollector } from '../../metrics-collectors';
import { adminDisabled, requireAdminToken } from '../middleware/admin-auth';

// GET /metrics in Prometheus text format. With ADMIN_TOKEN set it needs that token (Prometheus:
// `authorization: { credentials: <token> }`); without one it is open outside production, and
// off in production rather than public.

/**
 * The full pattern of the route that answered. Express has already restored req.baseUrl when the
 * response finishes, so the mount path is taken from the URL: the segments the route's own
 * pattern did not match (mount paths here have no parameters).
 */
export function routePattern(originalUrl: string, routePath: string): string {
  const segments = originalUrl.split('?')[0]!.split('/').filter(Boolean);
  const own = routePath.split('/').filter(Boolean).length;
  const base = segments.slice(0, Math.max(0, segments.length - own));
  return `${base.length ? `/${base.join('/')}` : ''}${routePath}`;
}

/** Times every request (by route pattern, not raw path) and each provider webhook by message type. */
export const requestMetrics: RequestHandler = (req, res, next) => {
  const started = process.hrtime.bigint();
  res.once('finish', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const pattern = req.route?.path ? routePattern(req.originalUrl, String(req.route.path)) : 'unmatched';
    recordHttpRequest(req.method, pattern, res.statusCode, seconds);
    if (req.method === 'POST' && req.originalUrl.split('?')[0] === '/webhooks/vapi') {
      const type = (req.body as { message?: { type?: unknown } } | undefined)?.message?.type;
      recordWebhook('vapi', typeof type === 'string' ? type : 'unknown', res.statusCode, seconds);
    } else if (req.method === 'POST' && req.originalUrl.split('?')[0]?.startsWith('/webhooks/retell')) {
      const body = req.body as { event?: unknown; name?: unknown } | undefined;
      const type = req.originalUrl.startsWith('/webhooks/retell/functions/') ? `function:${String(body?.name ?? 'unknown')}` : body?.event;
      // Only a verified request names its event: unsigned callers must not mint label values.
      recordWebhook('retell', res.statusCode === 401 ? 'unauthenticated' : typeof type === 'string' ? type : 'unknown', res.statusCode, seconds);
    }
  });
  next();
};

export function registerMetricsRoutes(app: Express, deps: AppDeps): void {
  const token = deps.config.admin.token;
  if (!token && deps.config.env === 'production') {
    app.get('/metrics', adminDisabled('/metrics'));
    return;
  }
  enableDefaultMetrics();
  const collect = createScrapeCollector(deps);
  const guard: RequestHandler[] = token ? [requireAdminToken(token)] : [];
  app.get('/metrics', ...guard, async (_req, res) => {
    const { contentType, body } = await renderMetrics(collect);
    res.setHeader('Content-Type', contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(body);
  });
}
