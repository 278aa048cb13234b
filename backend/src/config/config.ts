import { ZEnv, type TEnv, decodeKey } from './env.schema';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface AppConfig {
  env: TEnv['NODE_ENV'];
  databaseUrl: string | undefined;
  redisUrl: string;
  port: number;
  publicBaseUrl: string | undefined;
  encryptionKey: Buffer | undefined;
  hubspot: {
    clientId: string | undefined;
    clientSecret: string | undefined;
    apiBaseUrl: string;
    authorizeUrl: string;
  };
  vapi: { apiKey: string | undefined; baseUrl: string; webhookSecret: string | undefined };
  retell: { apiKey: string | undefined; baseUrl: string; agentId: string | undefined; fromNumber: string | undefined };
  logLevel: TEnv['LOG_LEVEL'];
  dataDir: string;
  imports: { maxUploadBytes: number };
  /** Abuse limits: requests per window (0 = off), body caps, and plan defaults (domain/settings/plan-limits.ts). */
  limits: { windowSeconds: number; perPortal: number; perIp: number; apiBodyBytes: number; webhookBodyBytes: number };
  plan: { maxImportRows: number; maxCampaignContacts: number };
  admin: { token: string | undefined };
  workerMetricsPort: number | undefined;
  errorReporting: { sentryDsn: string | undefined };
}

/** Parses an environment; a bad value becomes a sentence that names the variable. */
export function parseConfig(source: Record<string, string | undefined>): AppConfig {
  const result = ZEnv.safeParse(source);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        // zod's own words for a wrong type ("expected number, received NaN") read badly to an operator.
        const words = issue.code === 'invalid_type' && source[name] !== undefined ? `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}` : issue.message.replace(/^Invalid input: /, '');
        return `${name} ${words} (got ${describeValue(source[name])}).`;
      }),
    );
  }
  const e = result.data;
  if (e.NODE_ENV === 'production') {
    const missing = ['DATABASE_URL', 'APP_ENCRYPTION_KEY', 'PUBLIC_BASE_URL'].filter((k) => !e[k as keyof TEnv]);
    if (missing.length) {
      throw new ConfigError(missing.map((k) => `${k} is required when NODE_ENV=production.`));
    }
  }
  return {
    env: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    port: e.PORT,
    publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    encryptionKey: e.APP_ENCRYPTION_KEY ? (decodeKey(e.APP_ENCRYPTION_KEY) ?? undefined) : undefined,
    hubspot: {
      clientId: e.HUBSPOT_CLIENT_ID,
      clientSecret: e.HUBSPOT_CLIENT_SECRET,
      apiBaseUrl: e.HUBSPOT_API_BASE_URL.replace(/\/+$/, ''),
      authorizeUrl: e.HUBSPOT_AUTHORIZE_URL,
    },
    vapi: { apiKey: e.VAPI_API_KEY, baseUrl: e.VAPI_BASE_URL.replace(/\/+$/, ''), webhookSecret: e.VAPI_WEBHOOK_SECRET },
    retell: { apiKey: e.RETELL_API_KEY, baseUrl: e.RETELL_BASE_URL.replace(/\/+$/, ''), agentId: e.RETELL_AGENT_ID, fromNumber: e.RETELL_FROM_NUMBER },
    logLevel: e.LOG_LEVEL,
    dataDir: e.DATA_DIR,
    imports: { maxUploadBytes: e.IMPORT_MAX_BYTES },
    limits: {
      windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
      perPortal: e.RATE_LIMIT_PER_PORTAL,
      perIp: e.RATE_LIMIT_PER_IP,
      apiBodyBytes: e.API_MAX_BODY_BYTES,
      webhookBodyBytes: e.WEBHOOK_MAX_BODY_BYTES,
    },
    plan: { maxImportRows: e.PLAN_MAX_IMPORT_ROWS, maxCampaignContacts: e.PLAN_MAX_CAMPAIGN_CONTACTS },
    admin: { token: e.ADMIN_TOKEN },
    workerMetricsPort: e.WORKER_METRICS_PORT,
    errorReporting: { sentryDsn: e.SENTRY_DSN },
  };
}

// Secrets are never echoed back, only their shape.
function describeValue(value: string | undefined): string {
  if (value === undefined) return 'nothing';
  if (value.length > 12) return `a value of ${value.length} characters`;
  return JSON.stringify(value);
}

let loaded: AppConfig | undefined;

/** The process's configuration, parsed once from process.env on first use. */
export function getConfig(): AppConfig {
  loaded ??= parseConfig(process.env);
  return loaded;
}
