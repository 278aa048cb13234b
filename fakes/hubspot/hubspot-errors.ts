import crypto from 'node:crypto';
import type { Response } from 'express';

// HubSpot's error bodies (https://developers.hubspot.com/docs/api-reference/error-handling):
// {status:'error', message, correlationId, category, errors?, context?, links?}. The OAuth token
// endpoint answers differently: {status:'BAD_…', message, error, error_description} (RFC 6749 fields
// added in 2026, HubSpot's own status/message kept for backwards compatibility).

export function sendApiError(res: Response, status: number, category: string, message: string, extra: Record<string, unknown> = {}): void {
  res.status(status).json({ status: 'error', message, correlationId: crypto.randomUUID(), category, ...extra });
}

export function sendOAuthError(res: Response, hubspotStatus: string, error: string, message: string): void {
  res.status(400).json({ status: hubspotStatus, message, error, error_description: message, correlationId: crypto.randomUUID() });
}

export const notFound = (res: Response, message: string, context?: Record<string, string[]>) =>
  sendApiError(res, 404, 'OBJECT_NOT_FOUND', message, context ? { context } : {});

export const validationError = (res: Response, message: string, errors?: Array<{ message: string; code?: string; context?: unknown }>) =>
  sendApiError(res, 400, 'VALIDATION_ERROR', message, errors ? { errors } : {});

/** The rate-limit headers HubSpot sends with API responses (research/hubspot.md §4.4). */
export function setRateLimitHeaders(res: Response, limit: { max: number; windowMs: number }, remaining: number): void {
  if (limit.max <= 0) return;
  res.setHeader('X-HubSpot-RateLimit-Interval-Milliseconds', String(limit.windowMs));
  res.setHeader('X-HubSpot-RateLimit-Max', String(limit.max));
  res.setHeader('X-HubSpot-RateLimit-Remaining', String(Math.max(remaining, 0)));
}

export function sendRateLimited(res: Response, limit: { max: number; windowMs: number }, retryAfterSeconds?: number): void {
  setRateLimitHeaders(res, limit.max > 0 ? limit : { max: 110, windowMs: 10_000 }, 0);
  if (retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(retryAfterSeconds));
  res.status(429).json({
    status: 'error',
    message: 'You have reached your ten_secondly_rolling limit.',
    errorType: 'RATE_LIMIT',
    correlationId: crypto.randomUUID(),
    policyName: 'TEN_SECONDLY_ROLLING',
  });
}
