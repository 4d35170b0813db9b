/**
 * Fault actions shared by the chaos scenarios and the combined seeded run: each one does to the
 * running system what the fault matrix (docs/reliability.md §4.2) describes, and undoes it.
 */
import { requestJobId, requestJobName } from '../../src/jobs/catalog';
import type { ChaosEnv, TrackedRequest } from './chaos-env';
import { sleep } from './chaos-env';
import type { ConnectorProcess } from './chaos-processes';
import type { RedisServer } from './chaos-redis';

export async function waitUntil<T>(
  read: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined && value !== false) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await sleep(100);
  }
}

/** Active jobs of the requests queue (read through the observer connection). */
export async function activeRequestJobs(env: ChaosEnv): Promise<number> {
  return (await env.queues.requests.getJobCounts('active')).active ?? 0;
}

/**
 * A run job lost from Redis, as a FLUSH of its keys or a failover losing writes would leave it:
 * its hash, lock and logs gone and its id out of every state list. The ledger keeps the request.
 */
export async function loseRunJob(env: ChaosEnv, requestId: string): Promise<void> {
  const base = `${env.prefix}:requests`;
  const id = requestJobId(requestId);
  const pipeline = env.redis.pipeline();
  pipeline.del(`${base}:${id}`, `${base}:${id}:lock`, `${base}:${id}:logs`);
  for (const list of ['wait', 'active', 'paused']) {
    pipeline.lrem(`${base}:${list}`, 0, id);
  }
  for (const zset of ['delayed', 'prioritized', 'completed', 'failed', 'waiting-children']) {
    pipeline.zrem(`${base}:${zset}`, id);
  }
  pipeline.srem(`${base}:stalled`, id);
  await pipeline.exec();
}

/**
 * Jobs no build can run: request jobs whose data breaks the schema (wrong types, an extra field
 * carrying markup) or names another item than the job. Both must fail at once, without using their
 * attempts, and land in the failed set.
 */
export async function addPoisonJobs(env: ChaosEnv, tag: string): Promise<string[]> {
  const bad = await env.queues.requests.add(
    requestJobName('storware_backup_now'),
    { requestId: 'not-a-request', ritmSysId: 42, item: 'storware_backup_now', extra: '<script>' },
    { jobId: `poison-shape-${tag}`, attempts: 5 },
  );
  const wrongItem = await env.queues.requests.add(
    requestJobName('storware_backup_now'),
    {
      requestId: `r-${'0'.repeat(32)}`,
      ritmSysId: 'f'.repeat(32),
      number: 'RITM9999999',
      item: 'storware_restore_point',
    },
    { jobId: `poison-item-${tag}`, attempts: 5 },
  );
  return [bad.id!, wrongItem.id!];
}

/** Stops every worker gracefully and starts `count` fresh ones. */
export async function replaceWorkers(env: ChaosEnv, count: number): Promise<ConnectorProcess[]> {
  await Promise.all(env.liveWorkers().map((w) => w.stop()));
  return Promise.all(Array.from({ length: count }, () => env.startWorker()));
}

/** Keeps `count` workers running (starts what is missing). */
export async function topUpWorkers(env: ChaosEnv, count: number): Promise<void> {
  const missing = count - env.liveWorkers().length;
  await Promise.all(Array.from({ length: Math.max(0, missing) }, () => env.startWorker()));
}

/** `used_memory` of a server, in bytes. */
export async function usedMemory(redis: RedisServer): Promise<number> {
  const info = await redis.cli('INFO', 'memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

export async function evictedKeys(redis: RedisServer): Promise<number> {
  const info = await redis.cli('INFO', 'stats');
  return Number(/evicted_keys:(\d+)/.exec(info)?.[1] ?? 0);
}

/** How many times worker logs (from the given offsets) say a job stalled. */
export function stalledEvents(
  workers: readonly ConnectorProcess[],
  offsets: ReadonlyMap<string, number>,
): number {
  return workers
    .map(
      (w) =>
        w
          .log(offsets.get(w.name) ?? 0)
          .split('\n')
          .filter((l) => l.includes('job stalled')).length,
    )
    .reduce((a, b) => a + b, 0);
}

export function logOffsets(workers: readonly ConnectorProcess[]): Map<string, number> {
  return new Map(workers.map((w) => [w.name, w.logSize()]));
}

/** Tracked requests whose ledger timeline has an event of this type. */
export async function withEvent(
  env: ChaosEnv,
  requests: readonly TrackedRequest[],
  type: string,
): Promise<number> {
  let n = 0;
  for (const request of requests) {
    const entry = await env.ledger.getByRitm(request.ritmSysId);
    if (entry?.timeline.some((e) => e.type === type)) {
      n += 1;
    }
  }
  return n;
}
