/**
 * The intake as the API process builds it (real Redis, real BullMQ queues, the real express app),
 * under a unique key prefix, listening on a free port; with a log capture so tests can check what
 * the route writes.
 */
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { loadCatalog } from '../../src/catalog/definitions';
import { createVariableParser } from '../../src/catalog/variables';
import type { Config } from '../../src/config';
import { createApp } from '../../src/http/app';
import { loadConnectorSpec, openApiRouter } from '../../src/http/openapi-route';
import { listen, type RunningServer } from '../../src/http/server';
import { webhookRouter } from '../../src/http/webhook/route';
import { createIntake, type Intake, type IntakeConfig } from '../../src/intake/intake';
import { closeQueues, createQueues, type Queues } from '../../src/jobs/queues';
import { createLedger, type Ledger } from '../../src/ledger';
import { createLogger } from '../../src/logger';
import { createRedis } from '../../src/redis/connection';
import { testConfig } from './config';
import { deleteByPrefix, newRedis, testRedisUrl, uniquePrefix } from './redis';

export const variables = createVariableParser(loadCatalog());

export interface IntakeAppOptions {
  readonly env?: Record<string, string | undefined>;
  /** Where the producer connection points; a dead port simulates Redis being down. */
  readonly redisUrl?: string;
  readonly prefix?: string;
  readonly now?: () => number;
  /** Queues to hand the intake instead of the app's own (fault injection). */
  readonly queues?: Queues;
  readonly intakeConfig?: Partial<IntakeConfig>;
}

export interface IntakeApp {
  readonly config: Config;
  readonly prefix: string;
  readonly url: string;
  readonly redis: Redis;
  readonly queues: Queues;
  readonly ledger: Ledger;
  readonly intake: Intake;
  readonly server: RunningServer;
  readonly logs: () => Array<Record<string, unknown>>;
  readonly rawLogs: () => string;
  close(options?: { keepKeys?: boolean }): Promise<void>;
}

export async function startIntakeApp(options: IntakeAppOptions = {}): Promise<IntakeApp> {
  const config = testConfig({ LOG_LEVEL: 'info', ...options.env });
  const prefix = options.prefix ?? uniquePrefix('intake');
  const tuning = config.connector.tuning;
  let captured = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      captured += chunk.toString('utf8');
      callback();
    },
  });
  const logger = createLogger({ level: 'info', destination });

  const redis = createRedis(options.redisUrl ?? testRedisUrl(), 'producer', 'test-intake');
  if (options.redisUrl === undefined) {
    // The producer connection has no offline queue: commands sent before it is ready fail (503),
    // which is right in production (readiness says not ready) but not what these tests are about.
    await new Promise<void>((resolve) =>
      redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve()),
    );
  }
  const queues = createQueues(redis, prefix, tuning);
  for (const queue of Object.values(queues)) {
    queue.on('error', () => undefined);
  }
  const ledger = createLedger(redis, prefix, { retentionDays: tuning.ledgerRetentionDays });
  const intake = createIntake({
    ledger,
    queues: options.queues ?? queues,
    variables,
    redis,
    logger,
    now: options.now,
    config: { webhook: config.webhook, tuning, prefix, ...options.intakeConfig },
  });
  const app = createApp({
    logger,
    maxBodyBytes: config.webhook.maxBodyBytes,
    readiness: [],
    routes: [
      {
        path: '/webhooks/servicenow',
        router: webhookRouter({ intake, maxBodyBytes: config.webhook.maxBodyBytes }),
      },
      { path: '/openapi.json', router: openApiRouter(loadConnectorSpec()) },
    ],
  });
  const server = await listen(app, 0, '127.0.0.1');

  return {
    config,
    prefix,
    url: `http://127.0.0.1:${server.port}`,
    redis,
    queues,
    ledger,
    intake,
    server,
    rawLogs: () => captured,
    logs: () =>
      captured
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    async close(closeOptions = {}) {
      await server.close();
      // Disconnect first: BullMQ's close waits for a connection that never came up otherwise.
      redis.disconnect();
      await closeQueues(queues).catch(() => undefined);
      if (!closeOptions.keepKeys) {
        const cleaner = newRedis();
        await deleteByPrefix(cleaner, prefix);
        await cleaner.quit();
      }
    },
  };
}
