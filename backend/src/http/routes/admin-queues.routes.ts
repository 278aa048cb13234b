import type { Express } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { AppDeps } from '../../app-deps';
import { QUEUE_NAMES } from '../../queues/catalog';
import { adminDisabled, requireAdminToken } from '../middleware/admin-auth';

// The queue dashboard (@bull-board/express) over every queue in the catalog, at /admin/queues,
// behind the ADMIN_TOKEN. It can retry, promote and remove jobs, so it is never served without
// the token: with no ADMIN_TOKEN configured the path answers 404 with a sentence saying so.
export const ADMIN_QUEUES_PATH = '/admin/queues';

export function registerAdminQueueRoutes(app: Express, deps: AppDeps): void {
  const token = deps.config.admin.token;
  if (!token) {
    app.use(ADMIN_QUEUES_PATH, adminDisabled('The queue dashboard'));
    return;
  }
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(ADMIN_QUEUES_PATH);
  createBullBoard({
    queues: QUEUE_NAMES.map((name) => new BullMQAdapter(deps.queues.get(name))),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'hubspot-ai-calling queues' } },
  });
  app.use(ADMIN_QUEUES_PATH, requireAdminToken(token), serverAdapter.getRouter());
}
