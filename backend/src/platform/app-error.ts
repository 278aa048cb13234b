// The one error type the domain throws; http/middleware/errors.ts turns it into
// { error: { code, message } } with the status given here.
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string, code = `${what.toUpperCase().replace(/\W+/g, '_')}_NOT_FOUND`) =>
  new AppError(code, 404, `No ${what.toLowerCase()} with that id exists in this portal.`);

/** A refusal the client may retry after a wait: 429 with Retry-After (http/middleware/errors.ts sets the header). */
export class RateLimitedError extends AppError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, 429, message, { retryAfterSeconds });
    this.name = 'RateLimitedError';
  }
}
