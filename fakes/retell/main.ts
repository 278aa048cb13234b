import { startRetellFake } from './retell-fake';

// npm run fakes:retell — the Retell fake as a standalone server, configured from the environment:
//   RETELL_FAKE_PORT (4030)           RETELL_FAKE_HOST (127.0.0.1)
//   RETELL_API_KEY (test-retell-key)  accepted keys (comma-separated); each signs its own webhooks
//   RETELL_FAKE_WEBHOOK_URL           e.g. http://127.0.0.1:3000/webhooks/retell
//   RETELL_FAKE_FUNCTION_URL          e.g. http://127.0.0.1:3000/webhooks/retell/functions/next_step
//   RETELL_FAKE_TIME_SCALE (1)        RETELL_FAKE_CONCURRENCY (20)   RETELL_FAKE_SEED (1)

async function main() {
  const env = process.env;
  const fake = await startRetellFake({
    port: Number(env.RETELL_FAKE_PORT ?? 4030),
    host: env.RETELL_FAKE_HOST ?? '127.0.0.1',
    apiKeys: (env.RETELL_API_KEY ?? 'test-retell-key').split(',').map((s) => s.trim()),
    webhook: { url: env.RETELL_FAKE_WEBHOOK_URL, functionUrl: env.RETELL_FAKE_FUNCTION_URL },
    timeScale: Number(env.RETELL_FAKE_TIME_SCALE ?? 1),
    concurrencyLimit: Number(env.RETELL_FAKE_CONCURRENCY ?? 20),
    seed: Number(env.RETELL_FAKE_SEED ?? 1),
  });
  console.log(`Retell fake listening on ${fake.url}`);
  console.log(`  RETELL_BASE_URL=${fake.url}`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
