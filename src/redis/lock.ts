/**
 * A short mutual-exclusion lock on one Redis key: `SET key token PX ttl NX` to take it, and a
 * compare-and-delete script (lua/release-lock.lua) to release it only while it still holds the
 * holder's token. The TTL is the safety net for a holder that dies; a holder frozen longer than
 * the TTL loses the lock without knowing, so the lock keeps work from being done twice at once but
 * cannot be what makes it correct: what runs under it must survive a second runner (each caller
 * says how it does).
 *
 * Kept claims that are not released (a task or an approval claimed for good) are not locks and do
 * not use this module.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster, Redis } from 'ioredis';
import { loadScript } from './lua-script';

const releaseScript = loadScript(__dirname, 'lua/release-lock.lua', { keys: 1 });

type Client = Redis | Cluster;

export interface Lock {
  readonly key: string;
  readonly token: string;
  /**
   * Deletes the lock if it still holds this token: true when it did, false when the lock had
   * expired (and may have been taken by someone else, whose lock stays).
   */
  release(): Promise<boolean>;
}

/** One attempt: the lock, or undefined when someone else holds it. */
export async function tryLock(redis: Client, key: string, ttlMs: number): Promise<Lock | undefined> {
  const token = randomUUID();
  if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') {
    return undefined;
  }
  return {
    key,
    token,
    async release() {
      return (await releaseScript.run(redis, [key], [token])) === 1;
    },
  };
}

export interface WithLockOptions {
  /**
   * How long to keep trying while another holder has the lock, in ms; 0 (the default) gives up
   * after the first attempt.
   */
  readonly waitMs?: number;
  /** Pause between attempts: random in [min, max) ms, so waiters do not retry in step. */
  readonly retryDelayMs?: readonly [min: number, max: number];
}

export type LockOutcome<T> = { readonly acquired: true; readonly value: T } | { readonly acquired: false };

/**
 * Runs `fn` while holding the lock on `key` and releases it afterwards, also when `fn` throws.
 * Resolves `{ acquired: false }` without running `fn` when the lock stayed taken for `waitMs`.
 *
 * A failed release is ignored: the lock expires by itself within `ttlMs`, and a Redis error at
 * that point must not hide `fn`'s own result or error.
 */
export async function withLock<T>(
  redis: Client,
  key: string,
  ttlMs: number,
  fn: (lock: Lock) => Promise<T>,
  options: WithLockOptions = {},
): Promise<LockOutcome<T>> {
  const [minDelay, maxDelay] = options.retryDelayMs ?? [20, 60];
  const deadline = Date.now() + (options.waitMs ?? 0);
  let lock = await tryLock(redis, key, ttlMs);
  while (!lock) {
    if (Date.now() >= deadline) {
      return { acquired: false };
    }
    await sleep(minDelay + Math.floor(Math.random() * Math.max(0, maxDelay - minDelay)));
    lock = await tryLock(redis, key, ttlMs);
  }
  try {
    return { acquired: true, value: await fn(lock) };
  } finally {
    await lock.release().catch(() => false);
  }
}
