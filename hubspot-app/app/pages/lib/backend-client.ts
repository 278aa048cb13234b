// The one way the app's cards and pages talk to our backend. HubSpot's `hubspot.fetch` is passed
// in (tests pass a fake): it signs each request (X-HubSpot-Signature-v3), sends JSON only and
// adds the portal and user to the query string, which the backend trusts only after checking the
// signature. Every failure becomes a BackendError whose message is a sentence to show as is.
//
// HubSpot builds each extension folder on its own, so this file is copied into cards/, pages/
// and settings/; a test keeps the copies identical.

export interface FetchResult {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

export interface FetchOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: Record<string, unknown>;
  timeout?: number;
}

export type Fetcher = (url: string, options: FetchOptions) => Promise<FetchResult>;

export class BackendError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** The backend's error details, when it sent some (e.g. every problem of a refused form). */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

type Query = Record<string, string | number | boolean | null | undefined>;

export interface Backend {
  get<T>(path: string, query?: Query): Promise<T>;
  post<T>(path: string, body?: Record<string, unknown>): Promise<T>;
  put<T>(path: string, body?: Record<string, unknown>): Promise<T>;
  patch<T>(path: string, body?: Record<string, unknown>): Promise<T>;
  del<T>(path: string, query?: Query): Promise<T>;
}

/** hubspot.fetch gives up after 15 s by default; our calls should answer well within that. */
export const REQUEST_TIMEOUT_MS = 15_000;

const STATUS_WORDS: Record<number, string> = {
  401: 'The calling service could not verify this request from HubSpot. If this keeps happening, reinstall the app.',
  403: 'This HubSpot account is not allowed to do that.',
  404: 'That item no longer exists.',
  413: 'That is too large to send from HubSpot.',
  429: 'Too many requests at once. Wait a moment and try again.',
};

function wordsFor(status: number): string {
  if (STATUS_WORDS[status]) return STATUS_WORDS[status]!;
  if (status >= 500) return `The calling service had a problem (HTTP ${status}). Try again in a moment.`;
  return `The calling service refused the request (HTTP ${status}).`;
}

function queryString(query?: Query): string {
  if (!query) return '';
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

export function createBackend(opts: { baseUrl: string | undefined; fetcher: Fetcher; timeoutMs?: number }): Backend {
  const base = (opts.baseUrl ?? '').replace(/\/+$/, '');

  async function send<T>(method: FetchOptions['method'], path: string, body?: Record<string, unknown>, query?: Query): Promise<T> {
    if (!/^https:\/\//.test(base)) {
      throw new BackendError('BACKEND_NOT_CONFIGURED', 0, 'The app does not know its backend address (BACKEND_URL in the project profile). Ask the app owner to redeploy it with a profile.');
    }
    let res: FetchResult;
    try {
      res = await opts.fetcher(`${base}/api/v1${path}${queryString(query)}`, { method, timeout: opts.timeoutMs ?? REQUEST_TIMEOUT_MS, ...(body ? { body } : {}) });
    } catch {
      throw new BackendError('BACKEND_UNREACHABLE', 0, 'The calling service did not answer in time. Check your connection and try again.');
    }
    if (res.status === 204) return undefined as T;
    let data: unknown = null;
    try {
      data = await res.json();
    } catch {
      data = null;
    }
    if (!res.ok) {
      const err = (data as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
      const message = typeof err?.message === 'string' && err.message ? err.message : wordsFor(res.status);
      throw new BackendError(typeof err?.code === 'string' ? err.code : `HTTP_${res.status}`, res.status, message, err?.details);
    }
    return data as T;
  }

  return {
    get: (path, query) => send('GET', path, undefined, query),
    post: (path, body) => send('POST', path, body ?? {}),
    put: (path, body) => send('PUT', path, body ?? {}),
    patch: (path, body) => send('PATCH', path, body ?? {}),
    del: (path, query) => send('DELETE', path, undefined, query),
  };
}

export function messageOf(err: unknown): string {
  if (err instanceof BackendError) return err.message;
  return 'Something went wrong. Try again in a moment.';
}
