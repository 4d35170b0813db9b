/**
 * Runs BullMQ workers for the processor table: one Worker per queue, dispatching by job name.
 *
 * Every job has a processor by construction (the table's type, workers/processors.ts). Each attempt
 * first checks the job's data against its schema in the job catalog: a payload this build cannot
 * read fails at once, without spending attempts, and stays in the failed set for ops. Every worker
 * gets the capped full-jitter backoff, the error listeners BullMQ's production guide asks for, and a
 * close that waits for active jobs (graceful shutdown, SIGTERM).
 */
import { DelayedError, UnrecoverableError, Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { isJobName, JOBS, type JobData, type JobName, type QueueName } from '../src/jobs/catalog';
import { backoffDelayMs, type BackoffPolicy } from '../src/jobs/backoff';
import { BACKOFF_STRATEGY } from '../src/jobs/queues';
import { UpstreamError } from '../src/errors';
import type { Logger } from '../src/logger';
import { reportJobAttempt, type JobAttemptOutcome } from '../src/observability/events';

import type { Processor, ProcessorTable } from './processors';

export interface WorkerPoolOptions {
  readonly connection: Redis;
  readonly prefix: string;
  readonly processors: ProcessorTable;
  /** Which queues this process serves (all that have processors by default). */
  readonly queues?: readonly QueueName[];
  readonly concurrency: Partial<Record<QueueName, number>>;
  readonly backoff: BackoffPolicy;
  readonly logger: Logger;
  /** Lock settings; tests shorten them to exercise stalled-job recovery. */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  /** Stalls a job survives before it fails (config WORKER_MAX_STALLED_COUNT). */
  readonly maxStalledCount?: number;
  /** Queue-wide rate limit, e.g. the ServiceNow Table API budget. */
  readonly limiter?: Partial<Record<QueueName, { max: number; duration: number }>>;
}

export interface WorkerPool {
  readonly workers: ReadonlyMap<QueueName, Worker>;
  close(): Promise<void>;
}

/** How an attempt that threw ended, for the job duration metric. */
function attemptOutcome(job: Job, error: unknown): JobAttemptOutcome {
  if (error instanceof DelayedError) {
    return 'delayed';
  }
  if (error instanceof UpstreamError && error.status === 429) {
    return 'rate_limited';
  }
  const final = error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  return final ? 'failed' : 'retry';
}

export function startWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const byQueue = new Map<QueueName, Map<string, Processor>>();
  for (const [name, processor] of Object.entries(options.processors) as Array<[JobName, Processor]>) {
    const queue = JOBS[name].queue;
    if (options.queues && !options.queues.includes(queue)) {
      continue;
    }
    const table = byQueue.get(queue) ?? new Map<string, Processor>();
    table.set(name, processor);
    byQueue.set(queue, table);
  }

  const workers = new Map<QueueName, Worker>();
  for (const [queue, table] of byQueue) {
    const log = options.logger.child({ queue });
    const workerOptions: WorkerOptions = {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency[queue] ?? 1,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      maxStalledCount: options.maxStalledCount ?? 2,
      limiter: options.limiter?.[queue],
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string, error?: Error) => {
          if (type !== BACKOFF_STRATEGY) {
            return 0;
          }
          const retryAfter = error instanceof UpstreamError ? error.retryAfterSeconds : undefined;
          return backoffDelayMs(attemptsMade, options.backoff, retryAfter);
        },
      },
    };
    const worker: Worker = new Worker(
      queue,
      async (job, token) => {
        const processor = table.get(job.name);
        if (!processor || !isJobName(job.name)) {
          // Only reachable when a producer enqueues a name this build does not know (a newer
          // deploy); failing it keeps it visible and replayable after the rollout.
          throw new Error(`no processor for job "${job.name}" on queue ${queue}`);
        }
        const started = performance.now();
        const attemptEnded = (outcome: JobAttemptOutcome) =>
          reportJobAttempt({ queue, name: job.name, outcome, durationMs: performance.now() - started });
        try {
          const data = JOBS[job.name].schema.safeParse(job.data);
          if (!data.success) {
            // A payload this build cannot read will never get better: fail it visibly for ops.
            throw new UnrecoverableError(`job data of ${job.name} is not valid: ${data.error.message}`);
          }
          // Checked just above; the table's processor for this name takes exactly this data.
          const result = await processor(job as Job<JobData<JobName>>, token);
          attemptEnded('completed');
          return result;
        } catch (error) {
          attemptEnded(attemptOutcome(job, error));
          // A remote that says "too many requests" is obeyed for the whole queue, not retried by
          // each job on its own: the queue pauses for the time it asked, and this job goes back
          // to waiting without spending an attempt (bullmq guide/rate-limiting).
          if (error instanceof UpstreamError && error.status === 429) {
            const waitMs = Math.max(1_000, (error.retryAfterSeconds ?? 30) * 1000);
            log.warn({ jobId: job.id, waitMs, system: error.system }, 'rate limited; pausing the queue');
            await worker.rateLimit(waitMs);
            throw Worker.RateLimitError();
          }
          throw error;
        }
      },
      workerOptions,
    );
    worker.on('error', (error) => log.error({ err: error }, 'worker error'));
    worker.on('failed', (job, error) => {
      if (!job) {
        return;
      }
      const final = job.attemptsMade >= (job.opts.attempts ?? 1) || error.name === 'UnrecoverableError';
      const entry = { jobId: job.id, jobName: job.name, attempt: job.attemptsMade, err: error };
      if (final) {
        log.error(entry, 'job failed for good');
      } else {
        log.warn(entry, 'job attempt failed; will retry');
      }
    });
    worker.on('stalled', (jobId) => log.warn({ jobId }, 'job stalled; another worker will take it over'));
    workers.set(queue, worker);
  }

  return {
    workers,
    async close() {
      await Promise.all([...workers.values()].map((w) => w.close()));
    },
  };
}
