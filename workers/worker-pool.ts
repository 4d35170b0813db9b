/**
 * Runs BullMQ workers for a set of processors: one Worker per queue, dispatching by job name.
 *
 * Start-up refuses a processor table where a job has no processor or an unknown name (immich's
 * "one handler per job" check): a job nobody processes would sit in Redis until a ticket times out.
 * Every worker gets the capped full-jitter backoff, the error listeners BullMQ's production guide
 * asks for, and a close that waits for active jobs (graceful shutdown, SIGTERM).
 */
import { DelayedError, UnrecoverableError, Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOB_QUEUE, type JobName, type QueueName } from '../src/jobs/catalog';
import { backoffDelayMs, type BackoffPolicy } from '../src/jobs/backoff';
import { BACKOFF_STRATEGY } from '../src/jobs/queues';
import { UpstreamError } from '../src/errors';
import type { Logger } from '../src/logger';
import { reportJobAttempt, type JobAttemptOutcome } from '../src/observability/metrics';

export type Processor = (job: Job, token: string | undefined) => Promise<unknown>;

export type ProcessorTable = Partial<Record<JobName, Processor>>;

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

export function checkProcessorTable(processors: ProcessorTable, required: readonly JobName[]): string[] {
  const problems: string[] = [];
  for (const name of required) {
    if (typeof processors[name] !== 'function') {
      problems.push(`job "${name}" has no processor; add it to the processor table`);
    }
  }
  for (const name of Object.keys(processors)) {
    if (!(name in JOB_QUEUE)) {
      problems.push(`processor for unknown job "${name}"; add it to src/jobs/catalog.ts`);
    }
  }
  return problems;
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
    const queue = JOB_QUEUE[name];
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
        if (!processor) {
          // Only reachable when a producer enqueues a name this build does not know (a newer
          // deploy); failing it keeps it visible and replayable after the rollout.
          throw new Error(`no processor for job "${job.name}" on queue ${queue}`);
        }
        const started = performance.now();
        const attemptEnded = (outcome: JobAttemptOutcome) =>
          reportJobAttempt({ queue, name: job.name, outcome, durationMs: performance.now() - started });
        try {
          const result = await processor(job, token);
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
