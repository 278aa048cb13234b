import type { Vapi } from '@vapi-ai/server-sdk';
import sdkPackage from '@vapi-ai/server-sdk/package.json';
// The SDK as one file, made at install by scripts/bundle-vapi-sdk.js (why: that script's header).
import { BUNDLED_SDK_VERSION, VapiClient } from '../../../generated/vapi-sdk';
import { vapiHttpFetch } from './vapi-http-fetch';

// The only file that constructs the Vapi SDK. Retries are off for every request (style.md habit
// 6): the SDK would retry a POST /call on 408/429/5xx and could dial the same person twice
// (research/vapi.md §0.4). BullMQ owns retries, after reconciling by attempt id.

/**
 * Per-request timeout: a hung request becomes an ambiguous result (reconciled by attempt id) after
 * 10 s. The dial job's lock (queues/catalog.ts QUEUE_LOCKS) is renewed while the job waits.
 */
export const VAPI_REQUEST_TIMEOUT_MS = 10_000;

export interface VapiClientOptions {
  apiKey: string;
  /** config.vapi.baseUrl: https://api.vapi.ai, or the local fake. */
  baseUrl: string;
  timeoutMs?: number;
}

/** Raw bodies as unknown: the provider validates them with zod before branching on them. */
export interface VapiApi {
  createCall(request: Vapi.CreateCallDto): Promise<unknown>;
  getCall(id: string): Promise<unknown>;
  listCalls(query: { createdAtGe?: string; createdAtLe?: string; limit?: number }): Promise<unknown>;
}

/** The bundle is made at install; an SDK upgraded without install scripts would leave it stale. */
export function assertVapiBundleCurrent(installed: string = sdkPackage.version, bundled: string = BUNDLED_SDK_VERSION): void {
  if (installed !== bundled) {
    throw new Error(`the bundled Vapi SDK is ${bundled} but @vapi-ai/server-sdk ${installed} is installed; run \`npm run vapi:bundle\``);
  }
}

export function createVapiClient(options: VapiClientOptions): VapiApi {
  assertVapiBundleCurrent();
  const timeoutInSeconds = (options.timeoutMs ?? VAPI_REQUEST_TIMEOUT_MS) / 1000;
  // The bytes go over node:http(s), not the built-in fetch: a dial's CPU (vapi-http-fetch.ts).
  const sdk = new VapiClient({ token: options.apiKey, baseUrl: options.baseUrl, maxRetries: 0, timeoutInSeconds, fetch: vapiHttpFetch as typeof fetch });
  const perRequest = { maxRetries: 0, timeoutInSeconds };
  return {
    createCall: async (request) => sdk.calls.create(request, perRequest),
    getCall: async (id) => sdk.calls.get({ id }, perRequest),
    listCalls: async (query) => sdk.calls.list(query, perRequest),
  };
}
