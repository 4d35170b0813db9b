/**
 * Ops actions on failed jobs: replay one, replay many, abandon a request.
 *
 * Replay is `job.retry()` with a fresh set of attempts. It is safe for request jobs because a run
 * resumes from the ledger (src/requests/run-request.ts): tasks recorded there are followed, and a
 * task an earlier attempt created without recording it is found in Storware and adopted, never
 * created twice. Ticket-update jobs flush the ticket's outbox, which is ordered and applies each
 * update once, so replaying them is safe too.
 *
 * Abandon is for a request whose retryable failure ops decides not to retry: the request ends
 * `failed` (code `abandoned`), the ticket is closed incomplete through the outbox — with the same
 * `close` key a finishing run uses, so a ticket is closed once, whoever gets there first — and the
 * job is removed. Closing update first, ledger second (as finishRequest in src/requests/finish.ts
 * does): a crash in between is repaired by abandoning again, which finds the update already queued.
 */
import type { components } from '../../spec/generated/connector';
import { isTerminalState, REQUEST_STATES, type LedgerEntry, type RequestState } from '../ledger';
import { itemNoun } from '../requests/wording';
import type { QueueName } from '../jobs/catalog';
import { audited, conflict, withActionLock } from './audited-action';
import type { OpsDeps } from './deps';
import { findJob, jobItem, requestIdOf, type FoundJob } from './jobs';
import type { Actor } from './actor';

type Schemas = components['schemas'];
export type JobActionResult = Schemas['JobActionResult'];
export type BulkReplayResult = Schemas['BulkReplayResult'];
export type BulkReplayItem = Schemas['BulkReplayItem'];

const OPEN_STATES: readonly RequestState[] = REQUEST_STATES.filter((s) => !isTerminalState(s));

async function linkedRequest(
  deps: Pick<OpsDeps, 'ledger'>,
  found: FoundJob,
): Promise<LedgerEntry | undefined> {
  const requestId = requestIdOf(found.job);
  return requestId ? deps.ledger.get(requestId) : undefined;
}

function isNotInStateError(error: unknown): boolean {
  return error instanceof Error && /is not in the \w+ state|Missing key for job/i.test(error.message);
}

/** Replays one failed job; throws 409 when it is not failed or its request has finished. */
async function replayFound(
  deps: OpsDeps,
  actor: Actor,
  found: FoundJob,
  reason: string,
): Promise<{ entry?: LedgerEntry; message: string }> {
  const id = String(found.job.id);
  const state = await found.job.getState();
  if (state !== 'failed') {
    throw conflict('job_not_failed', `Job ${id} is ${state}, not failed; only failed jobs can be replayed`);
  }
  const entry = await linkedRequest(deps, found);
  if (found.queue === 'requests' && entry && isTerminalState(entry.state)) {
    throw conflict(
      'request_finished',
      `Request ${entry.number} has already finished (${entry.state}); there is nothing to replay`,
    );
  }
  // The timeline line and the work note go first: once retried, the job may finish (and close the
  // ticket) before a note written afterwards could reach it.
  if (entry && !isTerminalState(entry.state)) {
    await deps.ledger.appendEvent(entry.requestId, {
      type: 'ops.replayed',
      message: `Job ${id} replayed by ${actor.name}: ${reason}`,
      data: { actor: actor.name, jobId: id },
    });
    if (found.queue === 'requests') {
      await deps.outbox.enqueue(entry.requestId, entry.ritmSysId, {
        workNote: `Replay requested by ${actor.name} (ops): ${reason}. The connector resumes where it stopped; Storware work already done is reused, not repeated.`,
      });
    }
  }
  try {
    await found.job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
  } catch (error) {
    if (isNotInStateError(error)) {
      throw conflict('job_not_failed', `Job ${id} left the failed set while being replayed`);
    }
    throw error;
  }
  return {
    entry,
    message: entry
      ? `Replayed ${id} for ${entry.number} with a fresh set of attempts`
      : `Replayed ${id} with a fresh set of attempts`,
  };
}

