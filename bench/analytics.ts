import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { listen } from '../backend/src/http-server';
import { createTestContext } from '../tests/support/test-app';
import { createPortalWithKey } from '../tests/support/factories';
import { rebuildCallRollups } from '../backend/src/domain/analytics/call-rollup-rebuild';
import { countInProgress, readBreakdowns, readDurationHistograms } from '../backend/src/domain/analytics/analytics-query';
import type { Db } from '../backend/src/platform/prisma';

// npm run bench -- analytics [--calls 1000000] [--requests 200]     (or: npx tsx bench/analytics.ts)
// One campaign of N dialed calls (two variants, 30 days, the outcome mix of a real campaign, plus
// dial-time refusals and live calls that must not be counted as finished), loaded with SQL and
// rolled up with the same rebuild the operator uses; then GET /api/v1/analytics/campaigns/:id over
// HTTP, one request at a time. Baseline, same table, same run: a plain count(*) over "Call".
// Target: p95 < 100 ms at 1M calls.

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer`);
  return v;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const fmt = (ms: number) => ms.toFixed(2);

function get(agent: http.Agent, port: number, path: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

// The synthetic calls: a spread over outcomes close to a real outbound campaign.
const OUTCOMES_SQL = `
  CASE WHEN h < 40 THEN 'completed' WHEN h < 45 THEN 'completed' WHEN h < 65 THEN 'no_answer' WHEN h < 75 THEN 'busy'
       WHEN h < 87 THEN 'voicemail' WHEN h < 97 THEN 'failed_transient' ELSE 'failed_permanent' END`;
const REASONS_SQL = `
  CASE WHEN h < 45 THEN (CASE WHEN h % 2 = 0 THEN 'customer-ended-call' ELSE 'assistant-ended-call' END) WHEN h < 65 THEN 'customer-did-not-answer'
       WHEN h < 75 THEN 'customer-busy' WHEN h < 87 THEN 'voicemail' WHEN h < 97 THEN 'twilio-failed-to-connect-call' ELSE 'twilio-reported-customer-misdialed' END`;

async function seed(url: string, portalId: string, campaignId: string, variants: string[], contacts: number, calls: number) {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    await pg.query(
      `INSERT INTO "Contact" ("portalId", "phone", "firstName") SELECT $1::uuid, '+1202' || lpad(g::text, 7, '0'), 'Bench' FROM generate_series(1, $2::int) g`,
      [portalId, contacts],
    );
    await pg.query(`CREATE TEMP TABLE bench_contacts AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, phone FROM "Contact" WHERE "portalId" = $1::uuid`, [portalId]);
    const chunk = 250_000;
    for (let start = 1; start <= calls; start += chunk) {
      const end = Math.min(calls, start + chunk - 1);
      await pg.query(
        `INSERT INTO "Call" ("portalId", "campaignId", "variantId", "contactId", "toPhone", "idempotencyKey", "providerCallId", "status", "placedAt",
                             "outcome", "endedReason", "disposition", "isOptOut", "durationSec", "cost")
         SELECT $1::uuid, $2::uuid, ($3::uuid[])[1 + v], c.id, c.phone, 'bench-' || g, 'bench-vapi-' || g, 'ended',
                timestamp '2026-10-01' + d * interval '1 day' + (g % 80000) * interval '1 second',
                o, r,
                CASE WHEN h >= 40 AND h < 45 THEN 'opted_out' WHEN o = 'completed' AND g % 5 = 0 THEN 'qualified' ELSE o END,
                h >= 40 AND h < 45,
                CASE WHEN o = 'completed' THEN 15 + t + (g % 1000) / 1000.0 WHEN o = 'voicemail' THEN 20 + g % 25 ELSE 0 END,
                CASE WHEN o IN ('completed', 'voicemail') THEN round((0.02 + (g % 300) / 1000.0)::numeric, 4) ELSE 0.005 END
           -- Independent pseudo-random dimensions (multiplicative hashes modulo primes): outcome,
           -- day, variant and talk time do not line up, so every rollup bucket a real campaign
           -- fills is filled (30 days x 2 variants x ~600 distinct seconds of talk).
           FROM (SELECT g, ((g::bigint * 2654435761) % 4294967291 % 100)::int AS h, ((g::bigint * 40503) % 65537 % 30)::int AS d,
                        ((g::bigint * 97) % 1009 % 2)::int AS v, ((g::bigint * 2246822519) % 1000003 % 600)::int AS t
                   FROM generate_series($4::int, $5::int) g) s
           CROSS JOIN LATERAL (SELECT ${OUTCOMES_SQL} AS o, ${REASONS_SQL} AS r) x
           JOIN bench_contacts c ON c.n = g % $6::int`,
        [portalId, campaignId, variants, start, end, contacts],
      );
      process.stdout.write(`  seeded ${end.toLocaleString('en-US')} calls\n`);
    }
    // Not finished: 200 live calls, and 2,000 dial-time refusals (never dialed).
    await pg.query(
      `INSERT INTO "Call" ("portalId", "campaignId", "contactId", "toPhone", "idempotencyKey", "status", "placedAt")
       SELECT $1::uuid, $2::uuid, c.id, c.phone, 'bench-live-' || g, 'in_progress', now() FROM generate_series(1, 200) g JOIN bench_contacts c ON c.n = g`,
      [portalId, campaignId],
    );
    await pg.query(
      `INSERT INTO "Call" ("portalId", "campaignId", "contactId", "toPhone", "idempotencyKey", "status", "outcome", "endedReason")
       SELECT $1::uuid, $2::uuid, c.id, c.phone, 'bench-skip-' || g, 'ended', 'skipped_dnc', 'skipped:dnc' FROM generate_series(1, 2000) g JOIN bench_contacts c ON c.n = g`,
      [portalId, campaignId],
    );
    await pg.query('ANALYZE "Call"');
  } finally {
    await pg.end();
  }
}

async function baselineCountMs(url: string): Promise<{ ms: number; rows: number }> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      rows = Number((await pg.query('SELECT count(*) AS n FROM "Call"')).rows[0].n);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { ms: times[3]!, rows };
  } finally {
    await pg.end();
  }
}

/** Median of each read the endpoint makes, timed in-process (no HTTP, no auth): where the time goes. */
async function queryMedians(db: Db, portalId: string, campaignId: string): Promise<string> {
  const median = async (f: () => Promise<unknown>) => {
    const xs: number[] = [];
    for (let i = 0; i < 21; i++) {
      const t = performance.now();
      await f();
      xs.push(performance.now() - t);
    }
    return xs.sort((a, b) => a - b)[10]!;
  };
  const s = { portalId, campaignId };
  const parts = [
    ['breakdowns', await median(() => readBreakdowns(db, s))],
    ['histogram', await median(() => readDurationHistograms(db, s))],
    ['live', await median(() => countInProgress(db, s))],
    ['select1', await median(() => db.$queryRaw`SELECT 1`)],
  ] as const;
  return parts.map(([k, v]) => `${k} ${fmt(v)} ms`).join(', ');
}

async function main(): Promise<string> {
  const calls = flag('calls', 1_000_000);
  const requests = flag('requests', 200);
  const ctx = await createTestContext({ LOG_LEVEL: 'error' });
  const server = await listen(ctx.app, 0, '127.0.0.1');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const db = ctx.deps.db;
    const { portal, auth } = await createPortalWithKey(db);
    const script = await db.script.create({ data: { portalId: portal.id, name: 'bench', draft: {} } });
    const version = await db.scriptVersion.create({ data: { portalId: portal.id, scriptId: script.id, version: 1, graph: {}, checksum: 'bench' } });
    const campaign = await db.campaign.create({ data: { portalId: portal.id, name: 'Bench campaign', state: 'running' } });
    const variants = [];
    for (const label of ['A', 'B']) variants.push((await db.campaignVariant.create({ data: { portalId: portal.id, campaignId: campaign.id, scriptVersionId: version.id, label } })).id);

    let t0 = performance.now();
    await seed(ctx.database.url, portal.id, campaign.id, variants, Math.min(50_000, calls), calls);
    console.log(`analytics: seeded ${calls.toLocaleString('en-US')} dialed calls in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    t0 = performance.now();
    const rebuilt = await rebuildCallRollups(db, portal.id);
    console.log(`  rollups rebuilt in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${rebuilt.statRows} CallStat rows, ${rebuilt.durationRows} histogram rows`);

    const path = `/api/v1/analytics/campaigns/${campaign.id}`;
    const headers = { ...auth };
    const first = await get(agent, server.port, path, headers);
    if (first.status !== 200) throw new Error(`analytics answered ${first.status}: ${first.text.slice(0, 300)}`);
    const body = JSON.parse(first.text) as { totals: { finished: number; inProgress: number; dialed: number }; duration: { p50Sec: number; p99Sec: number } };
    if (body.totals.finished !== calls || body.totals.inProgress !== 200) throw new Error(`wrong totals: ${JSON.stringify(body.totals)}`);
    for (let i = 0; i < 20; i++) await get(agent, server.port, path, headers);
    const latencies: number[] = [];
    for (let i = 0; i < requests; i++) {
      const s = performance.now();
      const r = await get(agent, server.port, path, headers);
      latencies.push(performance.now() - s);
      if (r.status !== 200) throw new Error(`analytics answered ${r.status}`);
    }
    latencies.sort((a, b) => a - b);
    const baseline = await baselineCountMs(ctx.database.url);
    const medians = await queryMedians(db, portal.id, campaign.id);
    console.log(`  totals: dialed ${body.totals.dialed}, finished ${body.totals.finished}, live ${body.totals.inProgress}; duration p50 ${body.duration.p50Sec}s p99 ${body.duration.p99Sec}s`);
    console.log(`  GET ${path.replace(campaign.id, ':campaignId')} × ${requests}: p50 ${fmt(percentile(latencies, 50))} ms  p95 ${fmt(percentile(latencies, 95))} ms  max ${fmt(latencies[latencies.length - 1]!)} ms`);
    console.log(`  reads, median in-process: ${medians}`);
    console.log(`  baseline: SELECT count(*) FROM "Call" (${baseline.rows.toLocaleString('en-US')} rows), median of 7: ${fmt(baseline.ms)} ms`);
    return `RESULT analytics calls=${calls} p95_ms=${fmt(percentile(latencies, 95))} p50_ms=${fmt(percentile(latencies, 50))} baseline_count_ms=${fmt(baseline.ms)} rollup_rows=${rebuilt.statRows + rebuilt.durationRows}`;
  } finally {
    agent.destroy();
    await server.close();
    await ctx.close();
  }
}

main().then(
  (line) => {
    console.log(line);
    process.exit(0);
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
