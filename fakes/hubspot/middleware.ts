import type { Request, RequestHandler, Response } from 'express';
import type { HubSpotFakeState } from './state';
import { sendApiError, sendRateLimited, setRateLimitHeaders } from './hubspot-errors';

// The request pipeline every HubSpot API route goes through: log, latency, injected faults,
// bearer auth with scopes, and the per-account rolling rate limit.

export interface AuthedLocals {
  hubId: number;
  scopes: string[];
}

export const hubIdOf = (res: Response): number => (res.locals as AuthedLocals).hubId;

const isControl = (req: Request) => req.path.startsWith('/__fake');

export function recordRequests(state: HubSpotFakeState): RequestHandler {
  return (req, res, next) => {
    res.on('finish', () => {
      if (isControl(req)) return;
      const hubId = (res.locals as Partial<AuthedLocals>).hubId;
      state.log({ method: req.method, path: req.path, query: { ...req.query }, status: res.statusCode, hubId, body: req.body, at: Date.now() });
    });
    next();
  };
}

export function injectLatencyAndFaults(state: HubSpotFakeState): RequestHandler {
  return async (req, res, next) => {
    if (isControl(req)) return next();
    if (state.latencyMs > 0) await new Promise((r) => setTimeout(r, state.latencyMs));
    const fault = state.takeFault(req.method, req.path);
    if (!fault) return next();
    if (fault.status === 429) return sendRateLimited(res, state.app.rateLimit, fault.retryAfterSeconds);
    if (fault.status === 401) return sendApiError(res, 401, 'EXPIRED_AUTHENTICATION', 'The OAuth token used to make this call expired 1 second(s) ago.');
    sendApiError(res, fault.status, 'INTERNAL_ERROR', 'internal error (injected by the fake)');
  };
}

const NO_CREDENTIALS =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

/** Bearer token → account; any one of `scopes` must have been granted (HubSpot: 403 MISSING_SCOPES). */
export function requireToken(state: HubSpotFakeState, scopes: string[]): RequestHandler {
  return (req, res, next) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const token = m ? state.accessTokens.get(m[1]!) : undefined;
    if (!token) return sendApiError(res, 401, 'INVALID_AUTHENTICATION', NO_CREDENTIALS);
    const expiredFor = Date.now() - token.expiresAt;
    if (expiredFor >= 0) {
      return sendApiError(res, 401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${Math.ceil(expiredFor / 1000)} second(s) ago.`);
    }
    if (!scopes.some((s) => token.scopes.includes(s))) {
      return sendApiError(res, 403, 'MISSING_SCOPES', "This app hasn't been granted all required scopes to make this call.", {
        errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: scopes } }],
      });
    }
    (res.locals as AuthedLocals).hubId = token.hubId;
    (res.locals as AuthedLocals).scopes = token.scopes;
    const remaining = state.hit(token.hubId);
    if (remaining < 0) return sendRateLimited(res, state.app.rateLimit);
    setRateLimitHeaders(res, state.app.rateLimit, remaining);
    next();
  };
}

/** A route parameter as one string (Express 5's types allow string[] for wildcard params). */
export const paramOf = (req: Request, name: string): string => String(req.params[name] ?? '');
