import { getConfig, ConfigError } from './config/config';
import { createApp } from './app';
import { listen } from './http-server';
import { logger } from './platform/logger';
import { startRuntime } from './platform/runtime';
import { onShutdown } from './platform/shutdown';

// The HTTP process (npm run start:backend).
async function main() {
  const config = getConfig();
  const runtime = await startRuntime(config);
  const { app } = createApp(runtime.deps);
  const server = await listen(app, config.port);
  logger.info('backend listening', { port: server.port });
  onShutdown(async () => {
    await server.close();
    await runtime.stop();
  });
}

main().catch((err) => {
  if (err instanceof ConfigError) console.error(err.message);
  else logger.error('backend failed to start', { err });
  process.exit(1);
});
