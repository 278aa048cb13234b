import http from 'node:http';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { FakeClock, seededRandom } from '../vapi/fake-timers';
import { FaultBook, RateWindow, type Fault, type FaultRule } from '../vapi/fake-faults';
import { RETELL_DEFAULTS, type RetellFakeOptions, type RetellFakeOutcome } from './fake-options';
import { RetellFakeState, type RetellFakeCall } from './fake-state';
import { RetellSender } from './fake-sender';
import { runRetellCall } from './fake-simulator';

// A local Retell: POST /v2/create-phone-call, GET /v2/get-call/:id, POST /v3/list-calls in
// Retell's wire format (retell-sdk 5.66.1 types) with Bearer API keys, a concurrency limit per
// key, a rate limit, injected faults, and simulated calls that post signed webhooks
// (call_started, call_ended, call_analyzed) and call the agent's next_step custom function.
// Start it in-process with startRetellFake() or standalone with `npm run fakes:retell`.

/** `webhook` (URLs, dropEvents) applies to calls created after the change; its timeout and duplicate rate are fixed at start. */
export type RetellConfigurable = Pick<RetellFakeOptions, 'concurrencyLimit' | 'refusal' | 'rateLimit' | 'outcomeMix' | 'scriptFor' | 'timeScale' | 'latencyMs' | 'agentIds' | 'fromNumbers' | 'webhook'>;

