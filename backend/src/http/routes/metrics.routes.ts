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

const LABEL = /^[\w.:-]{1,64}$/;

/** Times every request (by route pattern, not raw path) and each provider webhook by message type. */
export const requestMetrics: RequestHandler = (req, res, next) => {
  const started = process.hrtime.bigint();
  res.once('finish', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const pattern = req.route?.path ? routePattern(req.originalUrl, String(req.route.path)) : 'unmatched';
    recordHttpRequest(req.method, pattern, res.statusCode, seconds);
    const path = req.originalUrl.split('?')[0] ?? '';
    // Only a verified request names its event, and only with a plain name: a caller must not be
    // able to mint label values, and a body field may be any JSON (an object whose toString is
    // not a function makes String() throw, here in a 'finish' listener, outside any handler).
    const label = (v: unknown) => (res.statusCode === 401 ? 'unauthenticated' : typeof v === 'string' && LABEL.test(v) ? v : 'unknown');
    if (req.method === 'POST' && path === '/webhooks/vapi') {
      recordWebhook('vapi', label((req.body as { message?: { type?: unknown } } | undefined)?.message?.type), res.statusCode, seconds);
    } else if (req.method === 'POST' && path.startsWith('/webhooks/retell')) {
      const body = req.body as { event?: unknown; name?: unknown } | undefined;
      const name = path.startsWith('/webhooks/retell/functions/') ? (typeof body?.name === 'string' ? `function:${body.name}` : 'function:unknown') : body?.event;
      recordWebhook('retell', label(name), res.statusCode, seconds);
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
