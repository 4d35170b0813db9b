/**
 * Redis connections, by role. BullMQ's production guide asks for two different behaviours:
 * - `producer` (the API): fail fast. With the offline queue off and few retries, `queue.add` throws
 *   within a second when Redis is gone, and intake answers 503 instead of hanging or, worse,
 *   answering 2xx for work that is only buffered in process memory.
 * - `worker`: wait forever (`maxRetriesPerRequest: null`), reconnecting with capped backoff, so a
 *   Redis restart pauses work instead of crashing every worker.
 */
import { connect } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';

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

export function createRedis(url: string, role: RedisRole, connectionName?: string): Redis {
  const client = new Redis(url, { ...redisOptions(role), connectionName });
  // Without a listener ioredis prints every reconnect error to stderr as an unhandled event.
  client.on('error', () => undefined);
  return client;
}

/**
 * Answers whether Redis is reachable within `timeoutMs`. A raw socket PING rather than an ioredis
 * client: it leaves no reconnect or connect-timeout timer behind, which matters in short-lived
 * processes (CLI checks, test setup). Honours a password in the URL; TLS URLs are only checked for
 * a TCP connection, since the answer is all we need.
 */
export async function redisReachable(url: string, timeoutMs = 1_000): Promise<boolean> {
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
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
