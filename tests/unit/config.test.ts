import { parseConfig, ConfigError } from '../../backend/src/config/config';

const problemsOf = (env: Record<string, string>) => {
  try {
    parseConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
};

describe('config', () => {
  it('runs on defaults with nothing set', () => {
    const c = parseConfig({});
    expect(c.databaseUrl).toBeUndefined();
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.port).toBe(3000);
    expect(c.hubspot.apiBaseUrl).toBe('https://api.hubapi.com');
    expect(c.vapi.baseUrl).toBe('https://api.vapi.ai');
  });

  it('names the variable and says what is wrong, one sentence per bad value', () => {
    const problems = problemsOf({ PORT: 'eighty', REDIS_URL: 'localhost:6379', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    expect(problems).toHaveLength(4);
    expect(problems.find((p) => p.startsWith('PORT '))).toBe('PORT must be a number (got "eighty").');
    expect(problems.find((p) => p.startsWith('REDIS_URL '))).toMatch(/redis:\/\//);
    expect(problems.find((p) => p.startsWith('DATABASE_URL '))).toMatch(/postgres/);
    expect(problems.find((p) => p.startsWith('LOG_LEVEL '))).toBeDefined();
  });

  it('rejects a malformed encryption key without echoing it', () => {
    const secret = 'this-is-not-a-valid-key-but-is-long';
    const [problem] = problemsOf({ APP_ENCRYPTION_KEY: secret });
    expect(problem).toMatch(/^APP_ENCRYPTION_KEY must be 32 bytes/);
    expect(problem).not.toContain(secret);
  });

  it('accepts a 32-byte key as hex or base64', () => {
    const hex = 'ab'.repeat(32);
    expect(parseConfig({ APP_ENCRYPTION_KEY: hex }).encryptionKey).toEqual(Buffer.from(hex, 'hex'));
    const b64 = Buffer.alloc(32, 7).toString('base64');
    expect(parseConfig({ APP_ENCRYPTION_KEY: b64 }).encryptionKey).toEqual(Buffer.alloc(32, 7));
  });

  it('requires the production essentials in production', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toEqual([
      'DATABASE_URL is required when NODE_ENV=production.',
      'APP_ENCRYPTION_KEY is required when NODE_ENV=production.',
      'PUBLIC_BASE_URL is required when NODE_ENV=production.',
    ]);
  });

  it('treats empty strings as unset and trims trailing slashes from base URLs', () => {
    const c = parseConfig({ DATABASE_URL: '', PUBLIC_BASE_URL: 'https://calls.example.com/', VAPI_BASE_URL: 'http://127.0.0.1:9/' });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.publicBaseUrl).toBe('https://calls.example.com');
    expect(c.vapi.baseUrl).toBe('http://127.0.0.1:9');
  });
});
