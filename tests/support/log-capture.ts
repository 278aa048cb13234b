import { Writable } from 'node:stream';
import { format } from 'node:util';
import winston from 'winston';
import { logger } from '../../backend/src/platform/logger';

// Everything a process would print while a test runs in it: the process logger's lines (backend,
// workers and anything else logging through it, after its redaction format, exactly as they would
// be written), plus whatever reaches console.* or process.stdout/stderr directly (the fakes,
// libraries). The logger's own transports are set aside while capturing, so a verbose level does
// not flood the test output; console and std streams still pass through.

export interface OutputCapture {
  /** One entry per written line, in order. */
  readonly lines: string[];
  /** Puts the logger's transports, its level and the console back. Safe to call twice. */
  stop(): void;
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

export function captureAllOutput(options: { level?: string } = {}): OutputCapture {
  const lines: string[] = [];
  const push = (text: string) => {
    for (const line of text.split('\n')) if (line.trim()) lines.push(line);
  };

  const savedTransports = [...logger.transports];
  const savedLevel = logger.level;
  logger.clear();
  logger.add(
    new winston.transports.Stream({
      stream: new Writable({
        write(chunk: Buffer | string, _enc, done) {
          push(chunk.toString());
          done();
        },
      }),
    }),
  );
  if (options.level) logger.level = options.level;

  const savedConsole = CONSOLE_METHODS.map((m) => [m, console[m]] as const);
  for (const [m, original] of savedConsole) {
    console[m] = (...args: unknown[]) => {
      push(format(...args));
      (original as (...a: unknown[]) => void).apply(console, args);
    };
  }
  const savedWrites = [process.stdout, process.stderr].map((s) => [s, s.write] as const);
  for (const [stream, original] of savedWrites) {
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (original as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as typeof stream.write;
  }

  let stopped = false;
  return {
    lines,
    stop() {
      if (stopped) return;
      stopped = true;
      logger.clear();
      for (const t of savedTransports) logger.add(t);
      logger.level = savedLevel;
      for (const [m, original] of savedConsole) console[m] = original;
      for (const [stream, original] of savedWrites) stream.write = original;
    },
  };
}
