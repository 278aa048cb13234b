import client from 'prom-client';
import type { AppDeps } from './app-deps';
import { QUEUE_NAMES } from './queues/catalog';
import { LiveCallLeases } from './domain/dialing/live-call-leases';
import { createVoiceRouter } from './providers/voice/voice-router';
import type { ScrapeCollector } from './platform/metrics';
import { logger } from './platform/logger';

// Composition: the gauges GET /metrics reads from shared state at scrape time, so any number of
// web and worker processes report one truth: BullMQ's own counts per queue, the live-call leases
// and the dial log in Redis (the same keys the dialer uses), caps and outbox rows in Postgres.
// Each part is collected on its own; a part that fails is counted in hac_scrape_errors and the
// rest is still served.

const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed'] as const;
const MAX_PORTALS = 1000;
const DIAL_WINDOW_MS = 60_000;

async function scanKeys(deps: AppDeps, pattern: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await deps.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0' && out.length < 10_000);
  return out;
}

export function createScrapeCollector(deps: AppDeps): ScrapeCollector {
  const prefix = deps.queues.prefix;
  const leases = new LiveCallLeases(deps.redis, prefix);
  const voice = deps.voice ?? createVoiceRouter(deps);

  return async (registry) => {
    const gauge = (name: string, help: string, labelNames: string[] = []) => new client.Gauge({ name, help, labelNames, registers: [registry] });
    const errors = gauge('hac_scrape_errors', 'Parts of this scrape that could not be read (1 = failed).', ['part']);
    const part = async (name: string, run: () => Promise<void>) => {
      try {
        await run();
        errors.set({ part: name }, 0);
      } catch (err) {
        errors.set({ part: name }, 1);
        logger.warn('a metrics part could not be read', { part: name, err: (err as Error).message });
      }
    };

    const jobs = gauge('hac_queue_jobs', 'Jobs per queue and state (BullMQ counts).', ['queue', 'state']);
    const live = gauge('hac_live_calls', 'Live calls holding a lease, per provider account or campaign.', ['scope', 'id']);
    const cap = gauge('hac_live_calls_cap', 'The live-call cap of each provider account or running campaign.', ['scope', 'id']);
    const dials = gauge('hac_dials_last_minute', 'Calls started in the last 60 s per provider account (the dial rate).', ['account']);
    const outboxRows = gauge('hac_outbox_rows', 'HubSpot write-backs by status.', ['status']);
    const outboxLag = gauge('hac_outbox_lag_seconds', 'Age of the oldest HubSpot write-back not yet sent (0 when none waits).');

    const now = Date.now();
    await Promise.all([
      part('queues', async () => {
        for (const queue of QUEUE_NAMES) {
          const counts = await deps.queues.get(queue).getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES) jobs.set({ queue, state }, counts[state] ?? 0);
        }
      }),
      part('leases', async () => {
        for (const key of await leases.allKeys()) {
          const m = new RegExp(`^${escapeRe(prefix)}:lease:(acct|camp):(.+)$`).exec(key);
          if (!m) continue;
          live.set({ scope: m[1] === 'acct' ? 'account' : 'campaign', id: m[2]! }, (await leases.live(key, now)).length);
        }
      }),
      part('caps', async () => {
        const portals = await deps.db.portal.findMany({
          take: MAX_PORTALS,
          select: { id: true, voiceProvider: true, providerCredentialsEnc: true, maxConcurrentCalls: true, callsPerMinute: true, settings: true },
        });
        const accounts = new Map<string, number>();
        for (const p of portals) {
          const found = voice.forPortal(p);
          if (found.ok) accounts.set(found.voice.accountKey, Math.max(accounts.get(found.voice.accountKey) ?? 0, found.voice.accountConcurrency));
        }
        for (const [id, n] of accounts) cap.set({ scope: 'account', id }, n);
        const campaigns = await deps.db.campaign.findMany({ where: { state: { in: ['running', 'paused'] } }, take: MAX_PORTALS, select: { id: true, maxConcurrent: true } });
        for (const c of campaigns) cap.set({ scope: 'campaign', id: c.id }, c.maxConcurrent);
      }),
      part('dials', async () => {
        for (const key of await scanKeys(deps, `${prefix}:rate:*`)) {
          dials.set({ account: key.slice(`${prefix}:rate:`.length) }, await deps.redis.zcount(key, now - DIAL_WINDOW_MS, '+inf'));
        }
      }),
      part('outbox', async () => {
        const rows = await deps.db.outbox.groupBy({ by: ['status'], _count: { _all: true } });
        for (const status of ['pending', 'sending', 'sent', 'failed']) outboxRows.set({ status }, rows.find((r) => r.status === status)?._count._all ?? 0);
        const oldest = await deps.db.outbox.findFirst({ where: { status: { in: ['pending', 'sending'] } }, orderBy: { createdAt: 'asc' }, select: { createdAt: true } });
        outboxLag.set(oldest ? Math.max(0, (now - oldest.createdAt.getTime()) / 1000) : 0);
      }),
    ]);
  };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
