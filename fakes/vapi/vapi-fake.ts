import http from 'node:http';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DEFAULTS, type RefusalForm, type VapiFakeOptions } from './fake-options';
import { FakeState } from './fake-state';
import { FakeClock, seededRandom } from './fake-timers';
import { FaultBook, RateWindow, type Fault, type FaultRule } from './fake-faults';
import { WebhookSender } from './fake-webhooks';
import { attemptIdOf, decideCreate, refusalPicker } from './fake-create-call';
import { creationSnapshot, currentCall } from './fake-payloads';
import { runCall } from './fake-simulator';
import { handleAdmin } from './fake-admin';

// A local Vapi: POST /call, GET /call/:id, GET /call with Vapi's wire format and Bearer auth,
// its concurrency and rate limits, injected faults, and simulated calls that post webhooks and
// walk the script's tool calls against our backend. Start it in-process with startVapiFake()
// or standalone with `npm run fakes:vapi`.

export type Configurable = Pick<
  VapiFakeOptions,
  'concurrencyLimit' | 'refusal' | 'rateLimit' | 'outcomeMix' | 'scriptFor' | 'account' | 'timeScale' | 'latencyMs' | 'phoneNumberIds' | 'assistantIds'
>;

export interface VapiFake {
  url: string;
  port: number;
  state: FakeState;
  options: VapiFakeOptions;
  setFaults(rules: FaultRule[]): void;
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  configure(patch: Configurable): void;
  /** Resolves when every call has ended and its webhooks are sent. */
  waitForIdle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

type Res = http.ServerResponse;
const json = (res: Res, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};
const nestError = (status: number, message: string | string[], error: string) => ({ message, error, statusCode: status });

export async function startVapiFake(input: VapiFakeOptions = {}): Promise<VapiFake> {
  const options: VapiFakeOptions = { ...input };
  // Separate streams: which outcome each call gets depends only on the order of creates, not on
  // how the simulations of earlier calls interleave.
  const seed = options.seed ?? DEFAULTS.seed;
  const rand = seededRandom(seed);
  const outcomeRand = seededRandom(seed ^ 0x5bd1e995);
  const state = new FakeState();
  const clock = new FakeClock(options.timeScale ?? DEFAULTS.timeScale);
  const faults = new FaultBook(rand);
  const rate = new RateWindow(options.rateLimit ?? null);
  const apiKeys = new Set(options.apiKeys ?? DEFAULTS.apiKeys);
  const orgId = crypto.randomUUID();
  const held = new Set<Res>();
  const nextRefusal = refusalPicker(() => (options.refusal ?? DEFAULTS.refusal) as RefusalForm | 'rotate');
  const sender = new WebhookSender(
    {
      auth: options.webhook?.auth ?? { type: 'none' },
      timeoutMs: options.webhook?.timeoutMs ?? DEFAULTS.webhookTimeoutMs,
      duplicateRate: options.webhook?.duplicateRate ?? 0,
      dropRate: options.webhook?.dropRate ?? 0,
      dropTypes: options.webhook?.dropTypes ?? [],
      rand,
    },
    state,
  );
  const simDeps = () => ({
    state,
    clock,
    sender,
    rand,
    durations: { ...DEFAULTS.durations, ...(options.durations ?? {}) },
    webhookUrl: options.webhook?.url,
    toolName: options.toolWalk?.toolName ?? DEFAULTS.toolName,
    maxToolSteps: options.toolWalk?.maxSteps ?? DEFAULTS.maxToolSteps,
    answer: options.toolWalk?.answer,
  });

  // Answers with the fault if it fires before the normal answer; true when the response is taken.
  async function applyFault(fault: Fault | undefined, res: Res, phase: 'before' | 'after'): Promise<boolean> {
    if (!fault) return false;
    if (fault.kind === 'latency') {
      if (phase === 'before') await clockless(fault.ms);
      return false;
    }
    if ((phase === 'after') !== Boolean(fault.afterCreate)) return false;
    state.counters.faultsInjected += 1;
    if (fault.kind === 'status') json(res, fault.status, fault.body ?? nestError(fault.status, 'Injected fault', http.STATUS_CODES[fault.status] ?? 'Error'), fault.headers);
    else if (fault.kind === 'reset') res.socket?.destroy();
    else {
      held.add(res);
      const timer = setTimeout(() => res.socket?.destroy(), fault.holdMs ?? 120_000);
      res.on('close', () => {
        clearTimeout(timer);
        held.delete(res);
      });
    }
    return true;
  }

  async function createCall(apiKey: string, body: Record<string, any>, res: Res) {
    const fault = faults.take('create');
    if (await applyFault(fault, res, 'before')) return;
    const decision = decideCreate(apiKey, body, {
      state,
      options: { ...options, concurrencyLimit: options.concurrencyLimit ?? DEFAULTS.concurrencyLimit, attemptIdKey: options.attemptIdKey ?? DEFAULTS.attemptIdKey },
      orgId,
      rand: outcomeRand,
      nextRefusal,
    });
    if (decision.kind === 'bad_request') {
      state.counters.badRequests += 1;
      return json(res, 400, nestError(400, decision.messages, 'Bad Request'));
    }
    if (decision.kind === 'refused_400') return json(res, 400, nestError(400, ['Over Concurrency Limit.'], 'Bad Request'));
    const { call, script, info, blocked, endAtStart } = decision;
    clock.track(runCall(call, script, info, simDeps(), endAtStart));
    if (await applyFault(fault, res, 'after')) return;
    const limit = options.concurrencyLimit ?? DEFAULTS.concurrencyLimit;
    const subscriptionLimits = { concurrencyBlocked: blocked, concurrencyLimit: limit, remainingConcurrentCalls: Math.max(0, limit - state.liveCalls(apiKey)) };
    json(res, 201, { subscriptionLimits, ...creationSnapshot(call) });
  }

  function listCalls(apiKey: string, url: URL, res: Res) {
    const q = url.searchParams;
    const limit = q.has('limit') ? Number(q.get('limit')) : 100;
    if (!Number.isInteger(limit) || limit < 0) return json(res, 400, nestError(400, ['limit must be an integer number'], 'Bad Request'));
    if (limit > 1000) return json(res, 400, nestError(400, ['limit must not be greater than 1000'], 'Bad Request'));
    const bounds: Array<[string, 'createdAt' | 'updatedAt', (a: number, b: number) => boolean]> = [];
    for (const field of ['createdAt', 'updatedAt'] as const) {
      for (const [suffix, cmp] of [['Gt', (a: number, b: number) => a > b], ['Ge', (a: number, b: number) => a >= b], ['Lt', (a: number, b: number) => a < b], ['Le', (a: number, b: number) => a <= b]] as const) {
        const name = `${field}${suffix}`;
        if (q.has(name)) bounds.push([name, field, cmp]);
      }
    }
    const bad = bounds.find(([name]) => Number.isNaN(Date.parse(q.get(name)!)));
    if (bad) return json(res, 400, nestError(400, [`${bad[0]} must be a valid ISO 8601 date string`], 'Bad Request'));
    const calls = [...state.calls.values()]
      .filter((c) => c.apiKey === apiKey)
      .filter((c) => (!q.has('id') || c.id === q.get('id')) && (!q.has('assistantId') || c.request.assistantId === q.get('assistantId')))
      .filter((c) => !q.has('phoneNumberId') || c.request.phoneNumberId === q.get('phoneNumberId'))
      .filter((c) => bounds.every(([name, field, cmp]) => cmp(Date.parse(c[field]), Date.parse(q.get(name)!))))
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
      .slice(0, limit);
    json(res, 200, calls.map(currentCall));
  }

  async function handle(req: http.IncomingMessage, res: Res) {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname.startsWith('/__fake/')) return handleAdmin(req, res, url, { state, faults, configure });
    if (options.latencyMs) await clockless(options.latencyMs);
    const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !apiKeys.has(token)) {
      state.counters.unauthorized += 1;
      return json(res, 401, nestError(401, 'Unauthorized', 'Unauthorized'));
    }
    const isCreate = req.method === 'POST' && url.pathname === '/call';
    const body = isCreate ? await readJson(req) : undefined;
    if (isCreate) {
      state.counters.createRequests += 1;
      const attemptId = body && typeof body === 'object' ? attemptIdOf(body as Record<string, any>, options.attemptIdKey ?? DEFAULTS.attemptIdKey) : null;
      if (attemptId) state.entry(attemptId).requests += 1;
    }
    const wait = rate.check(token, isCreate);
    if (wait !== undefined) {
      state.counters.rateLimited += 1;
      return json(res, 429, nestError(429, 'Too Many Requests', 'Too Many Requests'), { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) });
    }
    if (isCreate) {
      state.createTimes.push(Date.now());
      if (body === INVALID_JSON) return json(res, 400, nestError(400, 'Unexpected token in JSON body', 'Bad Request'));
      return createCall(token, body as Record<string, any>, res);
    }
    const one = /^\/call\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && one) {
      state.counters.getRequests += 1;
      if (await applyFault(faults.take('get'), res, 'before')) return;
      const call = state.calls.get(decodeURIComponent(one[1]!));
      return call && call.apiKey === token ? json(res, 200, currentCall(call)) : json(res, 404, nestError(404, 'Not Found', 'Not Found'));
    }
    if (req.method === 'GET' && url.pathname === '/call') {
      state.counters.listRequests += 1;
      if (await applyFault(faults.take('list'), res, 'before')) return;
      return listCalls(token, url, res);
    }
    json(res, 404, nestError(404, `Cannot ${req.method} ${url.pathname}`, 'Not Found'));
  }

  function configure(patch: Configurable) {
    Object.assign(options, patch);
    if ('rateLimit' in patch) rate.limit = patch.rateLimit ?? null;
    if (patch.timeScale !== undefined) clock.timeScale = patch.timeScale;
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) json(res, 500, nestError(500, String(err), 'Internal Server Error'));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? DEFAULTS.host, resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${options.host ?? DEFAULTS.host}:${port}`,
    port,
    state,
    options,
    setFaults: (rules) => faults.set(rules),
    addFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    configure,
    waitForIdle: (timeoutMs = 30_000) => clock.waitForIdle(timeoutMs),
    async close() {
      clock.close();
      for (const res of held) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const INVALID_JSON = Symbol('invalid json');
const MAX_BODY = 2 * 1024 * 1024;

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return INVALID_JSON;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return INVALID_JSON;
  }
}

const clockless = (ms: number) => new Promise((r) => setTimeout(r, ms));
