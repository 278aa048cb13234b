import { getConfig, ConfigError } from '../../backend/src/config/config';
import { logger } from '../../backend/src/platform/logger';
import { startRuntime } from '../../backend/src/platform/runtime';
import { onShutdown } from '../../backend/src/platform/shutdown';
import { startWorkers } from './worker-host';
import { startWorkerMetricsServer } from './metrics-server';

// The worker process (npm run start:worker); run as many as you like.
async function main() {
  const config = getConfig();
  const runtime = await startRuntime(config);
  const host = startWorkers(runtime.deps, { redisUrl: runtime.redisUrl });
  logger.info('worker started', { queues: host.workers.map((w) => w.name) });
  const metrics = config.workerMetricsPort === undefined ? null : await startWorkerMetricsServer(config, config.workerMetricsPort);
  onShutdown(async () => {
    await metrics?.close();
    await host.close();
    await runtime.stop();
  });
}

main().catch((err) => {
  if (err instanceof ConfigError) console.error(err.message);
  else logger.error('worker failed to start', { err });
  process.exit(1);
});
