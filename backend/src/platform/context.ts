import { AsyncLocalStorage } from 'node:async_hooks';

// Carries the request id (HTTP) or job id (worker) to every log line written while serving it.
export interface LogContext {
  requestId?: string;
  jobId?: string;
  queue?: string;
  portalId?: string;
}

export const logContext = new AsyncLocalStorage<LogContext>();

export function runWithContext<T>(ctx: LogContext, fn: () => T): T {
  return logContext.run({ ...logContext.getStore(), ...ctx }, fn);
}
