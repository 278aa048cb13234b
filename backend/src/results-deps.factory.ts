import { Pool } from 'pg';
import type { AppDeps } from './app-deps';
import type { DialingDeps } from './domain/dialing/dialing-deps';
import type { ResultsDeps } from './domain/calls/results-deps';
import { prismaRunner, type SqlRunner } from './domain/calls/call-event-store';
import { createDialingDeps } from './dialing-deps.factory';
import { logger } from './platform/logger';

// Composition: the results side (webhook apply, reconciler, finalisation) over this process's
// database, dialing services and queues. Stored end-of-call reports go to the webhooks.apply
// queue, and a finished call's HubSpot write-backs to the outbox queue right after their
// transaction commits; job ids are the row ids, so a repeated hand-over is a no-op while the job
// exists.
//
// The webhook's one-statement store-and-apply runs on a small plain `pg` pool, as a named
// prepared statement: measured in bench/webhook-ingest.ts, Prisma's per-query overhead and
// re-planning the CTE on every request were a visible share of a request that is otherwise one
// round trip. One pool per database URL per process.
const pools = new Map<string, SqlRunner>();

function sqlFor(deps: AppDeps): SqlRunner {
  // Embedded PGlite (deps.databaseUrl) is one session behind a socket: prepared-statement names
  // from two pool clients would collide there, and the local demo needs no extra speed.
  const url = deps.databaseUrl ? undefined : deps.config.databaseUrl;
  if (!url) return prismaRunner(deps.db);
  let runner = pools.get(url);
  if (!runner) {
    const pool = new Pool({ connectionString: url, max: 5, allowExitOnIdle: true });
    pool.on('error', (err) => logger.warn('webhook pool connection error', { err: err.message }));
    // Named statements: the store-and-apply CTE is parsed and planned once per connection, not per webhook.
    runner = { query: async <R>(text: string, params: unknown[], name?: string) => (await pool.query({ text, values: params, ...(name ? { name } : {}) })).rows as R[] };
    pools.set(url, runner);
  }
  return runner;
}

export function createResultsDeps(deps: AppDeps, dialing?: DialingDeps): ResultsDeps {
  const d = dialing ?? createDialingDeps(deps);
  return {
    db: deps.db,
    sql: sqlFor(deps),
    dialing: d,
    voice: d.voice,
    now: d.now,
    async enqueueReport(eventId) {
      await deps.queues.enqueue('webhooks.apply', { eventId: String(eventId) }, { jobId: `event-${eventId}` });
    },
    async kickOutbox(outboxIds) {
      for (const outboxId of outboxIds) await deps.queues.enqueue('outbox.drain', { outboxId }, { jobId: `outbox-${outboxId}` });
      logger.debug('outbox rows queued', { count: outboxIds.length });
    },
  };
}
