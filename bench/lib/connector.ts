/**
 * The connector's pieces as the API process builds them (src/processes/api.ts), for the scenarios that drive
 * the intake directly: a real Config through loadConfig, the fail-fast producer connection, the
 * queues, the ledger and the intake service. Storware and ServiceNow point nowhere: intake never
 * calls them.
 */
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import type { Redis } from 'ioredis';
import { loadCatalog } from '../../src/catalog/definitions';
import { createVariableParser, type VariableParser } from '../../src/catalog/variables';
import { localConnectorYaml } from '../../src/cli/local-stack';
import { loadConfig, type Config } from '../../src/config';
import { createIntake, type Intake } from '../../src/intake/intake';
import { closeQueues, createQueues, type Queues } from '../../src/jobs/queues';
import { createLedger, type Ledger } from '../../src/ledger';
import { createLogger, type Logger } from '../../src/logger';
import { createRedis } from '../../src/redis/connection';

let variableParser: VariableParser | undefined;
export function variables(): VariableParser {
  return (variableParser ??= createVariableParser(loadCatalog()));
}

/**
 * The production logger (pino, redaction, JSON lines) at the given level, writing to /dev/null:
 * the benchmark pays for building every line, as production does, without printing it.
 */
export function benchLogger(level: string): Logger {
  return createLogger({ level, destination: pino.destination({ dest: '/dev/null', sync: false }) });
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function benchConfig(options: {
  redisUrl: string;
  prefix: string;
  secret: string;
  logLevel: string;
  tuning?: Record<string, number | boolean | string>;
}): Config {
  const yaml = localConnectorYaml(options.tuning);
  return loadConfig(
    {
      NODE_ENV: 'development',
      LOG_LEVEL: options.logLevel,
      PORT: '0',
      REDIS_URL: options.redisUrl,
      QUEUE_PREFIX: options.prefix,
      STORWARE_URL: 'http://127.0.0.1:9/api',
      STORWARE_USER: 'svc-itsm',
      STORWARE_PASSWORD: 'storware-pass-xyz',
      SERVICENOW_URL: 'http://127.0.0.1:9',
      SERVICENOW_USER: 'svc.storware',
      SERVICENOW_PASSWORD: 'servicenow-pass-xyz',
      WEBHOOK_SECRETS: options.secret,
      API_TOKENS: `desk:agent:${randomBytes(18).toString('hex')},oncall:ops:${randomBytes(18).toString('hex')}`,
      CONNECTOR_CONFIG: '/bench/connector.yaml',
      // The load generator is one address sending far more than any ServiceNow instance would: the
      // limiter still runs (its round trip is part of what B1 measures) but never refuses.
      RATE_LIMIT_WEBHOOK_PER_MINUTE: '10000000',
    },
    { readFile: (path) => (path === '/bench/connector.yaml' ? yaml : '') },
  );
}

export interface IntakePieces {
  readonly config: Config;
  readonly redis: Redis;
  readonly queues: Queues;
  readonly ledger: Ledger;
  readonly intake: Intake;
  close(): Promise<void>;
}

/** The intake as src/processes/api.ts composes it, on a producer connection that is ready. */
export async function intakePieces(config: Config, logger: Logger): Promise<IntakePieces> {
  const tuning = config.connector.tuning;
  const redis = createRedis(config.redis.url, 'producer', 'bench-intake');
  await new Promise<void>((resolve) =>
    redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve()),
  );
  const queues = createQueues(redis, config.redis.prefix, tuning);
  for (const queue of Object.values(queues)) {
    queue.on('error', () => undefined);
  }
  const ledger = createLedger(redis, config.redis.prefix, { retentionDays: tuning.ledgerRetentionDays });
  const intake = createIntake({
    ledger,
    queues,
    variables: variables(),
    redis,
    logger,
    config: { webhook: config.webhook, tuning, prefix: config.redis.prefix },
  });
  return {
    config,
    redis,
    queues,
    ledger,
    intake,
    async close() {
      await closeQueues(queues).catch(() => undefined);
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Runs `task(i)` for i in 0..count-1 with `inFlight` at a time; resolves with the elapsed ms. */
export async function runPool(
  count: number,
  inFlight: number,
  task: (i: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < count) {
      const i = next;
      next += 1;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, lane));
  return performance.now() - started;
}
