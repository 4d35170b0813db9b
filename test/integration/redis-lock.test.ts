/**
 * The one Redis lock helper (src/redis/lock.ts) against a real Redis: one holder at a time, a
 * release that only ever deletes the caller's own lock, and a lock that is given back when the
 * work under it throws.
 */
import type { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { tryLock, withLock } from '../../src/redis/lock';
import { deleteByPrefix, newRedis, uniquePrefix } from '../helpers/redis';

/**
 * A view of `redis` that runs `between` once, right after the first of the watched commands sent
 * through it has been answered: a deterministic stand-in for another process acting in the gap
 * between two commands of a release.
 */
function withGapAfterFirstCommand(redis: Redis, between: () => Promise<void>): Redis {
  const watched = new Set(['get', 'del', 'eval', 'evalsha']);
  let armed = true;
  return new Proxy(redis, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') {
        return value;
      }
      const method = value as (...args: unknown[]) => unknown;
      if (typeof property !== 'string' || !watched.has(property)) {
        return method.bind(target);
      }
      return async (...args: unknown[]) => {
        const result = await method.apply(target, args);
        if (armed) {
          armed = false;
          await between();
        }
        return result;
      };
    },
  });
}

/** The release src/reconcile/sweep.ts had before the helper: compare, then delete, in two steps. */
async function getThenDelRelease(redis: Redis, key: string, token: string): Promise<void> {
  if ((await redis.get(key)) === token) {
    await redis.del(key);
  }
}

describe('redis lock (tryLock, withLock)', () => {
  let redis: Redis;
  const prefix = uniquePrefix('lock');

  beforeAll(() => {
    redis = newRedis();
  });

  afterAll(async () => {
    await deleteByPrefix(redis, prefix);
    await redis.quit();
  });

  it('when many try at once, then exactly one holds the lock until it releases it', async () => {
    const key = `${prefix}:exclusive`;
    const attempts = await Promise.all(Array.from({ length: 20 }, () => tryLock(redis, key, 10_000)));
    const holders = attempts.filter((lock) => lock !== undefined);
    expect(holders).toHaveLength(1);
    expect(await redis.get(key)).toBe(holders[0]!.token);

    expect(await tryLock(redis, key, 10_000)).toBeUndefined();
    expect(await holders[0]!.release()).toBe(true);
    expect(await redis.exists(key)).toBe(0);
    const next = await tryLock(redis, key, 10_000);
    expect(next).toBeDefined();
    await next!.release();
  });

  it('when several withLock calls wait for one key, then their work never overlaps and all of it runs', async () => {
    const key = `${prefix}:serial`;
    let inside = 0;
    let most = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        withLock(
          redis,
          key,
          10_000,
          async () => {
            inside += 1;
            most = Math.max(most, inside);
            await sleep(15);
            inside -= 1;
            return i;
          },
          { waitMs: 5_000, retryDelayMs: [5, 10] },
        ),
      ),
    );
    expect(most).toBe(1);
    expect(outcomes.map((o) => (o.acquired ? o.value : -1)).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(await redis.exists(key)).toBe(0);
  });

  it('when the lock is held and there is no wait, then withLock does not run the work', async () => {
    const key = `${prefix}:busy`;
    const held = await tryLock(redis, key, 10_000);
    const work = jest.fn(() => Promise.resolve('ran'));
    expect(await withLock(redis, key, 10_000, work)).toEqual({ acquired: false });
    expect(work).not.toHaveBeenCalled();
    await held!.release();
  });

  it('when the lock expired and another holder took it, then releasing the old one leaves the new one', async () => {
    const key = `${prefix}:expired`;
    const first = await tryLock(redis, key, 50);
    await sleep(120);
    const second = await tryLock(redis, key, 10_000);
    expect(second).toBeDefined();

    expect(await first!.release()).toBe(false);
    expect(await redis.get(key)).toBe(second!.token);
    await second!.release();
  });

  // The race a two-step release loses: the first holder reads its own token, its lock expires and
  // a second holder takes it, and then the first holder's DEL removes the second holder's lock.
  // Here the expiry and the takeover are made to happen right after the first command of the
  // release. Against a GET-then-DEL release (as sweep.ts had: `if (await redis.get(key) === token)
  // await redis.del(key)`) this test fails: the GET still sees the first token, and the DEL then
  // deletes the second holder's lock. The control below shows that it does. The helper's release
  // is one compare-and-delete script, so there is no gap between its compare and its delete.
  it('when the lock is taken over in the middle of a release, then the new holder keeps it', async () => {
    const key = `${prefix}:takeover`;
    let second: Awaited<ReturnType<typeof tryLock>>;
    const takeOver = async () => {
      await redis.pexpire(key, 1); // the first holder's lock runs out...
      await sleep(10);
      second = await tryLock(redis, key, 10_000); // ...and another process takes it
    };
    const first = await tryLock(withGapAfterFirstCommand(redis, takeOver), key, 10_000);
    expect(first).toBeDefined();

    await first!.release();

    expect(second).toBeDefined();
    expect(await redis.get(key)).toBe(second!.token);
    await second!.release();
  });

  it('control: the same takeover during a GET-then-DEL release deletes the new holder lock', async () => {
    const key = `${prefix}:takeover-control`;
    let second: Awaited<ReturnType<typeof tryLock>>;
    const first = await tryLock(redis, key, 10_000);
    const gapped = withGapAfterFirstCommand(redis, async () => {
      await redis.pexpire(key, 1);
      await sleep(10);
      second = await tryLock(redis, key, 10_000);
    });

    await getThenDelRelease(gapped, key, first!.token);

    expect(second).toBeDefined();
    expect(await redis.exists(key)).toBe(0); // the second holder's lock is gone: the bug
  });

  it('when the work under withLock throws, then the error reaches the caller and the lock is released', async () => {
    const key = `${prefix}:throws`;
    await expect(
      withLock(redis, key, 10_000, () => Promise.reject(new Error('work failed'))),
    ).rejects.toThrow('work failed');
    expect(await redis.exists(key)).toBe(0);
    const again = await withLock(redis, key, 10_000, () => Promise.resolve('ok'));
    expect(again).toEqual({ acquired: true, value: 'ok' });
  });

  it('when withLock waits and the holder releases, then it runs; when the wait runs out, it gives up', async () => {
    const key = `${prefix}:wait`;
    const held = await tryLock(redis, key, 10_000);
    setTimeout(() => void held!.release(), 100);
    const waited = await withLock(redis, key, 10_000, () => Promise.resolve('after'), { waitMs: 2_000 });
    expect(waited).toEqual({ acquired: true, value: 'after' });

    const blocker = await tryLock(redis, key, 10_000);
    const started = Date.now();
    const gaveUp = await withLock(redis, key, 10_000, () => Promise.resolve('never'), { waitMs: 150 });
    expect(gaveUp).toEqual({ acquired: false });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    await blocker!.release();
  });
});