export async function replayJob(
  deps: OpsDeps,
  actor: Actor,
  jobId: string,
  reason: string,
): Promise<JobActionResult> {
  const { result, audit } = await audited(deps, { actor, action: 'replay', reason, target: { jobId } }, () =>
    withActionLock(deps, jobId, async () => {
      const found = await findJob(deps, jobId);
      const { entry, message } = await replayFound(deps, actor, found, reason);
      return {
        result: { queue: found.queue, entry, message },
        message,
        target: { queue: found.queue, requestId: entry?.requestId, ticket: entry?.number },
      };
    }),
  );
  return actionResult('replay', jobId, result.queue, audit.id, result.entry, result.message);
}

function actionResult(
  action: 'replay' | 'abandon',
  jobId: string,
  queue: QueueName,
  auditId: string,
  entry: LedgerEntry | undefined,
  message: string,
): JobActionResult {
  const result: JobActionResult = { action, jobId, queue, auditId, message };
  if (entry) {
    result.requestId = entry.requestId;
    result.ticket = entry.number;
  }
  return result;
}

export async function abandonJob(
  deps: OpsDeps,
  actor: Actor,
  jobId: string,
  reason: string,
): Promise<JobActionResult> {
  const { result, audit } = await audited(deps, { actor, action: 'abandon', reason, target: { jobId } }, () =>
    withActionLock(deps, jobId, async () => {
      const found = await findJob(deps, jobId);
      const entry = await abandonFound(deps, actor, found, reason);
      const message = `Abandoned ${entry.number}: request failed (abandoned), ticket closing incomplete`;
      return {
        result: { queue: found.queue, entry, message },
        message,
        target: { queue: found.queue, requestId: entry.requestId, ticket: entry.number },
      };
    }),
  );
  return actionResult('abandon', jobId, result.queue, audit.id, result.entry, result.message);
}

async function abandonFound(
  deps: OpsDeps,
  actor: Actor,
  found: FoundJob,
  reason: string,
): Promise<LedgerEntry> {
  const id = String(found.job.id);
  if (found.queue !== 'requests') {
    throw conflict(
      'not_a_request_job',
      `Job ${id} is a ${found.queue} job; only request jobs (run-…) can be abandoned. Replay it instead.`,
    );
  }
  const state = await found.job.getState();
  if (state !== 'failed') {
    throw conflict('job_not_failed', `Job ${id} is ${state}, not failed; only failed jobs can be abandoned`);
  }
  const entry = await linkedRequest(deps, found);
  if (!entry) {
    throw conflict(
      'request_missing',
      `Job ${id} has no request in the ledger (expired?); remove it from the dashboard`,
    );
  }
  if (isTerminalState(entry.state)) {
    throw conflict('request_finished', `Request ${entry.number} has already finished (${entry.state})`);
  }
  const tasks = Object.values(entry.tasks);
  const taskLine =
    tasks.length > 0
      ? ` Storware task(s) recorded: ${tasks.map((t) => `${t.type} ${t.guid} (${t.state})`).join(', ')}.`
      : ' No Storware task was created.';
  await deps.outbox.enqueue(
    entry.requestId,
    entry.ritmSysId,
    {
      state: 4,
      correlate: true,
      comment: `We could not complete your ${itemNoun(entry.item)} request because of a technical problem. The service desk will contact you about what happens next.`,
      workNote: `Abandoned by ${actor.name} (ops): ${reason}. The connector will not retry this request.${taskLine}`,
      closeNotes: `Abandoned by ops after a technical failure${entry.lastError ? ` (${entry.lastError.code}: ${entry.lastError.message})` : ''}.${taskLine}`,
    },
    { once: 'close' },
  );
  const updated = await deps.ledger.update(
    entry.requestId,
    {
      state: 'failed',
      step: 'done',
      lastError: {
        code: 'abandoned',
        message: `Abandoned by ${actor.name}: ${reason}`,
        retryable: false,
        at: deps.now(),
      },
    },
    {
      type: 'ops.abandoned',
      message: `Abandoned by ${actor.name}: ${reason}`,
      data: { actor: actor.name, jobId: id },
    },
    { onlyIfState: OPEN_STATES },
  );
  if (!updated) {
    throw conflict('request_finished', `Request ${entry.number} finished while being abandoned`);
  }
  await deps.watch.release(tasks.map((t) => t.guid));
  try {
    await found.job.remove();
  } catch (error) {
    // The request is closed either way; a job left behind finds it finished and does nothing.
    deps.logger.warn({ err: error, jobId: id }, 'abandoned job could not be removed');
  }
  return entry;
}

