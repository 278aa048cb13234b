import http from 'node:http';
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { apply } from 'json-logic-js';
import { createTestContext } from '../tests/support/test-app';
import { createContact, createPortalWithKey } from '../tests/support/factories';
import { chainGraph } from '../tests/fixtures/scripts/script-samples';

// npm run bench -- script-step [--requests 2000] [--nodes 50]
// The app on a fresh database, a published 50-node graph, and real HTTP tool-calls to
// /webhooks/vapi as Vapi sends them (research/vapi.md §3.7), one at a time: each is a SELECT of
// the call, the graph walk and the UPDATE recording the step. Latency is measured at the client
// (so it includes HTTP on loopback) and in the server (request in → response finished, our own
// time without the client or the socket hop). Baseline: the graph's branch rule evaluated bare with
// json-logic-js, in the same process and run. Target: p99 < 10 ms.

const SECRET = 'bench-webhook-secret';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer`);
  return v;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const fmt = (ms: number) => ms.toFixed(3);

function postJson(agent: http.Agent, port: number, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/webhooks/vapi', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-vapi-secret': SECRET } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const toolCallBody = (attemptId: string, providerCallId: string, toolCallId: string, answer: string) =>
  JSON.stringify({
    message: {
      type: 'tool-calls',
      timestamp: Date.now(),
      call: { id: providerCallId, assistantOverrides: { metadata: { attemptId } } },
      toolCallList: [{ id: toolCallId, name: 'next_step', parameters: { answer } }],
    },
  });

async function main() {
  const requests = flag('requests', 2000);
  const nodeCount = flag('nodes', 50);
  const warmup = 100;
  const ctx = await createTestContext({ VAPI_WEBHOOK_SECRET: SECRET, LOG_LEVEL: 'error' });
  const serverMs: number[] = [];
  const httpServer = http.createServer((req, res) => {
    const t0 = performance.now();
    res.on('finish', () => serverMs.push(performance.now() - t0));
    ctx.app(req, res);
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const server = { port: (httpServer.address() as { port: number }).port, close: () => new Promise<void>((resolve) => httpServer.close(() => resolve())) };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const db = ctx.deps.db;
    const { portal, auth } = await createPortalWithKey(db);
    const contact = await createContact(db, portal.id, { firstName: 'Bench' });
    const graph = chainGraph(nodeCount);
    const base = `http://127.0.0.1:${server.port}/api/v1`;
    const headers = { ...auth, 'content-type': 'application/json' };
    const created = await fetch(`${base}/scripts`, { method: 'POST', headers, body: JSON.stringify({ name: 'bench', graph }) });
    if (created.status !== 201) throw new Error(`create script: ${created.status} ${await created.text()}`);
    const scriptId = ((await created.json()) as { id: string }).id;
    const published = await fetch(`${base}/scripts/${scriptId}/publish`, { method: 'POST', headers, body: '{}' });
    const version = ((await published.json()) as { version: { id: string; graph: { nodes: unknown[] } } }).version;
    const rounds = graph.nodes.filter((n: { type: string }) => n.type === 'ask').length;

    // One call walks the whole graph in `rounds` tool calls; make enough calls for every request.
    const callCount = Math.ceil((requests + warmup) / rounds);
    const calls = Array.from({ length: callCount }, (_, i) => ({
      id: crypto.randomUUID(),
      portalId: portal.id,
      contactId: contact.id,
      idempotencyKey: `bench:${i}:${crypto.randomUUID()}`,
      toPhone: contact.phone,
      providerCallId: `bench-call-${i}-${crypto.randomUUID()}`,
      status: 'in_progress' as const,
      scriptVersionId: version.id,
    }));
    await db.call.createMany({ data: calls });

    const latencies: number[] = [];
    serverMs.length = 0;
    let sent = 0;
    for (const call of calls) {
      for (let step = 0; step < rounds && sent < requests + warmup; step++, sent++) {
        const body = toolCallBody(call.id, call.providerCallId, `tc-${step}`, step % 2 ? 'no' : 'yes');
        const t0 = performance.now();
        const res = await postJson(agent, server.port, body);
        const ms = performance.now() - t0;
        const result = (JSON.parse(res.text) as { results?: Array<{ result: string }> }).results?.[0]?.result ?? '';
        if (res.status !== 200 || !result.startsWith('Say:')) throw new Error(`unexpected answer ${res.status}: ${res.text.slice(0, 200)}`);
        if (sent >= warmup) latencies.push(ms);
      }
    }
    // The steps really were recorded: the first call walked the whole graph.
    const first = await db.call.findUniqueOrThrow({ where: { id: calls[0]!.id } });
    const path = first.scriptPath as Array<{ stop: string }>;
    if (path.length !== rounds || path[path.length - 1]!.stop !== 'done') throw new Error(`call path not recorded: ${JSON.stringify(path).slice(0, 200)}`);

    // Baseline: the same branch rule, bare.
    const rule = (graph.nodes.find((n: { id: string }) => n.id === 'branch_0') as { edges: Array<{ when: unknown }> }).edges[0]!.when;
    const data = { contact: { firstName: 'Bench' }, answers: { q0: true }, call: { attemptNumber: 1 } };
    const bare: number[] = [];
    for (let i = 0; i < warmup + latencies.length; i++) {
      const t0 = performance.now();
      apply(rule as Parameters<typeof apply>[0], data);
      const ms = performance.now() - t0;
      if (i >= warmup) bare.push(ms);
    }

    const ours = serverMs.slice(warmup).sort((a, b) => a - b);
    latencies.sort((a, b) => a - b);
    bare.sort((a, b) => a - b);
    console.log(`script-step: ${latencies.length} tool calls over HTTP (after ${warmup} warm-up), ${calls.length} calls, graph of ${version.graph.nodes.length} nodes`);
    console.log(`  client:   p50 ${fmt(percentile(latencies, 50))} ms  p90 ${fmt(percentile(latencies, 90))} ms  p99 ${fmt(percentile(latencies, 99))} ms  max ${fmt(latencies[latencies.length - 1]!)} ms`);
    console.log(`  server:   p50 ${fmt(percentile(ours, 50))} ms  p90 ${fmt(percentile(ours, 90))} ms  p99 ${fmt(percentile(ours, 99))} ms (request in → response finished)`);
    console.log(`  baseline: p50 ${fmt(percentile(bare, 50))} ms  p99 ${fmt(percentile(bare, 99))} ms (json-logic-js apply, same rule)`);
    return `RESULT script-step p50_ms=${fmt(percentile(latencies, 50))} p99_ms=${fmt(percentile(latencies, 99))} baseline_p99_ms=${fmt(percentile(bare, 99))} server_p50_ms=${fmt(percentile(ours, 50))} server_p99_ms=${fmt(percentile(ours, 99))} requests=${latencies.length} nodes=${version.graph.nodes.length}`;
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
