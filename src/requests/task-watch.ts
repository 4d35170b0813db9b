/**
 * Which Storware tasks the connector is waiting on, and which request owns each task.
 *
 *   <p>:tasks:watch    hash task guid → {requestId, step} of running tasks the poller follows
 *   <p>:tasks:claim:<guid>  requestId of the request that created or adopted the task; a task
 *                      is never adopted by another request (two backups of one instance close
 *                      together). Kept for the ledger's retention, then it expires.
 *
 * Waiting on a task costs no worker slot: the request job sleeps as a delayed job, the poller
 * reads every watched task from one paged list call per interval and wakes the jobs whose task
 * finished (see poll-tasks.ts).
 */
import type { Redis } from 'ioredis';

export interface WatchedTask {
  readonly requestId: string;
  readonly step: string;
  /** For progress notes without a ledger read. */
  readonly ritmSysId: string;
}

export interface TaskWatch {
  watch(taskGuid: string, owner: WatchedTask): Promise<void>;
  unwatch(taskGuid: string): Promise<void>;
  watched(): Promise<Map<string, WatchedTask>>;
  count(): Promise<number>;
  /** Claims a task for a request; true when it is (now or already) this request's. */
  claim(taskGuid: string, requestId: string): Promise<boolean>;
  claimedBy(taskGuid: string): Promise<string | undefined>;
  /** Stops watching the tasks (the request finished); their claims stay until they expire. */
  release(taskGuids: readonly string[]): Promise<void>;
}

export function createTaskWatch(redis: Redis, prefix: string, claimTtlMs: number): TaskWatch {
  const watchKey = `${prefix}:tasks:watch`;
  const claimKey = (guid: string) => `${prefix}:tasks:claim:${guid}`;
  return {
    async watch(taskGuid, owner) {
      await redis.hset(watchKey, taskGuid, JSON.stringify(owner));
    },
    async unwatch(taskGuid) {
      await redis.hdel(watchKey, taskGuid);
    },
    async watched() {
      const all = await redis.hgetall(watchKey);
      return new Map(Object.entries(all).map(([guid, raw]) => [guid, JSON.parse(raw) as WatchedTask]));
    },
    count() {
      return redis.hlen(watchKey);
    },
    async claim(taskGuid, requestId) {
      await redis.set(claimKey(taskGuid), requestId, 'PX', claimTtlMs, 'NX');
      return (await redis.get(claimKey(taskGuid))) === requestId;
    },
    async claimedBy(taskGuid) {
      return (await redis.get(claimKey(taskGuid))) ?? undefined;
    },
    async release(taskGuids) {
      if (taskGuids.length > 0) {
        await redis.hdel(watchKey, ...taskGuids);
      }
    },
  };
}
