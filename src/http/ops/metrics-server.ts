/**
 * A metrics-only listener for processes that run workers without the API (`start worker`). Job
 * durations and Storware / ServiceNow call metrics are recorded in the process that does the work,
 * so a worker process needs its own /metrics for Prometheus to scrape; queue depths and the other
 * scrape-time gauges read the shared Redis and are the same from every process (aggregate them
 * with max() in queries).
 */
import type { Config } from '../../config';
import { closeQueues, createQueues } from '../../jobs/queues';
import type { Logger } from '../../logger';
import { createConnectorMetrics } from '../../ops/metrics';
import { resolveOpsOptions, type OpsOptions } from '../../ops/options';
import { createTokenVerifier } from '../auth/tokens';
import type { Closer } from '../../processes/shutdown';
import { createRedis, pingWithin } from '../../redis/connection';
import { createTicketOutbox } from '../../ticket-updates/outbox';
import { createApp } from '../app';
import { metricsRouter } from './metrics-route';
import { listen } from '../server';

export interface MetricsServer {
  readonly port: number;
  readonly closers: readonly Closer[];
}

export async function startMetricsServer(
  config: Config,
  logger: Logger,
  options: { port: number; host?: string; ops?: Partial<OpsOptions> },
): Promise<MetricsServer> {
  const opsOptions = resolveOpsOptions(config, options.ops);
  const tuning = config.connector.tuning;
  const redis = createRedis(config.redis.url, 'producer', 'sic-metrics');
  const queues = createQueues(redis, config.redis.prefix, tuning, logger);
  const outbox = createTicketOutbox(redis, config.redis.prefix, queues['ticket-updates'], {
    progressIntervalMs: tuning.progressNoteIntervalSeconds * 1000,
    closedRetentionMs: tuning.ledgerRetentionDays * 86_400_000,
  });
  const metrics = createConnectorMetrics({ queues, redis, prefix: config.redis.prefix, outbox });
  const app = createApp({
    logger,
    maxBodyBytes: 1024,
    readiness: [{ name: 'redis', check: () => pingWithin(redis, 1_000) }],
    routes: [
      {
        path: '/metrics',
        router: metricsRouter({
          metrics,
          verifier: createTokenVerifier(config.apiTokens),
          public: opsOptions.metricsPublic,
        }),
      },
    ],
  });
  const http = await listen(app, options.port, options.host);
  logger.info({ port: http.port }, 'metrics listening');
  return {
    port: http.port,
    closers: [
      { name: 'metrics-http', close: () => http.close() },
      { name: 'metrics', close: () => Promise.resolve(metrics.close()) },
      { name: 'metrics-queues', close: () => closeQueues(queues) },
      { name: 'metrics-redis', close: async () => void (await redis.quit().catch(() => redis.disconnect())) },
    ],
  };
}
