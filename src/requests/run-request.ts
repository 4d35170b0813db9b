/**
 * The life of a request job, shared by the three catalog items.
 *
 * A run is idempotent and resumable: everything it decides is in the ledger (tasks per step,
 * approval packet, window), so running it again — after a crash, a lost lock, a wake-up or an
 * ops replay — continues from where the last run got to and never creates a second Storware task.
 * Each run (steps 1–5 in guards.ts, step 6 in finish.ts):
 *   1. re-reads the ticket, its variables and the requester from ServiceNow (never the webhook);
 *   2. stops if the ticket was closed or cancelled, cancelling a running Storware task;
 *   3. resolves the tenant from the requester's company (config), refusing unmapped ones;
 *   4. until work has started: approval (when the tenant's rules or the item require it), the
 *      time window and the tenant's start throttle; each may put the job to sleep as a delayed job;
 *   5. hands over to the item's flow (src/items/<item>/flow.ts), which runs or adopts Storware
 *      tasks and waits for them through the poller, again as a delayed job;
 *   6. finishes: the closing ticket update is queued first (once), then the ledger turns terminal.
 * Permanent problems close the ticket incomplete with the reason; retryable ones are retried with
 * backoff and, when attempts run out, leave the ticket open with a note and the job in the failed
 * set for ops.
 */
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { CatalogItemKey } from '../items/definitions';
import { isRetryable } from '../errors';
import { requestJobSchema } from '../jobs/catalog';
import { isTerminalState, type LedgerEntry } from '../ledger';
import type { RequestDeps } from './deps';
import { finishRequest, permanentFailure, recordRetryableFailure } from './finish';
import { RunSupersededError, type ItemFlow, type TicketSink } from './flow';
import { runSteps } from './guards';
import type { TicketUpdateContent } from '../ticket-updates/outbox';

export async function runRequest<K extends CatalogItemKey>(
  flow: ItemFlow<K>,
  job: Job,
  token: string | undefined,
  deps: RequestDeps,
): Promise<{ outcome: string }> {
  const parsed = requestJobSchema.safeParse(job.data);
  if (!parsed.success || parsed.data.item !== flow.item) {
    // A payload this build cannot read will never get better: fail it visibly for ops.
    throw new UnrecoverableError(
      `job data is not a ${flow.item} request: ${parsed.success ? 'wrong item' : parsed.error.message}`,
    );
  }
  const data = parsed.data;
  const log = deps.logger.child({
    requestId: data.requestId,
    ticket: data.number,
    jobId: job.id,
    item: data.item,
  });
  let entry = await deps.ledger.get(data.requestId);
  if (!entry) {
    // Retryable on purpose: the entry is missing when Redis lost recent writes (a failover, AOF
    // everysec). The reconciler rebuilds it from ServiceNow under the same request id
    // (requestIdForRitm), and a later attempt of this job resumes from it.
    throw new LedgerEntryLostError(data.requestId);
  }
  if (isTerminalState(entry.state)) {
    log.info({ state: entry.state }, 'request already finished; nothing to do');
    return { outcome: entry.state };
  }
  await deps.ledger.addJobId(entry.requestId, String(job.id));

  const ticket: TicketSink = async (content: TicketUpdateContent, once?: string) => {
    await deps.outbox.enqueue(data.requestId, data.ritmSysId, content, once ? { once } : undefined);
  };

  try {
    // BullMQ keeps a job's lock at <queue prefix>:<queue>:<job id>:lock, holding the worker's token.
    const owner =
      token === undefined ? undefined : { jobLockKey: `${job.queueQualifiedName}:${job.id}:lock`, token };
    const result = await runSteps(flow, job, deps, entry, log, ticket, owner);
    if (result.kind === 'wait') {
      await deps.ledger.update(entry.requestId, { state: result.state, lastError: null }, result.event);
      log.debug({ until: new Date(result.until).toISOString(), state: result.state }, 'request waits');
      await job.moveToDelayed(Math.max(result.until, deps.now() + 250), token);
      throw new DelayedError();
    }
    entry = await requireEntry(deps, entry.requestId);
    await finishRequest(deps, entry, result.terminal, ticket);
    log.info({ outcome: result.terminal.kind, code: result.terminal.code }, 'request finished');
    return { outcome: result.terminal.kind };
  } catch (error) {
    if (error instanceof DelayedError || error instanceof UnrecoverableError) {
      throw error;
    }
    if (lostLock(error)) {
      // This run lost its lock (frozen, or its Redis link too slow to renew it) and another worker
      // has the job now: record nothing, the other runner owns the request's story.
      log.warn({ err: error }, 'job lock lost to another worker; this run stops');
      throw error;
    }
    if (!isRetryable(error)) {
      // A step that failed because the ledger entry vanished under it (lost Redis writes) says
      // nothing about the request: never close the ticket for it.
      await requireEntry(deps, entry.requestId);
      const terminal = permanentFailure(error, flow.item);
      await finishRequest(deps, entry, terminal, ticket);
      log.warn({ err: error, code: terminal.code }, 'request failed permanently');
      return { outcome: 'failed' };
    }
    await recordRetryableFailure(deps, job, entry, error, ticket, log);
    throw error;
  }
}

/** BullMQ's answer to a job command from a worker whose lock was taken over or has expired. */
function lostLock(error: unknown): boolean {
  if (error instanceof RunSupersededError) {
    return true;
  }
  const message = error instanceof Error ? error.message : '';
  return /^(Missing lock|Lock mismatch) for job /.test(message);
}

/** The ledger entry vanished (Redis lost writes); retryable, see `runRequest`. */
export class LedgerEntryLostError extends Error {
  constructor(requestId: string) {
    super(
      `ledger entry ${requestId} not found (lost with Redis writes?); retrying until the reconciler rebuilds it from ServiceNow`,
    );
    this.name = 'LedgerEntryLostError';
  }
}

/** The current entry, or LedgerEntryLostError: nothing may close a ticket for a vanished entry. */
export async function requireEntry(deps: RequestDeps, requestId: string): Promise<LedgerEntry> {
  const entry = await deps.ledger.get(requestId);
  if (!entry) {
    throw new LedgerEntryLostError(requestId);
  }
  return entry;
}
