import crypto from 'node:crypto';
import Transport from 'winston-transport';
import os from 'node:os';
import type { AppConfig } from '../config/config';
import { logger } from './logger';

// Optional error reporting (SENTRY_DSN). Every error-level log line (unhandled request errors,
// failed jobs, start-up failures) is also sent to Sentry's envelope endpoint, as the event the
// line describes. We speak the documented envelope protocol over fetch instead of adding the
// Sentry SDK: the SDK pulls in OpenTelemetry and patches modules at load, and all we need is
// "post this error". The line has already passed the logger's redaction (phones masked, tokens
// and transcripts dropped), so the report holds nothing the logs would not.

export interface SentryTarget {
  envelopeUrl: string;
  publicKey: string;
  dsn: string;
}

/** https://<key>@<host>[/<path>]/<project> → https://<host>[/<path>]/api/<project>/envelope/ */
export function parseSentryDsn(dsn: string): SentryTarget | null {
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    return null;
  }
  const parts = url.pathname.split('/').filter(Boolean);
  const project = parts.pop();
  if (!url.username || !project || !/^\d+$/.test(project)) return null;
  const base = `${url.protocol}//${url.host}${parts.length ? `/${parts.join('/')}` : ''}`;
  return { envelopeUrl: `${base}/api/${project}/envelope/`, publicKey: decodeURIComponent(url.username), dsn };
}

type Info = Record<string, unknown> & { level: string; message?: unknown };

/** The Sentry event for one (already redacted) log line. */
export function eventFromLogLine(info: Info, meta: { environment: string; release: string }): Record<string, unknown> {
  const err = (info.err ?? info.error) as { name?: string; message?: string; stack?: string } | undefined;
  const tags: Record<string, string> = {};
  for (const key of ['requestId', 'jobId', 'queue', 'campaignId', 'portalId']) if (typeof info[key] === 'string') tags[key] = info[key] as string;
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(info)) if (!['level', 'message', 'err', 'error', 'timestamp'].includes(k) && !(k in tags)) extra[k] = v;
  return {
    event_id: crypto.randomUUID().replace(/-/g, ''),
    timestamp: Date.now() / 1000,
    platform: 'node',
    level: 'error',
    logger: 'hubspot-ai-calling',
    server_name: os.hostname(),
    environment: meta.environment,
    release: meta.release,
    message: { formatted: String(info.message ?? '') },
    ...(err && typeof err === 'object' && (err.message || err.stack)
      ? { exception: { values: [{ type: err.name ?? 'Error', value: err.message ?? '', ...(err.stack ? { stacktrace: framesOf(err.stack) } : {}) }] } }
      : {}),
    tags,
    extra,
  };
}

function framesOf(stack: string) {
  // Sentry wants the innermost frame last; V8 prints it first.
  const frames = stack
    .split('\n')
    .slice(1)
    .map((l) => /at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ function: m[1] ?? '?', filename: m[2], lineno: Number(m[3]), colno: Number(m[4]), in_app: !m[2]!.includes('node_modules') }));
  return { frames: frames.reverse() };
}

export function envelopeOf(event: Record<string, unknown>, dsn: string): string {
  const header = { event_id: event.event_id, sent_at: new Date().toISOString(), dsn };
  return `${JSON.stringify(header)}\n${JSON.stringify({ type: 'event' })}\n${JSON.stringify(event)}\n`;
}

/** A winston transport that posts error lines to Sentry, at most `perMinute` a minute. */
export class SentryTransport extends Transport {
  private windowStart = 0;
  private sentInWindow = 0;
  /** Reports in flight, so tests (and shutdown) can wait for them. */
  readonly inflight = new Set<Promise<void>>();

  constructor(
    private readonly target: SentryTarget,
    private readonly meta: { environment: string; release: string; perMinute?: number },
  ) {
    super({ level: 'error' });
  }

  override log(info: Info, next: () => void): void {
    next();
    const now = Date.now();
    if (now - this.windowStart > 60_000) {
      this.windowStart = now;
      this.sentInWindow = 0;
    }
    if (++this.sentInWindow > (this.meta.perMinute ?? 30)) return;
    const body = envelopeOf(eventFromLogLine(info, this.meta), this.target.dsn);
    const p = fetch(this.target.envelopeUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-sentry-envelope',
        'x-sentry-auth': `Sentry sentry_version=7, sentry_key=${this.target.publicKey}, sentry_client=hubspot-ai-calling/${this.meta.release}`,
      },
      body,
      signal: AbortSignal.timeout(5_000),
    })
      .then((res) => {
        if (!res.ok) logger.warn('error report was refused', { status: res.status });
      })
      .catch((err: Error) => {
        logger.warn('error report could not be sent', { err: err.message });
      })
      .finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }
}

let installed: SentryTransport | undefined;

/** Adds the Sentry transport to the process logger when SENTRY_DSN is set; once per process. */
export function installErrorReporter(config: Pick<AppConfig, 'env' | 'errorReporting'>, release = '0.1.0'): SentryTransport | undefined {
  if (installed || !config.errorReporting.sentryDsn) return installed;
  const target = parseSentryDsn(config.errorReporting.sentryDsn);
  if (!target) return undefined;
  installed = new SentryTransport(target, { environment: config.env, release });
  logger.add(installed);
  logger.info('error reporting is on', { to: new URL(target.envelopeUrl).host });
  return installed;
}

/** Removes the transport (tests). */
export function uninstallErrorReporter(): void {
  if (installed) logger.remove(installed);
  installed = undefined;
}
