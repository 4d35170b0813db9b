/**
 * Redis connections, by role. BullMQ's production guide asks for two different behaviours:
 * - `producer` (the API): fail fast. With the offline queue off and few retries, `queue.add` throws
 *   within a second when Redis is gone, and intake answers 503 instead of hanging or, worse,
 *   answering 2xx for work that is only buffered in process memory.
 * - `worker`: wait forever (`maxRetriesPerRequest: null`), reconnecting with capped backoff, so a
 *   Redis restart pauses work instead of crashing every worker.
 *
 * Deployments. `REDIS_URL` names one of three shapes (see README, "Redis"):
 * - `redis://[user:pass@]host:port[/db]` (or `rediss://` for TLS): one server, a managed Redis, or
 *   the endpoint of a proxy in front of a cluster;
 * - `redis+cluster://[user:pass@]host1:port1,host2:port2,…` (or `rediss+cluster://`): a Redis
 *   Cluster, given by a few seed nodes (the client discovers the others). Every key of the
 *   connector sits under one hash-tagged prefix (`QUEUE_PREFIX`, `{sic}`), so every multi-key
 *   script and BullMQ's Lua run inside one slot: no CROSSSLOT errors;
 * - `redis+sentinel://[user:pass@]host1:port1,host2:port2/<master name>` (or `rediss+sentinel://`):
 *   a primary found through Sentinel; after a failover the client follows the new primary. The
 *   password is the data nodes' (Sentinels without auth, the usual setup).
 * Cluster and Sentinel clients are ioredis `Cluster` / Sentinel-backed `Redis` objects behind the
 * same `Redis` type: the commands the connector uses are the same on both.
 */
import { connect } from 'node:net';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { withTimeout } from '../util/with-timeout';
import { parseRedisUrl } from './redis-url';

// The URL parsing is pure and lives in ./redis-url (config validation uses it without loading
// ioredis); re-exported here for callers that already import it from this module.
export {
  describeRedisUrl,
  parseRedisUrl,
  type RedisNodeAddress,
  type RedisTarget,
  type RedisTopology,
} from './redis-url';

export type RedisRole = 'producer' | 'worker';

function reconnectDelay(times: number): number {
  // 1 s, 2 s, 4 s … capped at 20 s, as BullMQ's production guide suggests.
  return Math.min(1000 * 2 ** Math.max(0, times - 1), 20_000);
}

export function redisOptions(role: RedisRole): RedisOptions {
  if (role === 'producer') {
    return {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      commandTimeout: 3_000,
      retryStrategy: reconnectDelay,
      lazyConnect: false,
    };
  }
  return {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectTimeout: 5_000,
    retryStrategy: reconnectDelay,
  };
}

/**
 * A client for REDIS_URL in the given role. For a Cluster, the role's options apply to every node
 * connection, and the producer's fail-fast also holds for the cluster as a whole (offline queue
 * off: while no node answers, commands fail at once instead of queueing in memory).
 */
export function createRedis(url: string, role: RedisRole, connectionName?: string): Redis {
  const target = parseRedisUrl(url);
  const options = { ...redisOptions(role), connectionName };
  let client: Redis;
  if (target.topology === 'single') {
    client = new Redis(url, options);
  } else {
    const auth = {
      ...(target.username ? { username: target.username } : {}),
      ...(target.password ? { password: target.password } : {}),
      ...(target.tls ? { tls: {} } : {}),
    };
    if (target.topology === 'sentinel') {
      client = new Redis({
        ...options,
        ...auth,
        sentinels: target.nodes.map((n) => ({ host: n.host, port: n.port })),
        name: target.masterName!,
        ...(target.tls ? { sentinelTLS: {}, enableTLSForSentinelMode: true } : {}),
      });
    } else {
      const { retryStrategy, enableOfflineQueue, lazyConnect: _lazy, ...nodeOptions } = options;
      const clusterOptions: ClusterOptions = {
        redisOptions: { ...nodeOptions, ...auth },
        clusterRetryStrategy: retryStrategy,
        enableOfflineQueue: enableOfflineQueue ?? true,
        enableReadyCheck: true,
        // A MOVED/ASK after a resharding or failover is followed, a few times at most.
        maxRedirections: 16,
        retryDelayOnFailover: 200,
        retryDelayOnClusterDown: 500,
      };
      // Same command surface as a single client for everything the connector and BullMQ call
      // (BullMQ recognises a Cluster and handles its blocking connection itself).
      client = new Cluster(
        target.nodes.map((n) => ({ host: n.host, port: n.port })),
        clusterOptions,
      ) as unknown as Redis;
    }
  }
  // Without a listener ioredis prints every reconnect error to stderr as an unhandled event.
  client.on('error', () => undefined);
  return client;
}

/** True for a client made from a `redis+cluster://` URL. */
export function isClusterClient(client: Redis): boolean {
  return (client as unknown as { isCluster?: boolean }).isCluster === true;
}

/**
 * Answers whether Redis is reachable within `timeoutMs`. A raw socket PING rather than an ioredis
 * client: it leaves no reconnect or connect-timeout timer behind, which matters in short-lived
 * processes (CLI checks, test setup). Honours a password in the URL; TLS URLs are only checked for
 * a TCP connection, since the answer is all we need.
 */
export async function redisReachable(url: string, timeoutMs = 1_000): Promise<boolean> {
  const target = parseRedisUrl(url);
  if (target.topology !== 'single') {
    // Cluster: any seed node answering will do for "is it there"; Sentinel: the sentinels.
    const answers = await Promise.all(
      target.nodes.map((node) => {
        const userinfo =
          target.topology === 'cluster' && target.password !== undefined
            ? `${encodeURIComponent(target.username ?? '')}:${encodeURIComponent(target.password)}@`
            : '';
        const host = node.host.includes(':') ? `[${node.host}]` : node.host;
        return redisReachable(
          `${target.tls ? 'rediss' : 'redis'}://${userinfo}${host}:${node.port}`,
          timeoutMs,
        );
      }),
    );
    return answers.some(Boolean);
  }
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = Number(parsed.port || 6379);
  const password = decodeURIComponent(parsed.password);
  const user = decodeURIComponent(parsed.username);
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let settled = false;
    const done = (ok: boolean) => {
      if (!settled) {
        settled = true;
        socket.destroy();
        resolve(ok);
      }
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => {
      if (parsed.protocol === 'rediss:') {
        done(true);
        return;
      }
      const auth = password ? (user ? `AUTH ${user} ${password}\r\n` : `AUTH ${password}\r\n`) : '';
      socket.write(`${auth}PING\r\n`);
    });
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      if (received.includes('+PONG')) {
        done(true);
      } else if (received.includes('-')) {
        done(false);
      }
    });
  });
}

/** PING with a deadline on an existing connection (readiness checks). */
export async function pingWithin(client: Redis, timeoutMs: number): Promise<void> {
  await withTimeout(client.ping(), timeoutMs, `Redis did not answer within ${timeoutMs} ms`);
}
