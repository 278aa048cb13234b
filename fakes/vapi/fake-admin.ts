import type http from 'node:http';
import type { FaultBook, FaultRule } from './fake-faults';
import type { FakeState } from './fake-state';
import type { Configurable } from './vapi-fake';

// The fake's control panel for tests that run it as a separate process (no auth: it binds to
// loopback and exists only in development). In-process tests use the returned handle instead.
//   GET  /__fake/state              counters, max live calls, duplicate attempt ids
//   GET  /__fake/ledger/:attemptId  what the fake saw for one attempt
//   POST /__fake/faults             {"rules":[{"fault":{"kind":"status","status":503},"times":2}]}
//   POST /__fake/config             {"concurrencyLimit":2,"refusal":"rotate","rateLimit":{"max":5,"windowMs":1000}}

interface AdminDeps {
  state: FakeState;
  faults: FaultBook;
  configure: (patch: Configurable) => void;
}

const CONFIG_KEYS = ['concurrencyLimit', 'refusal', 'rateLimit', 'outcomeMix', 'account', 'timeScale', 'latencyMs', 'phoneNumberIds', 'assistantIds'] as const;

export async function handleAdmin(req: http.IncomingMessage, res: http.ServerResponse, url: URL, deps: AdminDeps): Promise<void> {
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.method === 'GET' && url.pathname === '/__fake/state') {
    return send(200, { stats: deps.state.stats(), duplicates: deps.state.duplicates() });
  }
  const ledger = /^\/__fake\/ledger\/(.+)$/.exec(url.pathname);
  if (req.method === 'GET' && ledger) {
    const entry = deps.state.ledger.get(decodeURIComponent(ledger[1]!));
    return entry ? send(200, entry) : send(404, { message: 'attempt not seen' });
  }
  if (req.method === 'POST' && (url.pathname === '/__fake/faults' || url.pathname === '/__fake/config')) {
    let body: any;
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      return send(400, { message: 'body must be JSON' });
    }
    if (url.pathname === '/__fake/faults') {
      if (!Array.isArray(body.rules)) return send(400, { message: 'expected {"rules":[…]}' });
      // JSON has no Infinity: "times": -1 means every matching request.
      deps.faults.set((body.rules as FaultRule[]).map((r) => ({ ...r, times: r.times === -1 ? Infinity : r.times })));
      return send(200, { ok: true });
    }
    const patch = Object.fromEntries(CONFIG_KEYS.filter((k) => k in body).map((k) => [k, body[k]])) as Configurable;
    deps.configure(patch);
    return send(200, { ok: true, applied: Object.keys(patch) });
  }
  send(404, { message: 'unknown control route' });
}
