/**
 * Queue handles for producers (intake, workers enqueueing ticket updates, ops replays). The
 * connection is the fail-fast producer connection, so an add while Redis is down throws at once
 * and the caller answers 503 instead of buffering work in memory.
 */
import { Queue, type DefaultJobOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Tuning } from '../config';
import type { Logger } from '../logger';
import { QUEUE_NAMES, type QueueName } from './catalog';

export type Queues = Record<QueueName, Queue>;

/** Name of the custom backoff strategy registered on every worker (see workers/worker-pool.ts). */
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

/**
 * The connector's queues. With a logger, connection errors become JSON log lines: without a
 * listener BullMQ prints each one to the console as a raw stack, and the reconnect backoff
 * (1–20 s) keeps them to a line now and then while Redis is away.
 */
export function createQueues(connection: Redis, prefix: string, tuning: Tuning, logger?: Logger): Queues {
  const make = (name: QueueName) => {
    const queue = new Queue(name, {
      connection,
      prefix,
      defaultJobOptions: defaultJobOptions(name, tuning),
      // The events stream carries return values; cap it so Redis memory stays flat (bullmq #366).
      streams: { events: { maxLen: 2_000 } },
    });
    if (logger) {
      queue.on('error', (error) => logger.warn({ err: error, queue: name }, 'queue connection error'));
    }
    return queue;
  };
  return {
    requests: make(QUEUE_NAMES.requests),
    'ticket-updates': make(QUEUE_NAMES.ticketUpdates),
    maintenance: make(QUEUE_NAMES.maintenance),
  };
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
