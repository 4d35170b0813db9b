/**
 * Composition of the worker process: clients, ledger, outbox, queues and one worker per queue,
 * plus the schedules of the periodic jobs. Used by the process entry point, the demo and the
 * end-to-end tests (which pass simulators' URLs in the config and their own clock).
 */
import type { Redis } from 'ioredis';
import { loadCatalog, type Catalog } from '../catalog/definitions';
import { createVariableParser } from '../catalog/variables';
import { createServiceNowClient } from '../clients/servicenow';
import { createStorwareClient } from '../clients/storware';
import type { Config } from '../config';
import { JOBS, type JobName } from '../jobs/catalog';
import { closeQueues, createQueues } from '../jobs/queues';
import { createLedger } from '../ledger';
import type { Logger } from '../logger';
import type { Closer } from './shutdown';
import { createRedis } from '../redis/connection';
import type { RequestDeps } from '../requests/deps';
import { createProjectDirectory } from '../requests/project-directory';
import { createTaskWatch } from '../requests/task-watch';
import { createTicketOutbox } from '../ticket-updates/outbox';
import { serviceNowTicketWriter } from '../ticket-updates/servicenow-writer';
import { createProcessors } from '../../workers/processors';
import { startWorkerPool, type WorkerPool } from '../../workers/worker-pool';

export interface WorkerRuntimeOptions {
  readonly now?: () => number;
  readonly catalog?: Catalog;
  /** Shorter locks for tests that kill workers. */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  /** Skip the periodic schedules (tests drive the poller themselves). */
  readonly schedules?: boolean;
  /** A shorter window for the per-tenant start throttle (tests; default one minute). */
  readonly tenantStartWindowMs?: number;
}

export interface WorkerRuntime {
  readonly deps: RequestDeps;
  readonly pool: WorkerPool;
  readonly connection: Redis;
  readonly closers: readonly Closer[];
  close(): Promise<void>;
}

export async function startWorkerRuntime(
  config: Config,
  logger: Logger,
  options: WorkerRuntimeOptions = {},
): Promise<WorkerRuntime> {
  const now = options.now ?? Date.now;
  const tuning = config.connector.tuning;
  const retentionMs = tuning.ledgerRetentionDays * 86_400_000;
  // Workers wait for Redis forever (maxRetriesPerRequest null); the producer side of the worker
  // (ticket updates, wake-ups) shares the connection, since a worker without Redis does nothing.
  const connection = createRedis(config.redis.url, 'worker', 'sic-worker');
  const queues = createQueues(connection, config.redis.prefix, tuning, logger);
  const ledger = createLedger(connection, config.redis.prefix, {
    retentionDays: tuning.ledgerRetentionDays,
    now,
  });
  const outbox = createTicketOutbox(connection, config.redis.prefix, queues['ticket-updates'], {
    progressIntervalMs: tuning.progressNoteIntervalSeconds * 1000,
    closedRetentionMs: retentionMs,
    now,
  });
  const storware = createStorwareClient({
    baseUrl: config.storware.url,
    user: config.storware.user,
    password: config.storware.password,
    ca: config.storware.ca,
    timeoutMs: config.storware.timeoutMs,
    logger: logger.child({ client: 'storware' }),
    now,
  });
  const servicenow = createServiceNowClient({
    baseUrl: config.servicenow.url,
    auth: config.servicenow.auth,
    timeoutMs: config.servicenow.timeoutMs,
    logger: logger.child({ client: 'servicenow' }),
  });
  const catalog = options.catalog ?? loadCatalog();
  const deps: RequestDeps = {
    config,
    redis: connection,
    logger,
    ledger,
    outbox,
    queues,
    storware,
    servicenow,
    catalog,
    variables: createVariableParser(catalog),
    watch: createTaskWatch(connection, config.redis.prefix, retentionMs),
    projects: createProjectDirectory(storware, logger),
    now,
    tenantStartWindowMs: options.tenantStartWindowMs,
  };

  const processors = createProcessors({
    requests: deps,
    redis: connection,
    ticketUpdates: {
      redis: connection,
      outbox,
      writer: serviceNowTicketWriter(servicenow),
      ledger,
      logger,
      progressIntervalMs: tuning.progressNoteIntervalSeconds * 1000,
      retentionMs,
      fallbackStateField: tuning.serviceNowFallbackStateField,
      now,
    },
  });

  if (options.schedules !== false) {
    // One schedule shared by every worker process: BullMQ keeps a single scheduler per id, so
    // scaling out does not multiply the polls.
    await queues.maintenance.upsertJobScheduler(
      'poll-storware-tasks',
      { every: tuning.pollIntervalSeconds * 1000 },
      {
        name: 'tasks.poll' satisfies JobName,
        data: {},
        opts: JOBS['tasks.poll'].options,
      },
    );
    if (tuning.reconcileIntervalSeconds > 0) {
      await queues.maintenance.upsertJobScheduler(
        'reconcile',
        { every: tuning.reconcileIntervalSeconds * 1000 },
        {
          name: 'reconcile.sweep' satisfies JobName,
          data: {},
          opts: JOBS['reconcile.sweep'].options,
        },
      );
    } else {
      await queues.maintenance.removeJobScheduler('reconcile');
    }
  }

  const pool = startWorkerPool({
    connection,
    prefix: config.redis.prefix,
    processors,
    concurrency: {
      requests: config.workers.concurrency,
      'ticket-updates': Math.max(2, Math.floor(config.workers.concurrency / 2)),
      maintenance: 1,
    },
    backoff: { baseMs: 2_000, capMs: tuning.maxBackoffSeconds * 1000 },
    logger,
    lockDurationMs: options.lockDurationMs ?? config.workers.lockDurationMs,
    maxStalledCount: config.workers.maxStalledCount,
    stalledIntervalMs:
      options.stalledIntervalMs ?? Math.max(500, Math.floor(config.workers.lockDurationMs / 2)),
    // Keep ServiceNow writes under the instance's hourly budget, spread per minute rather than
    // spent in a burst at the top of the hour; a flush job makes about two calls.
    limiter: {
      'ticket-updates': {
        max: Math.max(1, Math.floor(tuning.serviceNowHourlyBudget / 60 / 2)),
        duration: 60_000,
      },
    },
  });

  const close = async () => {
    await pool.close();
    await closeQueues(queues);
    await storware.close().catch(() => undefined);
    await connection.quit().catch(() => connection.disconnect());
  };
  return {
    deps,
    pool,
    connection,
    closers: [{ name: 'workers', close }],
    close,
  };
}
