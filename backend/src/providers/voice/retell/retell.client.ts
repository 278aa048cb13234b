import Retell from 'retell-sdk';

// The only file that constructs the Retell SDK. Retries are off for every request: the SDK would
// retry a create-phone-call on 408/409/429/5xx and could ring the same person twice. BullMQ owns
// retries, after reconciling by attempt id.

/** Per-request timeout: a hung create becomes an ambiguous result, reconciled by attempt id. */
export const RETELL_REQUEST_TIMEOUT_MS = 10_000;

export interface RetellClientOptions {
  apiKey: string;
  /** config.retell.baseUrl: https://api.retellai.com, or the local fake. */
  baseUrl: string;
  timeoutMs?: number;
}

export type RetellCreatePhoneCall = Parameters<Retell['call']['createPhoneCall']>[0];
export type RetellListCalls = NonNullable<Parameters<Retell['call']['list']>[0]>;

/** Raw bodies as unknown: the provider validates them with zod before branching on them. */
export interface RetellApi {
  createPhoneCall(request: RetellCreatePhoneCall): Promise<unknown>;
  getCall(id: string): Promise<unknown>;
  listCalls(request: RetellListCalls): Promise<unknown>;
}

export function createRetellClient(options: RetellClientOptions): RetellApi {
  const timeout = options.timeoutMs ?? RETELL_REQUEST_TIMEOUT_MS;
  // The SDK logs failed requests to the console at "warn" by default; our logger reports them.
  const sdk = new Retell({ apiKey: options.apiKey, baseURL: options.baseUrl, maxRetries: 0, timeout, logLevel: 'off' });
  const perRequest = { maxRetries: 0, timeout };
  return {
    createPhoneCall: async (request) => sdk.call.createPhoneCall(request, perRequest),
    getCall: async (id) => sdk.call.retrieve(id, perRequest),
    listCalls: async (request) => sdk.call.list(request, perRequest),
  };
}
