import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import { HubSpotFakeState, type FakeAppSettings } from './state';
import { injectLatencyAndFaults, recordRequests } from './middleware';
import { sendApiError } from './hubspot-errors';
import { oauthRoutes } from './routes/oauth.routes';
import { contactRoutes } from './routes/contacts.routes';
import { listRoutes } from './routes/lists.routes';
import { callRoutes } from './routes/calls.routes';
import { callbackRoutes } from './routes/callbacks.routes';
import { controlRoutes } from './routes/control.routes';
import { writebackRoutes } from './routes/writeback.routes';

// A local HubSpot: one HTTP server answering both app.hubspot.com's authorize page and
// api.hubapi.com's endpoints, so @hubspot/api-client works against it through `basePath`.

export interface HubSpotFake {
  url: string;
  state: HubSpotFakeState;
  close(): Promise<void>;
}

export type HubSpotFakeOptions = Partial<FakeAppSettings> & { port?: number; host?: string };

export const FAKE_DEFAULTS: FakeAppSettings = {
  clientId: 'fake-client-id',
  clientSecret: 'fake-client-secret',
  appId: 424242,
  accessTokenTtlSeconds: 1800,
  rateLimit: { max: 110, windowMs: 10_000 },
};

// Body parse failures answer in HubSpot's error shape rather than Express's HTML.
const jsonErrors: ErrorRequestHandler = (err, _req, res, _next) => {
  const type = (err as { type?: string }).type;
  if (type === 'entity.parse.failed') return sendApiError(res, 400, 'VALIDATION_ERROR', `Invalid input JSON: ${(err as Error).message}`);
  sendApiError(res, 500, 'INTERNAL_ERROR', 'internal error');
};

export function createHubSpotFakeApp(state: HubSpotFakeState): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(recordRequests(state));
  app.use(injectLatencyAndFaults(state));
  app.use(express.json({ limit: '5mb' }));
  app.use(controlRoutes(state));
  app.use(oauthRoutes(state));
  app.use(contactRoutes(state));
  app.use(listRoutes(state));
  app.use(callRoutes(state));
  app.use(callbackRoutes(state));
  app.use(writebackRoutes(state));
  app.use((req, res) => sendApiError(res, 404, 'OBJECT_NOT_FOUND', `The fake has no route for ${req.method} ${req.path}.`));
  app.use(jsonErrors);
  return app;
}

export async function startHubSpotFake(options: HubSpotFakeOptions = {}): Promise<HubSpotFake> {
  const { port = 0, host = '127.0.0.1', ...settings } = options;
  const state = new HubSpotFakeState({ ...FAKE_DEFAULTS, ...settings });
  const server = http.createServer(createHubSpotFakeApp(state));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${actual}`,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
