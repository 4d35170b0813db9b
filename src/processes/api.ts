/**
 * Composition of the API process: everything it needs is built here from the config and handed
 * down. The worker process is composed in src/processes/worker.ts.
 */
import { createApp } from '../http/app';
import { loadConnectorSpec, openApiRouter } from '../http/openapi-route';
import { opsRoutes } from '../http/ops/routes';
import { listen, type RunningServer } from '../http/server';
import { webhookRouter } from '../http/webhook/route';
import { loadCatalog } from '../catalog/definitions';
import { createVariableParser } from '../catalog/variables';
import type { Config } from '../config';
import { createIntake } from '../intake/intake';
import { closeQueues, createQueues } from '../jobs/queues';
import { createLedger } from '../ledger';
import { createRateLimiter } from '../limits/rate-limiter';
import type { Logger } from '../logger';
import type { Closer } from './shutdown';
import { createRedis, pingWithin } from '../redis/connection';
import { createAuditTrail } from '../ops/audit';
import type { OpsDeps } from '../ops/deps';
import { createConnectorMetrics } from '../ops/metrics';
import { resolveOpsOptions, type OpsOptions } from '../ops/options';
import { createSessionStore } from '../http/auth/sessions';
import { createTokenVerifier } from '../http/auth/tokens';
import { createTaskWatch } from '../requests/task-watch';
import { createTicketOutbox } from '../ticket-updates/outbox';

export interface ApiProcess {
  readonly http: RunningServer;
  readonly closers: readonly Closer[];
}

export async function startApi(
  config: Config,
  logger: Logger,
  options: { host?: string; ops?: Partial<OpsOptions> } = {},
): Promise<ApiProcess> {
  // Read and validated before anything listens: a broken catalog or spec stops the start.
  const variables = createVariableParser(loadCatalog());
  const spec = loadConnectorSpec();
  const tuning = config.connector.tuning;

  const redis = createRedis(config.redis.url, 'producer', 'sic-api');
  const queues = createQueues(redis, config.redis.prefix, tuning, logger);
  const ledger = createLedger(redis, config.redis.prefix, { retentionDays: tuning.ledgerRetentionDays });
  const intake = createIntake({
    ledger,
    queues,
    variables,
    redis,
    logger,
    config: { webhook: config.webhook, tuning, prefix: config.redis.prefix },
  });

  // Service desk and ops: the status API, status page, dashboard, audit trail and metrics.
  const opsOptions = resolveOpsOptions(config, options.ops);
  const retentionMs = tuning.ledgerRetentionDays * 86_400_000;
  const outbox = createTicketOutbox(redis, config.redis.prefix, queues['ticket-updates'], {
    progressIntervalMs: tuning.progressNoteIntervalSeconds * 1000,
    closedRetentionMs: retentionMs,
  });
  const verifier = createTokenVerifier(config.apiTokens);
  const opsDeps: OpsDeps = {
    ledger,
    queues,
    outbox,
    watch: createTaskWatch(redis, config.redis.prefix, retentionMs),
    audit: createAuditTrail(redis, config.redis.prefix, { retentionDays: opsOptions.auditRetentionDays }),
    redis,
    prefix: config.redis.prefix,
    logger,
    now: Date.now,
  };
  const metrics = createConnectorMetrics({ queues, redis, prefix: config.redis.prefix, outbox });
  const sessions = createSessionStore(redis, config.redis.prefix, verifier, {
    ttlSeconds: opsOptions.sessionTtlMinutes * 60,
  });

  // Shared by every API process through Redis; refusals are 429 with Retry-After (README, Limits).
  let degradedLogged = 0;
  const limiter = createRateLimiter(redis, config.redis.prefix, {
    onDegraded: (error) => {
      // At most one line a minute: while Redis is away every request would say the same.
      if (Date.now() - degradedLogged > 60_000) {
        degradedLogged = Date.now();
        logger.warn({ err: error }, 'rate limits not checked: Redis did not answer');
      }
    },
  });

  const app = createApp({
    logger,
    maxBodyBytes: config.webhook.maxBodyBytes,
    readiness: [
      { name: 'redis', check: () => pingWithin(redis, 1_000) },
      // The config was validated before we got here; the check says so explicitly for operators.
      { name: 'config', check: () => Promise.resolve() },
    ],
    routes: [
      {
        path: '/webhooks/servicenow',
        router: webhookRouter({
          intake,
          maxBodyBytes: config.webhook.maxBodyBytes,
          rateLimit: { limiter, perMinute: config.rateLimits.webhook },
        }),
      },
      { path: '/openapi.json', router: openApiRouter(spec) },
      ...opsRoutes({
        ops: opsDeps,
        queues,
        verifier,
        sessions,
        metrics,
        options: opsOptions,
        rateLimits: { limiter, api: config.rateLimits.api, login: config.rateLimits.login },
      }),
    ],
  });
  const http = await listen(app, config.http.port, options.host);
  logger.info({ port: http.port }, 'api listening');
  return {
    http,
    closers: [
      { name: 'http', close: () => http.close() },
      { name: 'metrics', close: () => Promise.resolve(metrics.close()) },
      { name: 'queues', close: () => closeQueues(queues) },
      { name: 'redis', close: async () => void (await redis.quit().catch(() => redis.disconnect())) },
    ],
  };
}
