/**
 * Redis for the benchmarks: `REDIS_URL` when it answers, otherwise a private `redis-server`
 * (src/cli/local-redis.ts) so that memory figures are not disturbed by anybody else's keys. Every
 * run writes under its own hash-tagged prefix and deletes it afterwards; nothing is ever flushed.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { startPrivateRedis, type PrivateRedis } from '../../src/cli/local-redis';
import { redisReachable } from '../../src/redis/connection';

export interface BenchRedis {
  readonly url: string;
  /** `REDIS_URL` or `private redis-server`. */
  readonly mode: string;
  /** An admin connection for INFO, MEMORY and clean-up. */
  readonly admin: Redis;
  close(): Promise<void>;
}

export async function openBenchRedis(explicitUrl: string | undefined): Promise<BenchRedis> {
  let url: string;
  let mode: string;
  let privateServer: PrivateRedis | undefined;
  if (explicitUrl !== undefined && (await redisReachable(explicitUrl, 1_000))) {
    url = explicitUrl;
    mode = `REDIS_URL (${explicitUrl.replace(/\/\/[^@]*@/, '//***@')})`;
  } else {
    if (explicitUrl !== undefined) {
      console.warn(`[bench] REDIS_URL ${explicitUrl} does not answer; starting a private redis-server`);
    }
    privateServer = await startPrivateRedis();
    url = privateServer.url;
    mode = 'private redis-server';
  }
  const admin = new Redis(url, { maxRetriesPerRequest: null });
  return {
    url,
    mode,
    admin,
    async close() {
      await admin.quit().catch(() => admin.disconnect());
      await privateServer?.stop();
    },
  };
}

/** `{bench-<8 hex>}`: a hash tag, like production's prefix, unique per run. */
export function benchPrefix(): string {
  return `{bench-${randomUUID().slice(0, 8)}}`;
}

function pattern(prefix: string): string {
  return `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
}

export async function scanKeys(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern(prefix), 'COUNT', 1000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  return keys;
}

export async function deleteByPrefix(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern(prefix), 'COUNT', 1000);
    cursor = next;
    for (let i = 0; i < found.length; i += 500) {
      deleted += await redis.unlink(...found.slice(i, i + 500));
    }
  } while (cursor !== '0');
  return deleted;
}

export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

export interface KeyCensus {
  readonly keys: number;
  /** Sum of MEMORY USAGE (SAMPLES 0) over the keys. */
  readonly bytes: number;
  readonly withoutTtl: number;
  /** Per family (see `family`): keys, bytes, keys without a TTL. */
  readonly families: Record<string, { keys: number; bytes: number; withoutTtl: number }>;
  /** Up to 20 example keys without a TTL (prefix stripped). */
  readonly examplesWithoutTtl: string[];
}

/**
 * Groups a key (prefix stripped) into a family a reader understands: BullMQ job hashes, queue
 * structures, ledger entries, ledger indexes, dedupe keys, …
 */
export function family(rest: string): string {
  if (/^:ledger:req:[^:]+$/.test(rest)) {
    return 'ledger entry (hash)';
  }
  if (/^:ledger:req:[^:]+:data$/.test(rest)) {
    return 'ledger entry data (hash)';
  }
  if (/^:ledger:req:[^:]+:timeline$/.test(rest)) {
    return 'ledger timeline (list)';
  }
  if (/^:ledger:(ritm|number):/.test(rest)) {
    return 'ledger lookups (ritm, number)';
  }
  if (/^:ledger:idx:/.test(rest)) {
    return 'ledger indexes (zsets)';
  }
  if (/^:intake:seen:/.test(rest)) {
    return 'intake dedupe keys';
  }
  if (/^:outbox:/.test(rest)) {
    return 'ticket outbox';
  }
  if (/^:tasks:/.test(rest)) {
    return 'task watch/claims';
  }
  const job = /^:[^:]+:([^:]+)$/.exec(rest);
  if (
    job &&
    ![
      'meta',
      'events',
      'id',
      'wait',
      'paused',
      'active',
      'delayed',
      'prioritized',
      'completed',
      'failed',
      'stalled-check',
      'marker',
      'pc',
      'de',
      'repeat',
      'limiter',
      'stalled',
    ].includes(job[1]!)
  ) {
    return 'BullMQ job hashes';
  }
  if (/^:[^:]+:[^:]+:(logs|lock|dependencies|processed|failed|unsuccessful)$/.test(rest)) {
    return 'BullMQ per-job extras';
  }
  return 'BullMQ queue structures';
}

export async function keyCensus(redis: Redis, prefix: string): Promise<KeyCensus> {
  const keys = await scanKeys(redis, prefix);
  const families: Record<string, { keys: number; bytes: number; withoutTtl: number }> = {};
  const examples: string[] = [];
  let bytes = 0;
  let withoutTtl = 0;
  for (let i = 0; i < keys.length; i += 1000) {
    const batch = keys.slice(i, i + 1000);
    const pipeline = redis.pipeline();
    for (const key of batch) {
      pipeline.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
      pipeline.pttl(key);
    }
    const results = (await pipeline.exec()) ?? [];
    batch.forEach((key, j) => {
      const size = Number(results[2 * j]?.[1] ?? 0);
      const ttl = Number(results[2 * j + 1]?.[1] ?? -2);
      if (ttl === -2) {
        return; // Expired between SCAN and now.
      }
      const name = family(key.slice(prefix.length));
      const slot = (families[name] ??= { keys: 0, bytes: 0, withoutTtl: 0 });
      slot.keys += 1;
      slot.bytes += size;
      bytes += size;
      if (ttl === -1) {
        slot.withoutTtl += 1;
        withoutTtl += 1;
        if (examples.length < 20) {
          examples.push(key.slice(prefix.length));
        }
      }
    });
  }
  return { keys: keys.length, bytes, withoutTtl, families, examplesWithoutTtl: examples };
}

/**
 * Counts the commands a client sends (each command of a pipeline or MULTI counts once; a Lua
 * script is one EVALSHA). Wraps `sendCommand` on this one connection.
 */
export function countCommands(client: Redis): { read(): number; reset(): void } {
  let count = 0;
  const original = client.sendCommand.bind(client);
  client.sendCommand = (...args: Parameters<Redis['sendCommand']>) => {
    count += 1;
    return original(...args);
  };
  return {
    read: () => count,
    reset: () => {
      count = 0;
    },
  };
}
