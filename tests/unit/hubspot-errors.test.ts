import { HubSpotApiError, HubSpotRateLimitedError, fromSdkError, retryAfterFrom } from '../../backend/src/hubspot/errors';
import { OAuthGrantError, classifyGrantFailure } from '../../backend/src/hubspot/oauth/oauth-client';
import { HUBSPOT_SCOPES, missingScopes } from '../../backend/src/hubspot/scopes';

// The SDK's ApiException shape (code, body, headers), as thrown by @hubspot/api-client 14.
const apiException = (code: number, body: unknown, headers: Record<string, string> = {}) =>
  Object.assign(new Error(`HTTP-Code: ${code}`), { code, body, headers });

const RATE_LIMIT_BODY = {
  status: 'error',
  message: 'You have reached your ten_secondly_rolling limit.',
  errorType: 'RATE_LIMIT',
  correlationId: 'c-1',
  policyName: 'TEN_SECONDLY_ROLLING',
};

describe('HubSpot error mapping', () => {
  it('turns a 429 into HubSpotRateLimitedError with the wait HubSpot implies', () => {
    const e = fromSdkError(apiException(429, RATE_LIMIT_BODY, { 'x-hubspot-ratelimit-interval-milliseconds': '10000' }), 'x');
    expect(e).toBeInstanceOf(HubSpotRateLimitedError);
    expect(e).toMatchObject({ code: 'HUBSPOT_RATE_LIMITED', retryAfterMs: 10_000, policyName: 'TEN_SECONDLY_ROLLING' });
  });

  it('prefers Retry-After (seconds or a date), then the secondly policy, then the window', () => {
    expect(retryAfterFrom({ 'retry-after': '3', 'x-hubspot-ratelimit-interval-milliseconds': '10000' }, RATE_LIMIT_BODY)).toBe(3000);
    const at = new Date(Date.now() + 5000).toUTCString();
    expect(retryAfterFrom({ 'retry-after': at }, {})).toBeGreaterThan(3000);
    expect(retryAfterFrom({}, { message: 'You have reached your secondly limit.' })).toBe(1000);
    expect(retryAfterFrom({ 'x-hubspot-ratelimit-interval-milliseconds': '1000' }, RATE_LIMIT_BODY)).toBe(1000);
    expect(retryAfterFrom({}, {})).toBe(10_000);
  });

  it('keeps HubSpot status, category and correlation id, and says which are retryable', () => {
    const notFound = fromSdkError(apiException(404, { status: 'error', message: 'Object not found.', category: 'OBJECT_NOT_FOUND', correlationId: 'c-2' }), 'contact 1');
    expect(notFound).toBeInstanceOf(HubSpotApiError);
    expect(notFound).toMatchObject({ code: 'HUBSPOT_NOT_FOUND', hubspotStatus: 404, category: 'OBJECT_NOT_FOUND', correlationId: 'c-2', isRetryable: false });
    expect(notFound.message).toContain('contact 1');
    expect(fromSdkError(apiException(502, {}), 'x')).toMatchObject({ isRetryable: true });
    expect(fromSdkError(apiException(477, {}), 'x')).toMatchObject({ isRetryable: true });
    expect(fromSdkError(apiException(401, { category: 'EXPIRED_AUTHENTICATION' }), 'x')).toMatchObject({ code: 'HUBSPOT_UNAUTHORIZED', isRetryable: false });
    expect(fromSdkError(new TypeError('fetch failed'), 'x')).toMatchObject({ hubspotStatus: 0, isRetryable: true });
  });
});

describe('OAuth grant failures', () => {
  const oauthBody = (status: string, error: string) => ({ status, error, message: 'm', error_description: 'm' });

  it('calls a dead grant revoked, our own misconfiguration config, and 429/5xx transient', () => {
    const kind = (e: unknown) => (classifyGrantFailure(e, 'x') as OAuthGrantError).kind;
    expect(kind(apiException(400, oauthBody('BAD_REFRESH_TOKEN', 'invalid_grant')))).toBe('revoked');
    expect(kind(apiException(400, oauthBody('BAD_AUTH_CODE', 'invalid_grant')))).toBe('revoked');
    expect(kind(apiException(400, { status: 'BAD_HUB', error: 'access_denied' }))).toBe('revoked');
    expect(kind(apiException(400, oauthBody('BAD_CLIENT_SECRET', 'invalid_client')))).toBe('config');
    expect(kind(apiException(400, oauthBody('BAD_REDIRECT_URI', 'invalid_grant')))).toBe('config');
    expect(kind(apiException(400, { error: 'invalid_grant' }))).toBe('revoked');
    expect(kind(apiException(401, {}))).toBe('config');
    expect(kind(apiException(429, RATE_LIMIT_BODY))).toBe('transient');
    expect(kind(apiException(503, {}))).toBe('transient');
    expect(kind(new TypeError('fetch failed'))).toBe('transient');
  });
});

describe('scopes', () => {
  it('names what HubSpot did not grant', () => {
    expect(missingScopes([...HUBSPOT_SCOPES])).toEqual([]);
    expect(missingScopes(['oauth', 'crm.lists.read'])).toEqual(['crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.schemas.contacts.read', 'crm.schemas.contacts.write', 'automation']);
  });
});
