import type { AppDeps } from './app-deps';
import type { OutboxSenderDeps } from './domain/outbox/outbox-sender.service';
import { createHubSpotServices, type HubSpotServices } from './hubspot/hubspot-services';

// Composition: the outbox sender over this process's HubSpot services (token manager and the
// per-portal Redis rate limiter shared with every other HubSpot call, keys under the queues'
// prefix): a worker passes its own (ProcessorContext.hubspot()), so one token manager serves all
// its HubSpot calls. Built once per process: the write-back remembers which portals already have
// our property group.
const built = new WeakMap<AppDeps, OutboxSenderDeps>();

export function createOutboxSenderDeps(deps: AppDeps, hubspot?: () => HubSpotServices): OutboxSenderDeps {
  let d = built.get(deps);
  if (!d) {
    const services = hubspot?.() ?? createHubSpotServices({ config: deps.config, db: deps.db, redis: deps.redis, cipher: deps.cipher, keyPrefix: deps.queues.prefix });
    d = {
      db: deps.db,
      hubspot: services.writeback,
      now: () => new Date(),
    };
    built.set(deps, d);
  }
  return d;
}