export interface RetellFake {
  url: string;
  port: number;
  state: RetellFakeState;
  options: RetellFakeOptions;
  setFaults(rules: FaultRule[]): void;
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  configure(patch: RetellConfigurable): void;
  waitForIdle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

type Res = http.ServerResponse;
const json = (res: Res, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};
const retellError = (message: string) => ({ status: 'error', message });
const E164 = /^\+[1-9]\d{6,14}$/;

export async function startRetellFake(input: RetellFakeOptions = {}): Promise<RetellFake> {
  const options: RetellFakeOptions = { ...input };
  const seed = options.seed ?? RETELL_DEFAULTS.seed;
  const rand = seededRandom(seed);
  const outcomeRand = seededRandom(seed ^ 0x5bd1e995);
  const state = new RetellFakeState();
  const clock = new FakeClock(options.timeScale ?? RETELL_DEFAULTS.timeScale);
  const faults = new FaultBook(rand);
  const rate = new RateWindow(options.rateLimit ?? null);
  const apiKeys = new Set(options.apiKeys ?? RETELL_DEFAULTS.apiKeys);
  const held = new Set<Res>();
  let refusals = 0;
  const sender = new RetellSender(state, { timeoutMs: options.webhook?.timeoutMs ?? RETELL_DEFAULTS.webhookTimeoutMs, duplicateRate: options.webhook?.duplicateRate ?? 0, rand });
  const simDeps = () => ({
    state,
    clock,
    sender,
    rand,
    durations: { ...RETELL_DEFAULTS.durations, ...(options.durations ?? {}) },
    webhookUrl: options.webhook?.url,
    functionUrl: options.webhook?.functionUrl,
    dropEvents: options.webhook?.dropEvents ?? [],
    maxFunctionSteps: options.maxFunctionSteps ?? RETELL_DEFAULTS.maxFunctionSteps,
  });

  function pickOutcome(): RetellFakeOutcome {
    const mix = Object.entries(options.outcomeMix ?? RETELL_DEFAULTS.outcomeMix).filter(([, w]) => (w ?? 0) > 0) as Array<[RetellFakeOutcome, number]>;
    const total = mix.reduce((n, [, w]) => n + w, 0);
    let r = outcomeRand() * total;
    for (const [o, w] of mix) if ((r -= w) < 0) return o;
    return mix[mix.length - 1]?.[0] ?? 'answered';
  }

  async function applyFault(fault: Fault | undefined, res: Res, phase: 'before' | 'after'): Promise<boolean> {
    if (!fault) return false;
    if (fault.kind === 'latency') {
      if (phase === 'before') await new Promise((r) => setTimeout(r, fault.ms));
      return false;
    }
    if ((phase === 'after') !== Boolean(fault.afterCreate)) return false;
    state.counters.faultsInjected += 1;
    if (fault.kind === 'status') json(res, fault.status, fault.body ?? retellError(`Injected fault (${http.STATUS_CODES[fault.status] ?? 'Error'})`), fault.headers);
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

  async function createPhoneCall(apiKey: string, body: Record<string, any>, res: Res) {
    const fault = faults.take('create');
    if (await applyFault(fault, res, 'before')) return;
    const problems: string[] = [];
    if (typeof body.from_number !== 'string' || !E164.test(body.from_number)) problems.push('from_number must be a valid E.164 number');
    if (typeof body.to_number !== 'string' || !E164.test(body.to_number)) problems.push('to_number must be a valid E.164 number');
    const dyn = body.retell_llm_dynamic_variables;
    if (dyn !== undefined && (typeof dyn !== 'object' || dyn === null || Object.values(dyn).some((v) => typeof v !== 'string'))) problems.push('retell_llm_dynamic_variables values must be strings');
    if (body.metadata !== undefined && (typeof body.metadata !== 'object' || body.metadata === null)) problems.push('metadata must be an object');
    if (problems.length) {
      state.counters.badRequests += 1;
      return json(res, 400, retellError(problems.join('; ')));
    }
    if (options.fromNumbers && !options.fromNumbers.includes(body.from_number)) return json(res, 404, retellError('from_number not found: the phone number is not purchased or imported to this account'));
    if (options.agentIds && body.override_agent_id && !options.agentIds.includes(body.override_agent_id)) return json(res, 404, retellError('agent not found'));
    const attemptId = typeof body.metadata?.attemptId === 'string' ? body.metadata.attemptId : null;
    const limit = options.concurrencyLimit ?? RETELL_DEFAULTS.concurrencyLimit;
    const overLimit = state.liveCalls(apiKey) >= limit;
    const configured = options.refusal ?? RETELL_DEFAULTS.refusal;
    const refusal = configured === 'rotate' ? (overLimit ? (refusals++ % 2 === 0 ? 'http-429' : 'ended-reason') : 'http-429') : configured;
    if (overLimit && refusal === 'http-429') {
      state.counters.refusedConcurrency += 1;
      state.counters.refusedHttp429 += 1;
      if (attemptId) state.entry(attemptId).refused += 1;
      return json(res, 429, retellError(`Concurrency limit reached: ${limit} ongoing calls. Wait for a call to end or raise the limit.`));
    }
    const callId = crypto.randomBytes(16).toString('hex');
    const call: RetellFakeCall = {
      apiKey,
      outcome: overLimit ? 'refused' : (options.scriptFor?.({ callId, number: body.to_number, attemptId, metadata: body.metadata ?? {} }) ?? pickOutcome()),
      holdsSlot: !overLimit,
      request: body,
      attemptId,
      createdAt: Date.now(),
      functionSteps: [],
      wire: {
        call_id: callId,
        call_type: 'phone_call',
        direction: 'outbound',
        agent_id: body.override_agent_id ?? 'agent_default',
        agent_version: 1,
        call_status: 'registered',
        from_number: body.from_number,
        to_number: body.to_number,
        metadata: body.metadata ?? {},
        retell_llm_dynamic_variables: body.retell_llm_dynamic_variables ?? {},
      },
    };
    state.calls.set(callId, call);
    state.counters.created += 1;
    if (attemptId) {
      const e = state.entry(attemptId);
      e.created += 1;
      e.callIds.push(callId);
      if (overLimit) e.refused += 1;
      else e.dialed += 1;
    }
    if (overLimit) {
      state.counters.refusedConcurrency += 1;
      state.counters.refusedEndedReason += 1;
    }
    else {
      state.counters.dialed += 1;
      state.takeSlot(apiKey);
    }
    if (overLimit) {
      // The 'ended-reason' form: the call exists but is already over when the create answers.
      Object.assign(call.wire, { call_status: 'not_connected', disconnection_reason: 'concurrency_limit_reached', end_timestamp: Date.now(), duration_ms: 0 });
    }
    clock.track(runRetellCall(call, simDeps(), overLimit ? 'concurrency_limit_reached' : undefined));
    if (await applyFault(fault, res, 'after')) return;
    json(res, 201, { ...call.wire });
  }

  function listCalls(apiKey: string, body: Record<string, any>, res: Res) {
    const limit = body.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return json(res, 400, retellError('limit must be an integer between 1 and 1000'));
    const f = body.filter_criteria ?? {};
    const metadataFilters: any[] = Array.isArray(f.metadata) ? f.metadata : [];
    const startRange = f.start_timestamp;
    let calls = [...state.calls.values()].filter((c) => c.apiKey === apiKey);
    for (const m of metadataFilters) {
      if (m?.type !== 'string' || m.op !== 'eq' || typeof m.key !== 'string') return json(res, 400, retellError('unsupported metadata filter'));
      calls = calls.filter((c) => c.wire.metadata?.[m.key] === m.value);
    }
    if (startRange) {
      const [lo, hi] = startRange.op === 'bt' && Array.isArray(startRange.value) ? startRange.value : [undefined, undefined];
      if (typeof lo !== 'number' || typeof hi !== 'number') return json(res, 400, retellError('start_timestamp filter must be a range'));
      calls = calls.filter((c) => typeof c.wire.start_timestamp === 'number' && c.wire.start_timestamp >= lo && c.wire.start_timestamp <= hi);
    }
    calls.sort((a, b) => (body.sort_order === 'ascending' ? a.createdAt - b.createdAt : b.createdAt - a.createdAt));
    const skip = typeof body.pagination_key === 'string' ? Number(body.pagination_key) || 0 : 0;
    const page = calls.slice(skip, skip + limit);
    const hasMore = skip + limit < calls.length;
    json(res, 200, { items: page.map((c) => ({ ...c.wire })), has_more: hasMore, ...(hasMore ? { pagination_key: String(skip + limit) } : {}) });
  }

  async function handle(req: http.IncomingMessage, res: Res) {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !apiKeys.has(token)) {
      state.counters.unauthorized += 1;
      return json(res, 401, retellError('Invalid API key'));
    }
    const isCreate = req.method === 'POST' && url.pathname === '/v2/create-phone-call';
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    if (isCreate) {
      state.counters.createRequests += 1;
      const attemptId = (body as any)?.metadata?.attemptId;
      if (typeof attemptId === 'string') state.entry(attemptId).requests += 1;
    }
    const wait = rate.check(token, isCreate);
    if (wait !== undefined) {
      state.counters.rateLimited += 1;
      return json(res, 429, retellError('Too many requests'), { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) });
    }
    if (body === INVALID_JSON) return json(res, 400, retellError('Invalid JSON body'));
    if (isCreate) return createPhoneCall(token, (body ?? {}) as Record<string, any>, res);
    const one = /^\/v2\/get-call\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && one) {
      state.counters.getRequests += 1;
      if (await applyFault(faults.take('get'), res, 'before')) return;
      const call = state.calls.get(decodeURIComponent(one[1]!));
      return call && call.apiKey === token ? json(res, 200, { ...call.wire }) : json(res, 404, retellError('Call not found'));
    }
    if (req.method === 'POST' && url.pathname === '/v3/list-calls') {
      state.counters.listRequests += 1;
      if (await applyFault(faults.take('list'), res, 'before')) return;
      return listCalls(token, (body ?? {}) as Record<string, any>, res);
    }
    json(res, 404, retellError(`Cannot ${req.method} ${url.pathname}`));
  }

  function configure(patch: RetellConfigurable) {
    Object.assign(options, patch);
    if ('rateLimit' in patch) rate.limit = patch.rateLimit ?? null;
    if (patch.timeScale !== undefined) clock.timeScale = patch.timeScale;
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) json(res, 500, retellError(String(err)));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? RETELL_DEFAULTS.host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? RETELL_DEFAULTS.host}:${port}`,
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
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return INVALID_JSON;
  }
}
