/**
 * Per-test isolation on a shared Redis: every test gets its own key prefix (a hash tag, like
 * production's) and removes everything under it afterwards.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export function testRedisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url) {
    throw new Error('REDIS_URL is not set: the jest global setup should have found or started Redis');
  }
  return url;
}

export function uniquePrefix(label = 'test'): string {
  return `{${label}-${randomUUID().slice(0, 8)}}`;
}

export async function deleteByPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  // Braces are glob-special only inside [..], so the prefix can be used as is; escape * ? [ ] anyway.
  const pattern = `${prefix.replace(/[*?[\]]/g, '\\$&')}*`;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) {
      deleted += await redis.del(...keys);
    }
  } while (cursor !== '0');
  return deleted;
}

export function newRedis(): Redis {
  return new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
}
