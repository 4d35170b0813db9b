/**
 * Adding and waking a request's run job: the one way every producer does it (intake, the
 * reconciler, ops cancel, the task poller).
 *
 * The run job has a deterministic id (`run-<requestId>`), so an add while it exists is a no-op and
 * "make sure it runs" is safe to repeat. Waking is for a request whose situation changed (an
 * approval, a cancel, a finished Storware task): a sleeping (delayed) job is promoted to run now; a
 * waiting or running one will see the change by itself.
 */
import type { Job } from 'bullmq';
import type { LedgerEntry } from '../ledger';
import { requestJobId, requestJobName, type RequestJobData } from './catalog';
import type { Queues } from './queues';

type RequestRef = Pick<LedgerEntry, 'requestId' | 'ritmSysId' | 'number' | 'item'>;

/** Wraps each Redis call of an add or wake, e.g. with the intake's deadline. */
export type Guard = <T>(operation: string, call: Promise<T>) => Promise<T>;
const unguarded: Guard = (_operation, call) => call;

export function requestJobData(entry: RequestRef): RequestJobData {
  return { requestId: entry.requestId, ritmSysId: entry.ritmSysId, number: entry.number, item: entry.item };
}

/** Adds the run job of a request (a no-op when it exists); returns its id. */
export async function enqueueRequestJob(
  queues: Pick<Queues, 'requests'>,
  entry: RequestRef,
  guard: Guard = unguarded,
): Promise<string> {
  const jobId = requestJobId(entry.requestId);
  await guard('queue add', queues.requests.add(requestJobName(entry.item), requestJobData(entry), { jobId }));
  return jobId;
}

export type WakeOutcome = 'woken' | 'retried' | 'already_scheduled' | 'missing';

export interface WakeOptions {
  /** Also re-run a job that failed or completed (ops cancel); otherwise it is left alone. */
  readonly retryFinished?: boolean;
  readonly guard?: Guard;
}

/**
 * Makes the run job look at the request again. `missing` means there is no job (lost, or never
 * added): the caller decides whether to add one.
 */
export async function wakeRequestJob(
  queues: Pick<Queues, 'requests'>,
  requestId: string,
  options: WakeOptions = {},
): Promise<WakeOutcome> {
  const guard = options.guard ?? unguarded;
  const job = (await guard('queue getJob', queues.requests.getJob(requestJobId(requestId)))) as
    Job | undefined;
  if (!job) {
    return 'missing';
  }
  const state = await guard('job getState', job.getState());
  try {
    if (state === 'delayed') {
      await guard('job promote', job.promote());
      return 'woken';
    }
    if (options.retryFinished && (state === 'failed' || state === 'completed')) {
      await guard('job retry', job.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true }));
      return 'retried';
    }
  } catch (error) {
    if (movedOn(error)) {
      return 'already_scheduled';
    }
    throw error;
  }
  return 'already_scheduled';
}

/**
 * BullMQ's answer when the job left the state we read before our command reached it ("Job … is
 * not in the delayed state", "… is not in the failed state", "Missing key for job …"): it is
 * running or done, and will see the change by itself.
 */
function movedOn(error: unknown): boolean {
  return error instanceof Error && /not in the [a-z-]+ state|missing key for job/i.test(error.message);
}
