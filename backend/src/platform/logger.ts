import winston from 'winston';
import { logContext } from './context';
import { redact } from './redact';

const redactFormat = winston.format((info) => {
  const ctx = logContext.getStore();
  const { level, message, ...rest } = info as Record<string | symbol, unknown> & { level: string; message: unknown };
  const out = redact({ ...ctx, ...rest, message }) as Record<string, unknown>;
  // winston keeps its own symbols on info; copy the cleaned fields back onto it.
  for (const key of Object.keys(info)) if (key !== 'level') delete (info as Record<string, unknown>)[key];
  Object.assign(info, out, { level });
  return info;
});

export function createLogger(options: { level?: string; stream?: NodeJS.WritableStream } = {}): winston.Logger {
  return winston.createLogger({
    level: options.level ?? 'info',
    format: winston.format.combine(winston.format.timestamp(), redactFormat(), winston.format.json()),
    transports: [options.stream ? new winston.transports.Stream({ stream: options.stream }) : new winston.transports.Console()],
  });
}

// The process logger. Tests may swap its transports; nothing else builds its own.
export const logger = createLogger({ level: 'info' });

export function setLogLevel(level: string): void {
  logger.level = level;
}

/** For commands whose stdout is data (the admin CLI): every log line goes to stderr instead. */
export function logToStderr(): void {
  logger.clear();
  logger.add(new winston.transports.Console({ stderrLevels: Object.keys(winston.config.npm.levels) }));
}
