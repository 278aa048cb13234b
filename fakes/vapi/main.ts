import { startVapiFake } from './vapi-fake';
import { FAKE_OUTCOMES, REFUSAL_FORMS, type FakeOutcome, type WebhookAuth } from './fake-options';

// npm run fakes:vapi — the Vapi fake as a standalone server. Everything comes from the
// environment, all optional:
//   VAPI_FAKE_PORT (4020)            VAPI_FAKE_HOST (127.0.0.1)
//   VAPI_API_KEY (test-vapi-key)     the Bearer token the fake accepts (comma-separate several)
//   VAPI_FAKE_SERVER_URL             where webhooks go when the call names no server,
//                                    e.g. http://127.0.0.1:3000/webhooks/vapi
//   VAPI_WEBHOOK_SECRET              sign webhooks with it; VAPI_FAKE_AUTH=secret (X-Vapi-Secret,
//                                    default) or hmac (x-signature over "{timestamp}.{body}")
//   VAPI_FAKE_TIME_SCALE (1)         0.01 runs calls 100× faster than real time
//   VAPI_FAKE_CONCURRENCY (10)       VAPI_FAKE_REFUSAL (http-400 | blocked | ended-reason | rotate)
//   VAPI_FAKE_RATE ("")              e.g. 5/1000: 5 creates per 1000 ms, then 429 + Retry-After
//   VAPI_FAKE_MIX                    e.g. answered=6,no_answer=2,busy=1,voicemail=1,failed=0,opt_out=0
//   VAPI_FAKE_SEED (1)

function parseMix(text: string | undefined): Partial<Record<FakeOutcome, number>> | undefined {
  if (!text) return undefined;
  const mix: Partial<Record<FakeOutcome, number>> = {};
  for (const part of text.split(',')) {
    const [name, weight] = part.split('=').map((s) => s.trim());
    if (!FAKE_OUTCOMES.includes(name as FakeOutcome) || !Number.isFinite(Number(weight))) {
      throw new Error(`VAPI_FAKE_MIX: "${part}" is not outcome=weight (outcomes: ${FAKE_OUTCOMES.join(', ')}).`);
    }
    mix[name as FakeOutcome] = Number(weight);
  }
  return mix;
}

function parseRate(text: string | undefined) {
  if (!text) return null;
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new Error('VAPI_FAKE_RATE must look like 5/1000 (requests per milliseconds).');
  return { max: Number(m[1]), windowMs: Number(m[2]) };
}

async function main() {
  const env = process.env;
  const secret = env.VAPI_WEBHOOK_SECRET;
  const auth: WebhookAuth = !secret ? { type: 'none' } : env.VAPI_FAKE_AUTH === 'hmac' ? { type: 'hmac', secret } : { type: 'secret', secret };
  const refusal = env.VAPI_FAKE_REFUSAL ?? 'http-400';
  if (refusal !== 'rotate' && !REFUSAL_FORMS.includes(refusal as never)) throw new Error(`VAPI_FAKE_REFUSAL must be one of ${REFUSAL_FORMS.join(', ')}, rotate.`);
  const fake = await startVapiFake({
    port: Number(env.VAPI_FAKE_PORT ?? 4020),
    host: env.VAPI_FAKE_HOST ?? '127.0.0.1',
    apiKeys: (env.VAPI_API_KEY ?? 'test-vapi-key').split(',').map((s) => s.trim()),
    webhook: { url: env.VAPI_FAKE_SERVER_URL, auth },
    timeScale: Number(env.VAPI_FAKE_TIME_SCALE ?? 1),
    concurrencyLimit: Number(env.VAPI_FAKE_CONCURRENCY ?? 10),
    refusal: refusal as never,
    rateLimit: parseRate(env.VAPI_FAKE_RATE),
    outcomeMix: parseMix(env.VAPI_FAKE_MIX),
    seed: Number(env.VAPI_FAKE_SEED ?? 1),
  });
  console.log(`Vapi fake listening on ${fake.url}`);
  console.log(`  VAPI_BASE_URL=${fake.url}`);
  console.log(`  webhooks: ${env.VAPI_FAKE_SERVER_URL ?? '(only to server URLs named in each call)'} auth=${auth.type}`);
  console.log(`  control panel: GET ${fake.url}/__fake/state`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
