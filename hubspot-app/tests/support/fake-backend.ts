import type { FetchOptions, FetchResult, Fetcher } from '../../app/cards/lib/backend-client';

// A stand-in for hubspot.fetch: answers by method and path (query ignored unless asked) and
// records every request, so view tests see exactly what the card would send to the backend.

export const BASE = 'https://calls.example.test';

export interface Recorded {
  method: string;
  url: string;
  path: string;
  query: Record<string, string>;
  body?: Record<string, unknown>;
}

type Reply = { status?: number; body?: unknown } | (() => Promise<{ status?: number; body?: unknown }>) | 'network-error' | 'never';

export function fakeBackend() {
  const routes = new Map<string, Reply[]>();
  const requests: Recorded[] = [];
  const fetcher: Fetcher = async (url: string, options: FetchOptions): Promise<FetchResult> => {
    const u = new URL(url);
    const path = u.pathname.replace(/^\/api\/v1/, '');
    requests.push({ method: options.method, url, path, query: Object.fromEntries(u.searchParams), ...(options.body ? { body: options.body } : {}) });
    const key = `${options.method} ${path}`;
    const queue = routes.get(key);
    const reply = queue && queue.length > 1 ? queue.shift()! : queue?.[0];
    if (!reply) return { ok: false, status: 404, json: async () => ({ error: { code: 'NOT_FOUND', message: `fake has no ${key}` } }) };
    if (reply === 'network-error') throw new Error('network down');
    if (reply === 'never') return new Promise(() => undefined);
    const r = typeof reply === 'function' ? await reply() : reply;
    const status = r.status ?? 200;
    return { ok: status >= 200 && status < 300, status, json: async () => r.body ?? null };
  };
  return {
    fetcher,
    requests,
    /** Answers `METHOD /path` (path after /api/v1); several replies are used in turn, the last one repeats. */
    on(method: string, path: string, ...replies: Reply[]) {
      routes.set(`${method} ${path}`, replies);
    },
    calls(method: string, path: string) {
      return requests.filter((r) => r.method === method && r.path === path);
    },
  };
}

export const tick = () => new Promise((r) => setTimeout(r, 0));

/**
 * A reply held back until `release()`: the view stays in its loading state meanwhile. Release it
 * before the test ends, so the view's "slow" timer does not outlive the test.
 */
export function heldReply(reply: { status?: number; body?: unknown } = {}) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  return { reply: async () => (await gate, reply), release: () => release() };
}
