/**
 * The job catalog: every job name with its queue, payload schema and options, in one table that
 * the compiler checks. Job names of the request jobs come from the catalog items
 * (src/items/definitions.ts), one per item; the worker's processor table is typed from `JOBS`, so a
 * job without a processor does not compile.
 *
 * Queues are split by rate class, not one per job (docs/conventions.md §2): `requests` drives
 * Storware work and is sized by Storware's capacity; `ticket-updates` is the outbox towards
 * ServiceNow and is rate limited by the instance's Table API budget; `maintenance` holds the
 * periodic poller and reconciler. Payloads carry ids only: job data is clear text in Redis and
 * outlives deploys, so it never holds a secret, and every processor parses it with the schema here.
 */
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import {
  CATALOG_ITEM_KEYS,
  ITEM_DEFINITIONS,
  type CatalogItemKey,
  type RequestJobName,
} from '../items/definitions';
import { REQUEST_ID_PATTERN } from '../ledger/codec';

export const QUEUE_NAMES = {
  requests: 'requests',
  ticketUpdates: 'ticket-updates',
  maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

const SYS_ID = /^[0-9a-f]{32}$/;

/** The run job of a request: which request, which ticket, which item. */
export const requestJobSchema = z
  .object({
    requestId: z.string().regex(REQUEST_ID_PATTERN),
    ritmSysId: z.string().regex(SYS_ID),
    number: z.string().min(1).max(40),
    item: z.enum(CATALOG_ITEM_KEYS),
  })
  .strict();
export type RequestJobData = z.infer<typeof requestJobSchema>;

/** A flush of one ticket's pending updates (src/ticket-updates). */
export const ticketUpdateJobSchema = z
  .object({ requestId: z.string().min(1), ritmSysId: z.string().regex(SYS_ID) })
  .strict();
export type TicketUpdateJobData = z.infer<typeof ticketUpdateJobSchema>;

/** Scheduled jobs carry nothing: each run looks at the whole state. */
export const scheduledJobSchema = z.object({}).strict();

export interface JobSpec<S extends z.ZodType = z.ZodType> {
  readonly queue: QueueName;
  readonly schema: S;
  /** Options every add of this job uses, on top of the queue's defaults (src/jobs/queues.ts). */
  readonly options?: Readonly<Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail' | 'attempts'>>;
}

const requestJobs = Object.fromEntries(
  CATALOG_ITEM_KEYS.map((key) => [
    ITEM_DEFINITIONS[key].job,
    { queue: 'requests', schema: requestJobSchema },
  ]),
) as Record<RequestJobName, JobSpec<typeof requestJobSchema>>;

/** Periodic jobs keep only a short history: they run every few seconds. */
const SCHEDULED_HISTORY = { removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } } as const;

export const JOBS = {
  ...requestJobs,
  'ticket.update': { queue: 'ticket-updates', schema: ticketUpdateJobSchema },
  'tasks.poll': { queue: 'maintenance', schema: scheduledJobSchema, options: SCHEDULED_HISTORY },
  'reconcile.sweep': { queue: 'maintenance', schema: scheduledJobSchema, options: SCHEDULED_HISTORY },
} as const satisfies Record<string, JobSpec>;

export type JobName = keyof typeof JOBS;
export type JobData<N extends JobName> = z.infer<(typeof JOBS)[N]['schema']>;

export function jobQueue(name: JobName): QueueName {
  return JOBS[name].queue;
}

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name);
}

/** The run job of a request has a deterministic id: a second add while it exists is a no-op. */
export function requestJobId(requestId: string): string {
  return `run-${requestId}`;
}

export function requestJobName(item: CatalogItemKey): RequestJobName {
  return ITEM_DEFINITIONS[item].job;
}
