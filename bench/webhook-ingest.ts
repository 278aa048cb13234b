import crypto from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import express from 'express';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { createDialingDeps } from '../backend/src/dialing-deps.factory';
import { setLogLevel } from '../backend/src/platform/logger';
import { webhookApply } from '../worker/src/processors/webhook-apply.processor';
import { Pool } from 'pg';
import { listen } from '../backend/src/http-server';
import { createTestContext } from '../tests/support/test-app';
import { createPortalWithKey } from '../tests/support/factories';

// npm run bench -- webhook-ingest [--seconds 10] [--connections 16]   (or: npx tsx bench/webhook-ingest.ts)
// POST /webhooks/vapi as Vapi sends it — per call: queued, ringing, in-progress, three final
// transcripts, ended, then the end-of-call report — with every 10th delivery re-sending an
// earlier message (research/perf.md §5.3 load shape). Ours: authentication, zod parse, dedupe
// and the monotonic apply (status events one statement; reports finalised: call row, rollups,
// dialer told). Baseline in the same process and run, loaded the same way: bare Express +
// express.json() + one pg INSERT … ON CONFLICT DO NOTHING per request, on a pool of the same size.
// Target: ratio ≥ 0.7, p99 < 50 ms.

const SECRET = 'bench-webhook-secret';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer`);
  return v;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

function messagesFor(callId: string, providerCallId: string, t0: number): string[] {
  const call = { id: providerCallId, type: 'outboundPhoneCall', status: 'queued', assistantOverrides: { metadata: { attemptId: callId } } };
  const status = (s: string, t: number, extra: object = {}) => JSON.stringify({ message: { type: 'status-update', status: s, timestamp: t, ...extra, call } });
  const transcript = (k: number) => JSON.stringify({ message: { type: 'transcript', role: k % 2 ? 'user' : 'assistant', transcriptType: 'final', transcript: `Line ${k} of the conversation.`, timestamp: t0 + 10_000 + k, call } });
  const report = JSON.stringify({
    message: {
      type: 'end-of-call-report',
      timestamp: t0 + 70_000,
      endedReason: 'customer-ended-call',
      startedAt: new Date(t0 + 8_000).toISOString(),
      endedAt: new Date(t0 + 65_000).toISOString(),
      cost: 0.0832,
      durationSeconds: 57.2,
      analysis: { summary: 'The contact asked for a quote next week.', successEvaluation: 'true' },
      artifact: {
        transcript: 'AI: Hello, this is Ada.\nUser: Hi.\nAI: Is now a good time?\nUser: Sure.\n',
        messages: [
          { role: 'bot', message: 'Hello, this is Ada.', secondsFromStart: 0.4 },
          { role: 'user', message: 'Hi.', secondsFromStart: 2.1 },
        ],
        recordingUrl: `https://storage.example.test/${providerCallId}.wav`,
      },
      call,
    },
  });
  return [status('queued', t0), status('ringing', t0 + 2_000), status('in-progress', t0 + 8_000), transcript(0), transcript(1), transcript(2), status('ended', t0 + 65_000, { endedReason: 'customer-ended-call' }), report];
}

interface Load {
  requests: number;
  seconds: number;
  latencies: number[];
  errors: number;
  /** This process's CPU time (servers and load generator alike), ms. */
  cpuMs: number;
}

interface Cursor {
  next: number;
  sent: number;
}

/**
 * `connections` keep-alive clients posting the stream in order for `seconds`, from where the
 * cursor left it; every 10th delivery repeats one from 5 back.
 */
