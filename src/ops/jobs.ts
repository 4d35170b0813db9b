/**
 * Reading the queues for ops and agents: jobs by state, one job with every attempt's error, and
 * the request it belongs to. BullMQ jobs are turned into the contract's JobSummary / JobDetail
 * field by field; job data is never passed through (it is internal, and outlives deploys).
 */
import type { Job, JobType } from 'bullmq';
import type { components } from '../../spec/generated/connector';
import { NotFoundError, ValidationError } from '../errors';
import { QUEUE_NAMES, type QueueName } from '../jobs/catalog';
import type { LedgerEntry } from '../ledger';
import type { OpsDeps } from './deps';
import { explainProblem, stateLabel } from './request-view';

type Schemas = components['schemas'];
export type JobSummaryView = Schemas['JobSummary'];
export type JobDetailView = Schemas['JobDetail'];
export type JobStateName = Schemas['JobState'];

export const JOB_STATES: readonly JobStateName[] = ['waiting', 'active', 'delayed', 'completed', 'failed'];
export const QUEUE_ORDER: readonly QueueName[] = Object.values(QUEUE_NAMES);

const JOB_ID = /^[A-Za-z0-9:._-]{1,200}$/;
const REQUEST_ID = /^r-[0-9a-f]{32}$/;

export function isQueueName(value: string): value is QueueName {
  return (QUEUE_ORDER as readonly string[]).includes(value);
}

/** The queue a job id belongs to when its shape says so (`run-…`, `tu-…`). */
export function queueOfJobId(id: string): QueueName | undefined {
  if (id.startsWith('run-')) {
    return 'requests';
  }
  if (id.startsWith('tu-')) {
    return 'ticket-updates';
  }
  return undefined;
}

export interface FoundJob {
  readonly job: Job;
  readonly queue: QueueName;
}

/** Finds a job in the given queue, or in the queue its id names, or in any queue. */
export async function findJob(
  deps: Pick<OpsDeps, 'queues'>,
  id: string,
  queue?: QueueName,
): Promise<FoundJob> {
  if (!JOB_ID.test(id)) {
    throw new ValidationError(
      'Invalid job id',
      [{ path: 'id', message: 'letters, digits and : . _ - only (1-200)' }],
      'invalid_query',
      400,
    );
  }
  const candidates = queue ? [queue] : [queueOfJobId(id) ?? QUEUE_ORDER].flat();
  for (const name of candidates) {
    const job = (await deps.queues[name].getJob(id)) as Job | undefined;
    if (job) {
      return { job, queue: name };
    }
  }
  throw new NotFoundError(
    queue
      ? `No job ${id} in queue ${queue}`
      : `No job ${id} in any queue (finished jobs are kept for a day, failed ones for two weeks)`,
    'job_not_found',
  );
}

/** The request a job works for, from its data (request and ticket-update jobs carry it). */
export function requestIdOf(job: Job): string | undefined {
  const value = (job.data as { requestId?: unknown } | undefined)?.requestId;
  return typeof value === 'string' && REQUEST_ID.test(value) ? value : undefined;
}

function ticketOf(job: Job): string | undefined {
  const value = (job.data as { number?: unknown } | undefined)?.number;
  return typeof value === 'string' ? value : undefined;
}

/** The catalog item a request job is for (ticket-update jobs do not say). */
export function jobItem(job: Job): string | undefined {
  const value = (job.data as { item?: unknown } | undefined)?.item;
  return typeof value === 'string' ? value : undefined;
}