export interface BulkReplayInput {
  readonly reason: string;
  readonly limit: number;
  readonly dryRun: boolean;
  readonly filter: {
    readonly queue?: QueueName;
    readonly item?: string;
    readonly tenant?: string;
    readonly failedSince?: number;
  };
}

/** Failed jobs examined per bulk call at most (the failed sets keep two weeks of work). */
const BULK_SCAN_BUDGET = 10_000;
const PAGE = 100;
const SKIPPED_CAP = 500;

function bulkItem(found: FoundJob, entry: LedgerEntry | undefined, skipped?: string): BulkReplayItem {
  const item: BulkReplayItem = { jobId: String(found.job.id), queue: found.queue };
  if (entry) {
    item.requestId = entry.requestId;
    item.ticket = entry.number;
  }
  if (found.job.failedReason) {
    item.failedReason = found.job.failedReason;
  }
  if (skipped) {
    item.skipped = skipped;
  }
  return item;
}

/** The failed jobs matching the filter, newest first, at most `limit`, and the ones passed over. */
async function selectFailed(
  deps: OpsDeps,
  input: BulkReplayInput,
): Promise<{ selected: Array<{ found: FoundJob; entry?: LedgerEntry }>; skipped: BulkReplayItem[] }> {
  const queues: QueueName[] = input.filter.queue ? [input.filter.queue] : ['requests', 'ticket-updates'];
  const selected: Array<{ found: FoundJob; entry?: LedgerEntry }> = [];
  const skipped: BulkReplayItem[] = [];
  let examined = 0;
  for (const queue of queues) {
    for (let offset = 0; selected.length < input.limit && examined < BULK_SCAN_BUDGET; offset += PAGE) {
      const jobs = (await deps.queues[queue].getJobs(['failed'], offset, offset + PAGE - 1, false)).filter(
        (j) => j !== undefined && j !== null,
      );
      let older = false;
      for (const job of jobs) {
        examined += 1;
        const found: FoundJob = { job, queue };
        // The failed set is ordered by failure time, newest first: past the cutoff, nothing newer follows.
        if (input.filter.failedSince !== undefined && (job.finishedOn ?? 0) < input.filter.failedSince) {
          older = true;
          break;
        }
        // The request says the tenant, the item and whether it already finished.
        const entry = await linkedRequest(deps, found);
        if (input.filter.item !== undefined && (jobItem(job) ?? entry?.item) !== input.filter.item) {
          continue;
        }
        if (input.filter.tenant !== undefined && entry?.tenant !== input.filter.tenant) {
          continue;
        }
        if (queue === 'requests' && entry && isTerminalState(entry.state)) {
          if (skipped.length < SKIPPED_CAP) {
            skipped.push(bulkItem(found, entry, `request already finished (${entry.state})`));
          }
          continue;
        }
        selected.push({ found, entry });
        if (selected.length === input.limit) {
          break;
        }
      }
      if (older || jobs.length < PAGE) {
        break;
      }
    }
  }
  return { selected, skipped };
}

export async function replayJobs(
  deps: OpsDeps,
  actor: Actor,
  input: BulkReplayInput,
): Promise<BulkReplayResult> {
  if (input.dryRun) {
    const { selected, skipped } = await selectFailed(deps, input);
    return {
      dryRun: true,
      matched: selected.length,
      replayed: selected.map(({ found, entry }) => bulkItem(found, entry)),
      skipped,
    };
  }
  const { result, audit } = await audited(
    deps,
    { actor, action: 'bulk-replay', reason: input.reason, target: {} },
    async () => {
      const { selected, skipped } = await selectFailed(deps, input);
      const replayed: BulkReplayItem[] = [];
      for (const { found, entry } of selected) {
        try {
          await withActionLock(deps, String(found.job.id), () =>
            replayFound(deps, actor, found, input.reason),
          );
          replayed.push(bulkItem(found, entry));
        } catch (error) {
          if (skipped.length < SKIPPED_CAP) {
            skipped.push(bulkItem(found, entry, error instanceof Error ? error.message : 'replay failed'));
          }
        }
      }
      return {
        result: { matched: selected.length, replayed, skipped },
        message: `Replayed ${replayed.length} of ${selected.length} matching failed job(s)`,
        target: { jobIds: replayed.map((r) => r.jobId), count: replayed.length },
      };
    },
  );
  return { dryRun: false, ...result, auditId: audit.id };
}
