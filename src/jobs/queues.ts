/**
 * Queue handles for producers (intake, workers enqueueing ticket updates, ops replays). The
 * connection is the fail-fast producer connection, so an add while Redis is down throws at once
 * and the caller answers 503 instead of buffering work in memory.
 */
import { Queue, type DefaultJobOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Tuning } from '../config';
import { QUEUE_NAMES, type QueueName } from './catalog';

export type Queues = Record<QueueName, Queue>;

/** Name of the custom backoff strategy registered on every worker (see workers/runner.ts). */
export const BACKOFF_STRATEGY = 'capped-full-jitter';

export function defaultJobOptions(queue: QueueName, tuning: Tuning): DefaultJobOptions {
  const day = 24 * 3600;
  return {
    attempts: queue === 'maintenance' ? 1 : tuning.jobAttempts,
    backoff: { type: BACKOFF_STRATEGY },
    // Completed jobs are only kept long enough to look at; the ledger is the record. Failed jobs
    // stay two weeks: they are what ops replays.
    removeOnComplete: { age: day, count: 10_000 },
    removeOnFail: { age: 14 * day, count: 50_000 },
  };
}

export function createQueues(connection: Redis, prefix: string, tuning: Tuning): Queues {
  const make = (name: QueueName) =>
    new Queue(name, {
      connection,
      prefix,
      defaultJobOptions: defaultJobOptions(name, tuning),
      // The events stream carries return values; cap it so Redis memory stays flat (bullmq #366).
      streams: { events: { maxLen: 2_000 } },
    });
  return {
    requests: make(QUEUE_NAMES.requests),
    'ticket-updates': make(QUEUE_NAMES.ticketUpdates),
    maintenance: make(QUEUE_NAMES.maintenance),
  };
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