function positive(value: number | undefined): number | undefined {
  return typeof value === 'number' && value > 0 ? value : undefined;
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function jobSummaryView(job: Job, queue: QueueName, state: string, ticket?: string): JobSummaryView {
  return compact({
    id: String(job.id),
    queue,
    name: job.name,
    state,
    requestId: requestIdOf(job),
    ticket: ticketOf(job) ?? ticket,
    attemptsMade: job.attemptsMade,
    maxAttempts: Math.max(1, job.opts.attempts ?? 1),
    failedReason: job.failedReason || undefined,
    createdAt: job.timestamp,
    processedAt: positive(job.processedOn),
    finishedAt: positive(job.finishedOn),
    runsAt: state === 'delayed' ? job.timestamp + (job.delay ?? 0) : undefined,
  });
}

/** `UpstreamError: Storware …\n    at …` → the first line without the class name; and the whole stack. */
function attemptOf(stack: string, index: number): Schemas['JobAttempt'] {
  const first = stack.split('\n', 1)[0] ?? '';
  return compact({
    attempt: index + 1,
    error: first.replace(/^[A-Za-z]*Error: /, '') || 'no message',
    stack: stack.includes('\n') ? stack : undefined,
  });
}

/** Timeline lines about attempts and ops actions: the times BullMQ does not keep per attempt. */
function isAttemptHistory(type: string): boolean {
  return type === 'request.retry' || type === 'request.attempts_exhausted' || type.startsWith('ops.');
}

export async function jobDetailView(deps: Pick<OpsDeps, 'ledger'>, found: FoundJob): Promise<JobDetailView> {
  const { job, queue } = found;
  const state = await job.getState();
  const requestId = requestIdOf(job);
  const entry: LedgerEntry | undefined = requestId ? await deps.ledger.get(requestId) : undefined;
  const summary = jobSummaryView(job, queue, state, entry?.number);
  return compact({
    ...summary,
    attempts: (job.stacktrace ?? []).map(attemptOf),
    request: entry
      ? compact({
          requestId: entry.requestId,
          ticket: entry.number,
          item: entry.item,
          tenant: entry.tenant,
          state: entry.state,
          stateLabel: stateLabel(entry.state),
          lastError: entry.lastError
            ? {
                code: entry.lastError.code,
                message: entry.lastError.message,
                explanation: explainProblem(entry.lastError, entry.state),
                retryable: entry.lastError.retryable,
                at: entry.lastError.at,
              }
            : undefined,
        })
      : undefined,
    history: (entry?.timeline ?? [])
      .filter((e) => isAttemptHistory(e.type))
      .map((e) => ({ at: e.at, type: e.type, message: e.message })),
  });
}

export interface JobListQuery {
  readonly state: JobStateName;
  readonly queue?: QueueName;
  readonly limit: number;
  readonly cursor?: string;
}

interface JobCursor {
  /** Index in QUEUE_ORDER. */
  readonly q: number;
  /** Offset within that queue's state set. */
  readonly o: number;
}

function encodeCursor(cursor: JobCursor): string {
  return Buffer.from(`${cursor.q}.${cursor.o}`, 'utf8').toString('base64url');
}

function decodeCursor(raw: string): JobCursor {
  const match = /^(\d{1,2})\.(\d{1,9})$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!match || Number(match[1]) >= QUEUE_ORDER.length) {
    throw new ValidationError(
      'Invalid cursor',
      [{ path: 'cursor', message: 'is not a cursor this API returned' }],
      'invalid_query',
      400,
    );
  }
  return { q: Number(match[1]), o: Number(match[2]) };
}

const BULLMQ_TYPE: Record<JobStateName, JobType> = {
  waiting: 'waiting',
  active: 'active',
  delayed: 'delayed',
  completed: 'completed',
  failed: 'failed',
};

/**
 * One page of jobs in a state, newest first, queue after queue (requests, ticket-updates,
 * maintenance) unless one queue is asked for. The cursor is the queue and the offset reached.
 */
export async function listJobs(
  deps: Pick<OpsDeps, 'queues' | 'ledger'>,
  query: JobListQuery,
): Promise<{ items: JobSummaryView[]; nextCursor?: string }> {
  const order = query.queue ? [QUEUE_ORDER.indexOf(query.queue)] : QUEUE_ORDER.map((_, i) => i);
  let cursor: JobCursor = query.cursor ? decodeCursor(query.cursor) : { q: order[0]!, o: 0 };
  if (!order.includes(cursor.q)) {
    throw new ValidationError(
      'Invalid cursor',
      [{ path: 'cursor', message: 'belongs to another queue filter' }],
      'invalid_query',
      400,
    );
  }
  const found: FoundJob[] = [];
  for (;;) {
    const name = QUEUE_ORDER[cursor.q]!;
    const want = query.limit - found.length;
    // One more than needed tells whether this queue has more after the page.
    const jobs = (
      (await deps.queues[name].getJobs(
        [BULLMQ_TYPE[query.state]],
        cursor.o,
        cursor.o + want,
        false,
      )) as Array<Job | undefined>
    ).filter((j): j is Job => j !== undefined && j !== null);
    found.push(...jobs.slice(0, want).map((job) => ({ job, queue: name })));
    const next = order[order.indexOf(cursor.q) + 1];
    if (jobs.length > want) {
      cursor = { q: cursor.q, o: cursor.o + want };
      break;
    }
    if (next === undefined) {
      return { items: await withTickets(deps, found, query.state) };
    }
    cursor = { q: next, o: 0 };
    if (found.length === query.limit) {
      break;
    }
  }
  return { items: await withTickets(deps, found, query.state), nextCursor: encodeCursor(cursor) };
}

/** Ticket-update jobs carry only the request id; the ticket number comes from the ledger. */
async function withTickets(
  deps: Pick<OpsDeps, 'ledger'>,
  found: readonly FoundJob[],
  state: string,
): Promise<JobSummaryView[]> {
  const missing = [...new Set(found.filter((f) => !ticketOf(f.job)).map((f) => requestIdOf(f.job)))].filter(
    (id): id is string => id !== undefined,
  );
  const numbers = new Map<string, string>();
  await Promise.all(
    missing.map(async (id) => {
      const entry = await deps.ledger.get(id);
      if (entry) {
        numbers.set(id, entry.number);
      }
    }),
  );
  return found.map(({ job, queue }) => {
    const requestId = requestIdOf(job);
    return jobSummaryView(job, queue, state, requestId ? numbers.get(requestId) : undefined);
  });
}
