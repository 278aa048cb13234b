import { z } from 'zod';

// Every environment variable the app reads (design.md §5). All are optional: the defaults run
// the local demo on embedded services and the local fakes.
const optionalUrl = z.url({ message: 'must be an absolute URL such as http://127.0.0.1:3000' }).optional();
const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// connection URL' })
      .optional(),
  ),
  REDIS_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^rediss?:\/\//, { message: 'must be a redis:// or rediss:// URL' })
      .default('redis://127.0.0.1:6379'),
  ),
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  PUBLIC_BASE_URL: z.preprocess(emptyToUndefined, optionalUrl),
  APP_ENCRYPTION_KEY: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((v) => decodeKey(v) !== null, {
        message: 'must be 32 bytes, written as 64 hex characters or 44 base64 characters',
      })
      .optional(),
  ),
  HUBSPOT_CLIENT_ID: z.preprocess(emptyToUndefined, z.string().optional()),
  HUBSPOT_CLIENT_SECRET: z.preprocess(emptyToUndefined, z.string().min(8, { message: 'must be at least 8 characters' }).optional()),
  HUBSPOT_API_BASE_URL: z.preprocess(emptyToUndefined, z.url({ message: 'must be an absolute URL' }).default('https://api.hubapi.com')),
  HUBSPOT_AUTHORIZE_URL: z.preprocess(
    emptyToUndefined,
    z.url({ message: 'must be an absolute URL' }).default('https://app.hubspot.com/oauth/authorize'),
  ),
  VAPI_API_KEY: z.preprocess(emptyToUndefined, z.string().optional()),
  VAPI_BASE_URL: z.preprocess(emptyToUndefined, z.url({ message: 'must be an absolute URL' }).default('https://api.vapi.ai')),
  VAPI_WEBHOOK_SECRET: z.preprocess(emptyToUndefined, z.string().min(8, { message: 'must be at least 8 characters' }).optional()),
  // Retell: the API key also signs Retell's webhooks (x-retell-signature), so there is no separate secret.
  RETELL_API_KEY: z.preprocess(emptyToUndefined, z.string().optional()),
  RETELL_BASE_URL: z.preprocess(emptyToUndefined, z.url({ message: 'must be an absolute URL' }).default('https://api.retellai.com')),
  RETELL_AGENT_ID: z.preprocess(emptyToUndefined, z.string().optional()),
  RETELL_FROM_NUMBER: z.preprocess(emptyToUndefined, z.string().regex(/^\+[1-9]\d{6,14}$/, { message: 'must be an E.164 number' }).optional()),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly']).default('info')),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('.data')),
  // Largest CSV upload one import accepts, in bytes (default 1 GiB).
  IMPORT_MAX_BYTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).default(1024 ** 3)),
  // Abuse limits (README "Hardening"): requests per window on /api/v1 and the upload page, counted in
  // Redis so they hold across processes; 0 turns a limit off.
  RATE_LIMIT_WINDOW_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(86_400).default(60)),
  RATE_LIMIT_PER_PORTAL: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).default(600)),
  RATE_LIMIT_PER_IP: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).default(1200)),
  // Largest JSON body on /api/v1 and /hubspot (hubspot.fetch itself caps at 1 MB), and on the provider webhooks.
  API_MAX_BODY_BYTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1024).default(1024 ** 2)),
  WEBHOOK_MAX_BODY_BYTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1024).default(5 * 1024 ** 2)),
  // Plan defaults: rows one import may hold, contacts one campaign may call. An operator may set a
  // portal's own plan (npm run admin -- portal:plan), kept in Portal.settings.plan.
  PLAN_MAX_IMPORT_ROWS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).default(1_000_000)),
  PLAN_MAX_CAMPAIGN_CONTACTS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).default(250_000)),
  // Bearer token for the operator endpoints (/admin/queues, and /metrics when set). Unset: the queue
  // dashboard is off, and /metrics is open outside production only.
  ADMIN_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, { message: 'must be at least 16 characters' }).optional()),
  // A worker process serves its own GET /metrics on this port (its dial counters live in that
  // process; the web's /metrics has the shared gauges). Unset: off. Same ADMIN_TOKEN rules as the web.
  WORKER_METRICS_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).optional()),
  // Optional error reporting: a Sentry DSN (https://<key>@<host>/<project>); error-level log lines are
  // posted to its envelope endpoint (platform/error-reporter.ts). Unset: errors are only logged.
  SENTRY_DSN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^https?:\/\/[^@/\s]+@[^/\s]+\/(.+\/)?\d+$/, { message: 'must be a DSN such as https://<public key>@<host>/<project id>' })
      .optional(),
  ),
});

export type TEnv = z.infer<typeof ZEnv>;

export function decodeKey(value: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/]{43}=$/.test(value)) return Buffer.from(value, 'base64');
  return null;
}
