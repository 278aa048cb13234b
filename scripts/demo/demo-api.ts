// A small client for our own HTTP API, as any integrator would use it: JSON over fetch with the
// portal's API key; a non-2xx answer becomes an error carrying the API's code and sentence.

export class DemoApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    const e = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    super(`${what} failed: HTTP ${status}${e ? ` ${e.code}: ${e.message}` : ''}`);
  }
}

export interface DemoApi {
  get<T = any>(path: string): Promise<T>;
  post<T = any>(path: string, body?: unknown): Promise<T>;
  /** POST a CSV file as text/csv (query options in the path). */
  postCsv<T = any>(path: string, csv: string, fileName: string): Promise<T>;
}

export function createDemoApi(baseUrl: string, apiKey: string): DemoApi {
  async function send<T>(method: string, path: string, body: string | undefined, contentType: string | undefined, extra: Record<string, string> = {}): Promise<T> {
    const res = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(contentType ? { 'content-type': contentType } : {}), ...extra },
      body,
    });
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) throw new DemoApiError(res.status, parsed, `${method} ${path}`);
    return parsed as T;
  }
  return {
    get: (path) => send('GET', path, undefined, undefined),
    post: (path, body) => send('POST', path, body === undefined ? undefined : JSON.stringify(body), body === undefined ? undefined : 'application/json'),
    postCsv: (path, csv, fileName) => send('POST', path, csv, 'text/csv', { 'x-file-name': fileName }),
  };
}
