import { AppError } from '../platform/app-error';

// What HubSpot failures become on our side. Callers (jobs, the domain) branch on these types,
// never on SDK exceptions. Messages carry HubSpot's own sentence and correlation id, never a token.

export class HubSpotRateLimitedError extends AppError {
  constructor(
    readonly retryAfterMs: number,
    readonly policyName: string | undefined,
    message = `HubSpot's rate limit was reached${policyName ? ` (${policyName})` : ''}; retry in ${retryAfterMs} ms.`,
  ) {
    super('HUBSPOT_RATE_LIMITED', 503, message, { retryAfterMs, policyName });
  }
}

export class HubSpotApiError extends AppError {
  constructor(
    readonly hubspotStatus: number,
    readonly category: string | undefined,
    readonly correlationId: string | undefined,
    message: string,
    code = hubspotStatus === 404 ? 'HUBSPOT_NOT_FOUND' : hubspotStatus === 401 ? 'HUBSPOT_UNAUTHORIZED' : 'HUBSPOT_API_ERROR',
  ) {
    super(code, hubspotStatus === 404 ? 404 : 502, message, { hubspotStatus, category, correlationId });
  }

  /** Worth trying again later: HubSpot busy or down, locked records, a data migration, the network. */
  get isRetryable(): boolean {
    return this.hubspotStatus === 0 || this.hubspotStatus >= 500 || this.hubspotStatus === 423 || this.hubspotStatus === 477;
  }
}

export const hubspotNotInstalled = (portalId: string) =>
  new AppError('HUBSPOT_NOT_INSTALLED', 409, `Portal ${portalId} has not installed the HubSpot app; install it from /oauth/install.`);

export const hubspotReinstallRequired = (portalId: string) =>
  new AppError(
    'HUBSPOT_REINSTALL_REQUIRED',
    409,
    `HubSpot no longer accepts the stored authorization for portal ${portalId} (the app was uninstalled or its access revoked); reinstall it from /oauth/install.`,
  );

/** The SDK's ApiException, recognised by shape: every generated API module has its own class. */
export interface SdkApiException {
  code: number;
  body: unknown;
  headers: Record<string, string>;
}

export function isSdkApiException(err: unknown): err is SdkApiException {
  return typeof err === 'object' && err !== null && typeof (err as SdkApiException).code === 'number' && 'body' in err && 'headers' in err;
}

const bodyField = (body: unknown, key: string): string | undefined => {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : undefined;
};

/**
 * How long to wait after a 429. HubSpot's API 429s carry the window length
 * (X-HubSpot-RateLimit-Interval-Milliseconds) rather than Retry-After; waiting one whole rolling
 * window is always enough. A Retry-After (seconds), when sent, wins.
 */
export function retryAfterFrom(headers: Record<string, string>, body: unknown): number {
  const h = (name: string) => headers[name] ?? headers[name.toLowerCase()];
  const retryAfter = h('retry-after');
  if (retryAfter !== undefined && /^\d+(\.\d+)?$/.test(retryAfter.trim())) return Math.ceil(Number(retryAfter) * 1000);
  if (retryAfter) {
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(at - Date.now(), 0);
  }
  if (bodyField(body, 'message') === 'You have reached your secondly limit.') return 1000;
  const interval = Number(h('x-hubspot-ratelimit-interval-milliseconds'));
  return Number.isFinite(interval) && interval > 0 ? interval : 10_000;
}

/** Turns anything the SDK throws into one of our errors; `what` names the operation for the message. */
export function fromSdkError(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  if (isSdkApiException(err)) {
    const { code, body, headers } = err;
    if (code === 429) return new HubSpotRateLimitedError(retryAfterFrom(headers, body), bodyField(body, 'policyName'));
    const message = bodyField(body, 'message') ?? 'no message';
    const correlationId = bodyField(body, 'correlationId');
    return new HubSpotApiError(code, bodyField(body, 'category'), correlationId, `HubSpot refused ${what} (HTTP ${code}): ${message}`);
  }
  const reason = err instanceof Error ? err.message : String(err);
  return new HubSpotApiError(0, 'NETWORK', undefined, `Could not reach HubSpot for ${what}: ${reason}`);
}
