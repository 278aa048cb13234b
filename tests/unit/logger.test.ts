import { PassThrough } from 'node:stream';
import { createLogger } from '../../backend/src/platform/logger';
import { runWithContext } from '../../backend/src/platform/context';
import { maskPhone, redactString } from '../../backend/src/platform/redact';

function capture() {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const log = createLogger({ level: 'debug', stream });
  const flush = () => new Promise((r) => setImmediate(r));
  return { log, lines, flush };
}

describe('logging', () => {
  it('writes structured JSON with the request or job id from the context', async () => {
    const { log, lines, flush } = capture();
    runWithContext({ requestId: 'req-123' }, () => log.info('hello', { campaignId: 'c1' }));
    runWithContext({ jobId: 'job-9', queue: 'dial' }, () => log.warn('from a job'));
    await flush();
    const [a, b] = lines.map((l) => JSON.parse(l));
    expect(a).toMatchObject({ level: 'info', message: 'hello', requestId: 'req-123', campaignId: 'c1' });
    expect(b).toMatchObject({ level: 'warn', message: 'from a job', jobId: 'job-9', queue: 'dial' });
  });

  it('never writes a full phone number, in messages or in fields', async () => {
    const { log, lines, flush } = capture();
    log.info('dialing +14155550123 now', { to: '+14155550123', nested: { raw: '(415) 555-0123' }, list: ['+442071838750'] });
    await flush();
    const out = lines.join('\n');
    for (const full of ['+14155550123', '4155550123', '(415) 555-0123', '+442071838750', '2071838750']) expect(out).not.toContain(full);
    expect(out).toContain('0123');
    expect(JSON.parse(lines[0]!).to).toBe(maskPhone('+14155550123'));
  });

  it('drops tokens, secrets and transcript bodies', async () => {
    const { log, lines, flush } = capture();
    log.info('token refresh', {
      accessToken: 'CJSP5qf1KhICAQEYs-gDIIGOBii1hQIyGQAf3xBKmlwHjX7OIpuIFEavB2-qYAGQsF4',
      refresh_token: 'rt-secret-value',
      transcript: 'AI: Hello Ada... User: please stop calling me',
      header: 'Bearer pat-na1-11111111-2222-3333-4444-555555555555',
      apiKey: 'aic_abcdefgh_0123456789',
    });
    await flush();
    const out = lines.join('\n');
    expect(out).not.toContain('CJSP5qf1');
    expect(out).not.toContain('rt-secret-value');
    expect(out).not.toContain('please stop calling me');
    expect(out).not.toContain('pat-na1-1111');
    expect(out).not.toContain('aic_abcdefgh_0123456789');
    expect(JSON.parse(lines[0]!)).toMatchObject({ accessToken: '[redacted]', transcript: '[redacted]', header: 'Bearer [redacted]' });
  });

  it('never writes an email address', async () => {
    const { log, lines, flush } = capture();
    log.warn('write-back refused for Ada.Lovelace+calls@mail.example.co.uk', { contact: { email: 'ada@example.com' } });
    await flush();
    const out = lines.join('\n');
    expect(out).not.toMatch(/lovelace|ada@/i);
    expect(JSON.parse(lines[0]!)).toMatchObject({ message: 'write-back refused for [email]', contact: { email: '[email]' } });
  });

  it('leaves ids, timestamps and migration names alone', () => {
    const s = 'migration 20261123000000_init at 2026-11-23T23:30:41.954Z for f43dea56-3ea5-4596-ac83-b96c41c56a70 on postgres://postgres@127.0.0.1:5432/app';
    expect(redactString(s)).toBe(s);
  });
});
