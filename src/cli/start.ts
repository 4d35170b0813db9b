/**
 * Process entry point: `start.js all | api | worker`.
 * `all` runs the API and the workers in one process for small installs; `api` and `worker` are
 * for scaling out (any number of each on one Redis). A bad configuration stops the start with
 * every problem listed; nothing falls back to defaults for endpoints or to the simulators.
 */
import { startApi } from '../processes/api';
import { describeConfig, loadConfig } from '../config';
import { createRedis } from '../redis/connection';
import { reportRedisSettings } from '../redis/settings';
import { ConfigError } from '../errors';
import { createLogger } from '../logger';
import { onShutdownSignals, type Closer } from '../processes/shutdown';
import { startWorkerRuntime } from '../processes/worker';
import { startMetricsServer } from '../http/ops/metrics-server';

const ROLES = ['all', 'api', 'worker'] as const;
type Role = (typeof ROLES)[number];

async function main(): Promise<void> {
  const role = (process.argv[2] ?? 'all') as Role;
  if (!ROLES.includes(role)) {
    process.stderr.write(`usage: start [all|api|worker] (got "${role}")\n`);
    process.exit(2);
  }

  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        `storware-itsm-connector cannot start.\n${error.message}\nSee .env.example and connector.example.yaml.\n`,
      );
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  const logger = createLogger({ level: config.logLevel }).child({ role });
  logger.info({ config: describeConfig(config) }, 'starting');

  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection; exiting');
    process.exit(1);
  });

  const closers: Closer[] = [];
  onShutdownSignals(() => closers, logger);
  // Eviction or no AOF is a silent risk until the day it loses work: say so at every start.
  const stopSettingsCheck = reportRedisSettings(
    () => createRedis(config.redis.url, 'producer', `sic-${role}-settings`),
    logger,
  );
  closers.push({ name: 'redis-settings-check', close: () => Promise.resolve(stopSettingsCheck()) });
  // API first to close, so no new work is accepted while workers drain.
  if (role === 'all' || role === 'api') {
    const api = await startApi(config, logger);
    closers.push(...api.closers);
  }
  if (role === 'all' || role === 'worker') {
    const workers = await startWorkerRuntime(config, logger);
    closers.push(...workers.closers);
    logger.info({ queues: [...workers.pool.workers.keys()] }, 'workers running');
    if (role === 'worker' && config.ops.metricsPort > 0) {
      // A worker process has no API; it serves its own job and client metrics for Prometheus.
      const metrics = await startMetricsServer(config, logger, { port: config.ops.metricsPort });
      closers.push(...metrics.closers);
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `storware-itsm-connector failed to start: ${(error as Error).stack ?? String(error)}\n`,
  );
  process.exit(1);
});
