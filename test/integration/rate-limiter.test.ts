/**
 * The request rate limiter (docs/reliability.md §4.3 S3) against a real Redis: the sliding window
 * counts exactly under concurrency, names a Retry-After that is honest, frees up as the window
 * slides, keeps subjects and scopes apart, and lets requests through when Redis cannot answer.
 */
import type { Redis } from 'ioredis';
import { createRateLimiter } from '../../src/limits/rate-limiter';
import { createRedis } from '../../src/redis/connection';
import { deleteByPrefix, newRedis, uniquePrefix } from '../helpers/redis';

describe('rate limiter (sliding window in Redis)', () => {
  let redis: Redis;
  const prefix = uniquePrefix('ratelimit');

  beforeAll(() => {
    redis = newRedis();
  });

  afterAll(async () => {
    await deleteByPrefix(redis, prefix);
    await redis.quit();
  });

  it('when a subject sends more than the limit, then exactly the limit passes and the rest get a Retry-After', async () => {
    const limiter = createRateLimiter(redis, prefix);
    const decisions = await Promise.all(
      Array.from({ length: 25 }, () => limiter.hit('webhook', '10.0.0.1', 10)),
    );
    const allowed = decisions.filter((d) => d.allowed);
    expect(allowed).toHaveLength(10);
    expect(allowed.map((d) => d.remaining).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const refused of decisions.filter((d) => !d.allowed)) {
      expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
      expect(refused.remaining).toBe(0);
    }
  });

  it('when one subject is over its limit, then other subjects and other scopes are not', async () => {
    const limiter = createRateLimiter(redis, prefix);
    for (let i = 0; i < 3; i += 1) {
      expect((await limiter.hit('api', 'desk', 3)).allowed).toBe(true);
    }
    expect((await limiter.hit('api', 'desk', 3)).allowed).toBe(false);
    expect((await limiter.hit('api', 'oncall', 3)).allowed).toBe(true);
    expect((await limiter.hit('login', 'desk', 3)).allowed).toBe(true);
  });

  it('when the window slides on, then the previous window counts less and less until requests pass again', async () => {
    let clock = 1_000_000_000_000; // the start of a window of 10 s
    const limiter = createRateLimiter(redis, prefix, { windowMs: 10_000, now: () => clock });
    for (let i = 0; i < 4; i += 1) {
      expect((await limiter.hit('api', 'slide', 4)).allowed).toBe(true);
    }
    const refused = await limiter.hit('api', 'slide', 4);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBe(10);

    // Half-way into the next window the 4 earlier requests weigh 2: two more fit, not three.
    clock += 15_000;
    expect((await limiter.hit('api', 'slide', 4)).allowed).toBe(true);
    expect((await limiter.hit('api', 'slide', 4)).allowed).toBe(true);
    const again = await limiter.hit('api', 'slide', 4);
    expect(again.allowed).toBe(false);
    // 4 × 0.5 + 2 = 4; one more needs the old window's weight to fall by a quarter: 2.5 s.
    expect(again.retryAfterSeconds).toBe(3);

    clock += 3_000;
    expect((await limiter.hit('api', 'slide', 4)).allowed).toBe(true);
  });

  it('when every key it writes is listed, then each carries the prefix and expires', async () => {
    const own = uniquePrefix('ratelimit-keys');
    const limiter = createRateLimiter(redis, own);
    await limiter.hit('webhook', '::ffff:127.0.0.1', 5);
    await limiter.hit('api', 'name with spaces/and{braces}', 5);
    const keys = await redis.keys(`${own}*`);
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key.startsWith(`${own}:ratelimit:`)).toBe(true);
      // The subject cannot add a second hash tag or break out of the prefix.
      expect(key.slice(own.length)).not.toMatch(/[{}\s/]/);
      expect(await redis.pttl(key)).toBeGreaterThan(60_000);
    }
    await deleteByPrefix(redis, own);
  });

  it('when the limit is 0, then the limiter does not count at all', async () => {
    const own = uniquePrefix('ratelimit-off');
    const limiter = createRateLimiter(redis, own);
    for (let i = 0; i < 5; i += 1) {
      expect((await limiter.hit('api', 'x', 0)).allowed).toBe(true);
    }
    expect(await redis.keys(`${own}*`)).toEqual([]);
  });

  it('when Redis cannot be reached, then requests pass, marked degraded, and the failure is reported', async () => {
    const dead = createRedis('redis://127.0.0.1:1', 'producer', 'test-ratelimit-dead');
    dead.on('error', () => undefined);
    const seen: unknown[] = [];
    const limiter = createRateLimiter(dead, prefix, { onDegraded: (error) => seen.push(error) });
    const decision = await limiter.hit('webhook', '10.0.0.9', 1);
    expect(decision).toMatchObject({ allowed: true, degraded: true });
    expect(seen).toHaveLength(1);
    dead.disconnect();
  });
});
