// `npm start`: backend and worker in one process on embedded defaults (design.md §5). This is a
// composition root, so it may import both sides; backend/ and worker/ never import each other's HTTP.
import { getConfig, ConfigError } from '../backend/src/config/config';
import { createApp } from '../backend/src/app';
import { listen } from '../backend/src/http-server';
import { logger } from '../backend/src/platform/logger';
import { startRuntime } from '../backend/src/platform/runtime';
import { onShutdown } from '../backend/src/platform/shutdown';
import { startWorkers } from '../worker/src/worker-host';

async function main() {
  const config = getConfig();
  const runtime = await startRuntime(config);
  const { app } = createApp(runtime.deps);
  const server = await listen(app, config.port);
  const host = startWorkers(runtime.deps, { redisUrl: runtime.redisUrl });
  logger.info('hubspot-ai-calling is up', { url: `http://127.0.0.1:${server.port}`, readyz: `http://127.0.0.1:${server.port}/readyz` });
  onShutdown(async () => {
    await server.close();
    await host.close();
    await runtime.stop();
  });
}

main().catch((err) => {
  if (err instanceof ConfigError) console.error(err.message);
  else logger.error('failed to start', { err });
  process.exit(1);
});
