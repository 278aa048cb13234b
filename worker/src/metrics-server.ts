import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from '../../backend/src/config/config';
import { ADMIN_AUTH_REQUIRED, ADMIN_REALM, adminTokenMatches } from '../../backend/src/platform/admin-token';
import { logger } from '../../backend/src/platform/logger';
import { enableDefaultMetrics, renderMetrics } from '../../backend/src/platform/metrics';

// A worker's own GET /metrics: its event counters (dial steps by result, HubSpot 429s) and process
// metrics exist only in this process, so Prometheus scrapes each worker as well as the web. The
// shared gauges (queue depths, live calls, outbox lag) are the web's, so they are not repeated here.
// Auth follows the web's /metrics: ADMIN_TOKEN when set; without it, open outside production and
// off in production.

export interface WorkerMetricsServer {
  port: number;
  close(): Promise<void>;
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
};

export async function startWorkerMetricsServer(config: Pick<AppConfig, 'env' | 'admin'>, port: number, host = '0.0.0.0'): Promise<WorkerMetricsServer | null> {
  const token = config.admin.token;
  if (!token && config.env === 'production') {
    logger.warn('worker /metrics is off: set ADMIN_TOKEN to serve it in production');
    return null;
  }
  enableDefaultMetrics();
  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname !== '/metrics') return json(res, 404, { error: { code: 'NOT_FOUND', message: 'Only /metrics is served here.' } });
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'Use GET /metrics.' } });
    if (token && !adminTokenMatches(req.headers.authorization, token)) {
      res.setHeader('WWW-Authenticate', `Basic realm="${ADMIN_REALM}", charset="UTF-8"`);
      return json(res, 401, { error: ADMIN_AUTH_REQUIRED });
    }
    renderMetrics().then(
      ({ contentType, body }) => {
        res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (err: unknown) => {
        logger.error('worker metrics scrape failed', { err });
        json(res, 500, { error: { code: 'METRICS_FAILED', message: 'The metrics could not be collected.' } });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  logger.info('worker metrics listening', { port: bound });
  return {
    port: bound,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
