import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../../backend/src/config/config';
import { logger } from '../../backend/src/platform/logger';
import { installErrorReporter, parseSentryDsn, uninstallErrorReporter } from '../../backend/src/platform/error-reporter';

// SENTRY_DSN: error-level log lines reach a Sentry-style envelope endpoint, already redacted,
// with the documented auth header; other levels do not; a bad DSN stops start-up by name.
describe('error reporting hook', () => {
  it('turns a DSN into the envelope URL and key, with or without a path prefix', () => {
    expect(parseSentryDsn('https://abc123@o1.ingest.sentry.io/42')).toEqual({
      envelopeUrl: 'https://o1.ingest.sentry.io/api/42/envelope/',
      publicKey: 'abc123',
      dsn: 'https://abc123@o1.ingest.sentry.io/42',
    });
    expect(parseSentryDsn('http://k@127.0.0.1:9000/sentry/7')?.envelopeUrl).toBe('http://127.0.0.1:9000/sentry/api/7/envelope/');
    expect(parseSentryDsn('https://sentry.io/42')).toBeNull();
  });

  it('refuses a malformed SENTRY_DSN and a short ADMIN_TOKEN, naming each', () => {
    expect(() => parseConfig({ SENTRY_DSN: 'not a dsn' })).toThrow(/SENTRY_DSN must be a DSN/);
    expect(() => parseConfig({ ADMIN_TOKEN: 'short' })).toThrow(/ADMIN_TOKEN must be at least 16 characters/);
    const c = parseConfig({ SENTRY_DSN: 'https://k@example.test/1', ADMIN_TOKEN: 'x'.repeat(16) });
    expect(c.errorReporting.sentryDsn).toBe('https://k@example.test/1');
    expect(c.admin.token).toBe('x'.repeat(16));
  });

  it('posts error lines as redacted envelopes, and nothing for warnings', async () => {
    const received: Array<{ url: string; headers: http.IncomingHttpHeaders; body: string }> = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ url: req.url ?? '', headers: req.headers, body });
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    // The lines under test would otherwise print; only the console is muted, not the reporter.
    const consoles = logger.transports.filter((t) => t !== undefined && t.constructor.name === 'Console');
    consoles.forEach((t) => (t.silent = true));
    try {
      const transport = installErrorReporter(parseConfig({ NODE_ENV: 'test', SENTRY_DSN: `http://publickey@127.0.0.1:${port}/5` }))!;
      expect(transport).toBeDefined();
      logger.warn('only a warning');
      logger.error('dial failed for +14155550123', { err: new Error('boom with Bearer sk_live_abcdefgh123'), jobId: 'job-1', transcript: 'secret words' });
      await Promise.all([...transport.inflight]);
      expect(received).toHaveLength(1);
      const [{ url, headers, body }] = received as [(typeof received)[number]];
      expect(url).toBe('/api/5/envelope/');
      expect(headers['content-type']).toBe('application/x-sentry-envelope');
      expect(headers['x-sentry-auth']).toMatch(/^Sentry sentry_version=7, sentry_key=publickey, sentry_client=hubspot-ai-calling\//);
      const [header, item, event] = body.trim().split('\n').map((l) => JSON.parse(l));
      expect(item).toEqual({ type: 'event' });
      expect(header.event_id).toBe(event.event_id);
      expect(event.level).toBe('error');
      expect(event.tags.jobId).toBe('job-1');
      expect(event.exception.values[0].type).toBe('Error');
      expect(event.exception.values[0].stacktrace.frames.length).toBeGreaterThan(0);
      expect(body).not.toContain('4155550123');
      expect(body).not.toContain('sk_live_abcdefgh123');
      expect(body).not.toContain('secret words');
    } finally {
      consoles.forEach((t) => (t.silent = false));
      uninstallErrorReporter();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
