/**
 * What the connector needs from the Redis it runs on, checked at start (README, "Running on
 * Redis"):
 * - `maxmemory-policy noeviction`. Under any other policy Redis may delete keys when memory runs
 *   short: a BullMQ job, a lock, a dedupe key (a delivery accepted twice) or a ledger entry. With
 *   noeviction a full Redis refuses writes instead, and the intake answers 503 (R14).
 * - AOF (`appendonly yes`). Without it a restart loses everything since the last snapshot;
 *   the reconciler rebuilds open requests from ServiceNow, but only within its look-back.
 *
 * Read with INFO rather than CONFIG GET: managed services (ElastiCache, Azure Cache, Memorystore)
 * usually disable CONFIG but answer INFO. On a Cluster every primary is asked. The check never
 * stops the connector: some managed services manage persistence their own way (replicas, RDB
 * every minute) and say so in their docs, so this is a loud warning an operator can act on.
 */
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from '../logger';
import { isClusterClient } from './connection';

export interface RedisNodeSettings {
  readonly node: string;
  readonly maxmemoryPolicy: string | undefined;
  readonly aofEnabled: boolean | undefined;
}

export interface RedisSettingsReport {
  readonly nodes: readonly RedisNodeSettings[];
  /** One sentence per problem, naming the node and the setting to change. */
  readonly problems: readonly string[];
}

/** A field of an INFO answer (`name:value` lines). */
export function infoField(info: string, name: string): string | undefined {
  const match = new RegExp(`^${name}:(.*)$`, 'm').exec(info);
  return match?.[1]?.trim();
}

export function judgeNode(node: string, info: string): { settings: RedisNodeSettings; problems: string[] } {
  const policy = infoField(info, 'maxmemory_policy');
  const aof = infoField(info, 'aof_enabled');
  const settings: RedisNodeSettings = {
    node,
    maxmemoryPolicy: policy,
    aofEnabled: aof === undefined ? undefined : aof === '1',
  };
  const problems: string[] = [];
  if (policy !== undefined && policy !== 'noeviction') {
    problems.push(
      `${node}: maxmemory-policy is ${policy}; set noeviction, or Redis may evict queued jobs, locks and dedupe keys when memory runs short`,
    );
  }
  if (settings.aofEnabled === false) {
    problems.push(
      `${node}: AOF is off (appendonly no); set appendonly yes with appendfsync everysec, or a restart loses everything since the last snapshot`,
    );
  }
  return { settings, problems };
}

export async function checkRedisSettings(client: Redis | Cluster): Promise<RedisSettingsReport> {
  const targets: Array<{ name: string; redis: Redis }> = isClusterClient(client as Redis)
    ? (client as Cluster)
        .nodes('master')
        .map((n) => ({ name: `${n.options.host}:${n.options.port}`, redis: n }))
    : [{ name: 'redis', redis: client as Redis }];
  const nodes: RedisNodeSettings[] = [];
  const problems: string[] = [];
  for (const target of targets) {
    const [memory, persistence] = await Promise.all([
      target.redis.info('memory'),
      target.redis.info('persistence'),
    ]);
    const judged = judgeNode(target.name, `${memory}\n${persistence}`);
    nodes.push(judged.settings);
    problems.push(...judged.problems);
  }
  return { nodes, problems };
}

function untilReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') {
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Redis not ready')), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Checks once Redis answers (now, or on a later try while it is away) and logs the outcome: an
 * error line per problem, or one info line. Returns a stop function for shutdown.
 */
export function reportRedisSettings(connect: () => Redis, logger: Logger, retryMs = 30_000): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const attempt = async () => {
    const redis = connect();
    try {
      await untilReady(redis, 5_000);
      const report = await checkRedisSettings(redis);
      for (const problem of report.problems) {
        logger.error(
          { redisSettings: report.nodes },
          `Redis is not set up as the connector needs: ${problem}`,
        );
      }
      if (report.problems.length === 0) {
        logger.info({ redisSettings: report.nodes }, 'Redis settings checked: noeviction and AOF');
      }
    } catch {
      if (!stopped) {
        timer = setTimeout(() => void attempt(), retryMs);
        timer.unref();
      }
    } finally {
      redis.disconnect();
    }
  };
  void attempt();
  return () => {
    stopped = true;
    if (timer) {
      clearTimeout(timer);
    }
  };
}