async function drive(port: number, path: string, headers: Record<string, string>, stream: string[], seconds: number, connections: number, opts: { cursor?: Cursor; warmUp?: boolean } = {}): Promise<Load> {
  const cursor = opts.cursor ?? { next: 0, sent: 0 };
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const post = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until && cursor.next < stream.length) {
        cursor.sent += 1;
        const body = cursor.sent % 10 === 0 && cursor.next > 5 ? stream[cursor.next - 5]! : stream[cursor.next++]!;
        const t0 = performance.now();
        const status = await post(body);
        latencies.push(performance.now() - t0);
        if (status !== 200) errors += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();
  // A measured round must last its time; a warm-up may finish its slice early.
  if (!opts.warmUp && cursor.next >= stream.length) throw new Error('the event stream ran out; seed more calls');
  return { requests: latencies.length, seconds: elapsed, latencies, errors, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Alternates short rounds of the two servers, so a change in the machine's other load hits both alike. */
async function alternate(rounds: number, roundSeconds: number, a: () => Promise<Load>, b: () => Promise<Load>): Promise<[Load, Load]> {
  const total: [Load, Load] = [
    { requests: 0, seconds: 0, latencies: [], errors: 0, cpuMs: 0 },
    { requests: 0, seconds: 0, latencies: [], errors: 0, cpuMs: 0 },
  ];
  for (let r = 0; r < rounds; r++) {
    for (const [i, run] of [a, b].entries()) {
      const l = await run();
      const t = total[i]!;
      t.requests += l.requests;
      t.seconds += l.seconds;
      t.errors += l.errors;
      t.cpuMs += l.cpuMs;
      t.latencies.push(...l.latencies);
    }
  }
  for (const t of total) t.latencies.sort((x, y) => x - y);
  return total;
}

async function main(): Promise<string> {
  const seconds = flag('seconds', 10);
  const connections = flag('connections', 16);
  const calls = flag('calls', 6_000);
  setLogLevel('error');
  const ctx = await createTestContext({ VAPI_WEBHOOK_SECRET: SECRET, LOG_LEVEL: 'error' });
  const ours = await listen(ctx.app, 0, '127.0.0.1');
  // The baseline: same database, a pool as large as the app's.
  const pool = new Pool({ connectionString: ctx.database.url, max: 5 });
  await pool.query('CREATE TABLE bench_webhook_events (id bigserial PRIMARY KEY, dedupe_key text NOT NULL UNIQUE, payload jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now())');
  const bare = express();
  bare.use(express.json({ limit: '5mb' }));
  bare.post('/webhooks/insert', async (req, res) => {
    const m = req.body?.message ?? {};
    await pool.query('INSERT INTO bench_webhook_events (dedupe_key, payload) VALUES ($1, $2) ON CONFLICT (dedupe_key) DO NOTHING', [`${m.type}:${m.call?.id}:${m.status ?? ''}:${m.timestamp}`, req.body]);
    res.json({ received: true });
  });
  const baseline = await listen(bare, 0, '127.0.0.1');
  try {
    const db = ctx.deps.db;
    const { portal } = await createPortalWithKey(db);
    const campaign = await db.campaign.create({ data: { portalId: portal.id, name: 'bench', state: 'running', maxAttempts: 1 } });
    const specs = Array.from({ length: calls }, (_, i) => ({ i, callId: crypto.randomUUID(), contactId: crypto.randomUUID(), ccId: crypto.randomUUID(), providerCallId: `bench-${i}-${crypto.randomUUID()}` }));
    await db.contact.createMany({ data: specs.map((s) => ({ id: s.contactId, portalId: portal.id, phone: `+1404${String(2_000_000 + s.i)}` })) });
    await db.campaignContact.createMany({ data: specs.map((s) => ({ id: s.ccId, portalId: portal.id, campaignId: campaign.id, contactId: s.contactId, state: 'in_call' as const, attempts: 1 })) });
    await db.call.createMany({
      data: specs.map((s) => ({ id: s.callId, portalId: portal.id, campaignId: campaign.id, campaignContactId: s.ccId, contactId: s.contactId, idempotencyKey: `bench-${s.i}`, toPhone: `+1404${String(2_000_000 + s.i)}`, providerCallId: s.providerCallId, status: 'queued' as const, placedAt: new Date(), providerAccount: 'bench' })),
    });
    // Calls interleave the way concurrent live calls do: the stream walks 50 calls at a time.
    const stream: string[] = [];
    const t0 = Date.now();
    for (let g = 0; g < specs.length; g += 50) {
      const group = specs.slice(g, g + 50).map((s) => messagesFor(s.callId, s.providerCallId, t0 + s.i));
      for (let k = 0; k < 8; k++) for (const m of group) stream.push(m[k]!);
    }
    // Warm both (JIT, pools), on their own slice of the stream.
    const warm = Math.floor(stream.length * 0.05);
    await drive(baseline.port, '/webhooks/insert', {}, stream.slice(0, warm), 2, connections, { warmUp: true });
    await drive(ours.port, '/webhooks/vapi', { 'x-vapi-secret': SECRET }, stream.slice(0, warm), 2, connections, { warmUp: true });
    const rest = stream.slice(warm);
    const rounds = Math.max(1, Math.round(seconds / 2));
    const baseCursor: Cursor = { next: 0, sent: 0 };
    const ourCursor: Cursor = { next: 0, sent: 0 };
    const [base, mine] = await alternate(
      rounds,
      seconds / rounds,
      () => drive(baseline.port, '/webhooks/insert', {}, rest, seconds / rounds, connections, { cursor: baseCursor }),
      () => drive(ours.port, '/webhooks/vapi', { 'x-vapi-secret': SECRET }, rest, seconds / rounds, connections, { cursor: ourCursor }),
    );
    if (mine.errors || base.errors) throw new Error(`non-200 answers: ours ${mine.errors}, baseline ${base.errors}`);
    // Reports were only stored and queued during the load (the worker runs elsewhere in
    // production); now drain them with the real processor to show they all apply.
    const queued = await db.providerEvent.count({ where: { portalId: portal.id, type: 'end-of-call-report' } });
    const drainStarted = performance.now();
    const drained = await drainReports(ctx, queued);
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    const finalized = await db.call.count({ where: { campaignId: campaign.id, outcome: { not: null } } });
    if (finalized !== queued) throw new Error(`${queued} reports stored but ${finalized} calls finalised`);
    const eps = (l: Load) => l.requests / l.seconds;
    const fmt = (n: number) => n.toFixed(2);
    console.log(`webhook-ingest: ${connections} connections, ${seconds} s each in alternating ${(seconds / rounds).toFixed(1)} s rounds after a warm-up; every 10th delivery a repeat`);
    console.log(`  ours:     ${mine.requests} requests, ${eps(mine).toFixed(0)}/s, p50 ${fmt(percentile(mine.latencies, 50))} ms, p99 ${fmt(percentile(mine.latencies, 99))} ms, node CPU ${(mine.cpuMs / mine.requests).toFixed(2)} ms/request`);
    console.log(`  reports:  ${queued} stored and queued during the load, then applied by the webhooks.apply worker in ${drainSeconds.toFixed(1)} s (${drained} jobs, ${finalized} calls finalised)`);
    console.log(`  baseline: ${base.requests} requests, ${eps(base).toFixed(0)}/s, p50 ${fmt(percentile(base.latencies, 50))} ms, p99 ${fmt(percentile(base.latencies, 99))} ms, node CPU ${(base.cpuMs / base.requests).toFixed(2)} ms/request (bare Express + pg INSERT … ON CONFLICT)`);
    return `RESULT webhook-ingest ours_eps=${eps(mine).toFixed(0)} baseline_eps=${eps(base).toFixed(0)} ratio=${(eps(mine) / eps(base)).toFixed(2)} p99_ms=${fmt(percentile(mine.latencies, 99))} baseline_p99_ms=${fmt(percentile(base.latencies, 99))} connections=${connections}`;
  } finally {
    await baseline.close();
    await ours.close();
    await pool.end();
    await ctx.close();
  }
}

async function drainReports(ctx: Awaited<ReturnType<typeof createTestContext>>, expected: number): Promise<number> {
  const connection = new Redis(ctx.config.redisUrl, { maxRetriesPerRequest: null });
  const dialing = createDialingDeps(ctx.deps);
  let done = 0;
  const worker = new Worker(
    'webhooks',
    async (job: Job, token?: string) => {
      const r = await webhookApply(job.data, { deps: ctx.deps, job, token, rateLimit: async () => undefined, dialing: () => dialing } as never);
      done += 1;
      return r;
    },
    { connection, prefix: ctx.deps.queues.prefix, concurrency: 10 },
  );
  try {
    const deadline = Date.now() + 300_000;
    while (done < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return done;
  } finally {
    await worker.close();
    connection.disconnect();
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
