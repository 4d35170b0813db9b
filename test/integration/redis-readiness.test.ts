import request from 'supertest';
import { Redis } from 'ioredis';
import { createApp } from '../../src/http/app';
import { createRedis, pingWithin, redisReachable } from '../../src/redis/connection';
import { freePort, startPrivateRedis } from '../../src/cli/local-redis';
import { silentLogger } from '../../src/logger';
import { testRedisUrl } from '../helpers/redis';

function appFor(redis: Redis) {
  return createApp({
    logger: silentLogger(),
    maxBodyBytes: 1024,
    readiness: [
      { name: 'redis', check: () => pingWithin(redis, 500) },
      { name: 'config', check: () => Promise.resolve() },
    ],
    readinessTimeoutMs: 1_000,
  });
}

describe('Redis for tests and readiness', () => {
  it('when the global setup ran, then REDIS_URL points at a Redis that answers', async () => {
    expect(await redisReachable(testRedisUrl(), 1_000)).toBe(true);
  });

  it('when nothing listens on a port, then reachability says no within the timeout', async () => {
    const port = await freePort();
    const started = Date.now();
    expect(await redisReachable(`redis://127.0.0.1:${port}`, 500)).toBe(false);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('when a private redis-server is started, then it answers and is gone after stop', async () => {
    const redis = await startPrivateRedis();
    try {
      expect(await redisReachable(redis.url)).toBe(true);
      const client = new Redis(redis.url);
      expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      client.disconnect();
    } finally {
      await redis.stop();
    }
    expect(await redisReachable(redis.url, 300)).toBe(false);
  });

  it('when Redis answers, then /readyz is 200; when it stops, then /readyz is 503', async () => {
    const server = await startPrivateRedis();
    const redis = createRedis(server.url, 'producer');
    try {
      const app = appFor(redis);
      await new Promise((resolve) => redis.once('ready', resolve));
      const ok = await request(app).get('/readyz').expect(200);
      expect(ok.body.status).toBe('ready');

      await server.stop();
      const down = await request(app).get('/readyz').expect(503);
      expect(down.body.status).toBe('not_ready');
      expect(down.body.checks[0]).toMatchObject({ name: 'redis', ok: false });
      expect(down.body.checks[1]).toEqual({ name: 'config', ok: true });
    } finally {
      redis.disconnect();
    }
  });
});
