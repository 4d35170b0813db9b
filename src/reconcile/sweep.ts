/**
 * The reconciler: repairs what lost webhooks, lost jobs and lost ticket updates leave behind.
 * Redis acknowledges writes it can still lose (AOF everysec, failover: docs/reliability.md §2.2),
 * and ServiceNow's business rules can fail to send; so a 2xx is "probably durable" and this sweep
 * makes it certain. Every repair is idempotent (deterministic job ids, once-only ticket updates),
 * so several instances may sweep at once; a short lock keeps them from doing the same work twice.
 *
 *   (a) open RITMs of the three items, updated within the lookback, without a ledger entry
 *       → create the entry and enqueue the request (a webhook that never arrived);
 *   (b) ledger entries not finished whose run job is gone → enqueue it again (the job resumes
 *       from the ledger, adopting any Storware task already created); a job that completed while
 *       the entry stayed open is re-run;
 *   (c) finished requests whose ticket was never closed (the closing update was lost) → queue the
 *       closing update again; and tickets with pending updates but no flush job → flush them.
 */
import type { Redis } from 'ioredis';
import { CATALOG_ITEM_KEYS } from '../items/definitions';
import { catalogItemKeyForSysId, catalogItemSysId } from '../catalog/sys-ids';
import { CLOSED_RITM_STATES } from '../clients/servicenow';
import { requestJobId } from '../jobs/catalog';
import { enqueueRequestJob } from '../jobs/request-job';
import { isTerminalState, TERMINAL_STATES, type LedgerEntry } from '../ledger';
import { reportReconcilerRepair } from '../observability/events';
import { tryLock } from '../redis/lock';
import type { RequestDeps } from '../requests/deps';
import { TECHNICAL_DELAY } from '../requests/wording';

export interface SweepReport {
  readonly skipped?: 'locked';
  readonly missedWebhooks: number;
  readonly requeuedJobs: number;
  readonly closedTickets: number;
  readonly flushedTickets: number;
}

export interface SweepOptions {
  /** Repairs of (c) wait this long after the request finished, so the normal flush goes first. */
  readonly graceMs?: number;
}

const PAGE = 200;

export async function reconcile(
  deps: RequestDeps,
  redis: Redis,
  options: SweepOptions = {},
): Promise<SweepReport> {
  const prefix = deps.config.redis.prefix;
  const tuning = deps.config.connector.tuning;
  const lockMs = Math.max(30_000, tuning.reconcileIntervalSeconds * 1000);
  const lock = await tryLock(redis, `${prefix}:reconcile:lock`, lockMs);
  if (!lock) {
    return { skipped: 'locked', missedWebhooks: 0, requeuedJobs: 0, closedTickets: 0, flushedTickets: 0 };
  }
  const log = deps.logger.child({ component: 'reconciler' });
  const now = deps.now();
  const graceMs = options.graceMs ?? 2 * 60_000;
  let missedWebhooks = 0;
  let requeuedJobs = 0;
  let closedTickets = 0;
  let flushedTickets = 0;
  try {
    // (a) RITMs without a ledger entry.
    const since = now - tuning.reconcileLookbackDays * 86_400_000;
    for (let offset = 0; ; offset += PAGE) {
      const page = await deps.servicenow.listRequestItems({
        updatedSince: since,
        catItems: CATALOG_ITEM_KEYS.map(catalogItemSysId),
        active: true,
        limit: PAGE,
        offset,
      });
      for (const ritm of page.items) {
        const item = catalogItemKeyForSysId(ritm.catItem);
        if (!item || CLOSED_RITM_STATES.includes(ritm.state) || (await deps.ledger.getByRitm(ritm.sysId))) {
          continue;
        }
        const { entry, created } = await deps.ledger.createOrGet({
          ritmSysId: ritm.sysId,
          number: ritm.number,
          item,
          receivedEvent: {
            type: 'request.reconciled',
            message: 'Found by the reconciler: no webhook had arrived for this ticket',
          },
        });
        await enqueueRequestJob(deps.queues, entry);
        await deps.ledger.update(entry.requestId, { state: 'queued' }, undefined, {
          onlyIfState: ['received'],
        });
        if (created) {
          missedWebhooks += 1;
          log.warn({ ticket: ritm.number, requestId: entry.requestId }, 'repaired a missed webhook');
        }
      }
      if (page.items.length < PAGE) {
        break;
      }
    }

    // (b) Open requests whose job is gone.
    for (const requestId of await deps.ledger.openRequestIds(5_000)) {
      const entry = await deps.ledger.get(requestId);
      if (!entry || isTerminalState(entry.state)) {
        continue;
      }
      const job = await deps.queues.requests.getJob(requestJobId(requestId));
      const state = job ? await job.getState() : 'missing';
      if (state === 'missing' || state === 'unknown') {
        await enqueueRequestJob(deps.queues, entry);
      } else if (state === 'completed' && job) {
        await job.retry('completed');
      } else {
        if (state === 'failed' && job && !entry.timeline.some((e) => FAILURE_TOLD.has(e.type))) {
          // Failed outside the request's own code (BullMQ's stall limit after repeated worker
          // crashes, a processor that threw before it could record anything): nobody was told.
          await tellJobFailed(deps, entry, job.failedReason);
          log.error(
            { requestId, ticket: entry.number, reason: job.failedReason },
            'request job failed unseen; ticket told',
          );
        }
        continue; // waiting, delayed, active, or failed (failed work is for ops to replay or abandon)
      }
      requeuedJobs += 1;
      await deps.ledger.appendEvent(requestId, {
        type: 'request.requeued',
        message: `The reconciler re-queued the request (its job was ${state})`,
      });
      log.warn({ requestId, ticket: entry.number, jobState: state }, 'repaired a lost request job');
    }

    // (c) Tickets never closed, and pending updates without a flush job.
    for (const state of TERMINAL_STATES) {
      let cursor: string | undefined;
      do {
        const page = await deps.ledger.list({ state, since, limit: 200, cursor });
        for (const summary of page.items) {
          if (
            summary.ticketState === '3' ||
            summary.ticketState === '4' ||
            now - summary.updatedAt < graceMs
          ) {
            continue;
          }
          if ((await deps.outbox.pendingCount(summary.requestId)) > 0) {
            continue; // Still on its way; the flush repair below covers a lost job.
          }
          const entry = await deps.ledger.get(summary.requestId);
          if (!entry || !(await closingLost(deps, entry))) {
            continue;
          }
          const terminal = entry.timeline.filter((e) => e.type === `request.${entry.state}`).at(-1);
          await deps.outbox.enqueue(
            entry.requestId,
            entry.ritmSysId,
            {
              state: entry.state === 'succeeded' ? 3 : 4,
              correlate: true,
              workNote: `${terminal?.message ?? `Request ${entry.state}.`} (repaired by the reconciler: the closing update had been lost)`,
              comment:
                entry.state === 'succeeded'
                  ? 'Your request is complete.'
                  : (entry.lastError?.message ?? 'Your request could not be completed.'),
            },
            { once: 'close-repair' },
          );
          closedTickets += 1;
          log.warn({ requestId: entry.requestId, ticket: entry.number }, 'repaired a lost closing update');
        }
        cursor = page.nextCursor;
      } while (cursor);
    }
    const pendingTickets = await deps.outbox.ticketsWithPending();
    const flushing = pendingTickets.length > 0 ? await ticketsWithFlushJob(deps) : new Set<string>();
    for (const requestId of pendingTickets) {
      const entry = await deps.ledger.get(requestId);
      if (!entry) {
        continue;
      }
      if (!flushing.has(requestId)) {
        await deps.outbox.scheduleFlush(requestId, entry.ritmSysId);
        flushedTickets += 1;
      }
    }
  } finally {
    // Compare-and-delete in one step: a sweep that outlived its lock must not free the lock of the
    // sweep that took it over (a GET, then a DEL, could do exactly that in between).
    await lock.release();
  }
  const report = { missedWebhooks, requeuedJobs, closedTickets, flushedTickets };
  reportReconcilerRepair('missed_webhook', missedWebhooks);
  reportReconcilerRepair('requeued_job', requeuedJobs);
  reportReconcilerRepair('closed_ticket', closedTickets);
  reportReconcilerRepair('flushed_ticket', flushedTickets);
  if (missedWebhooks + requeuedJobs + closedTickets + flushedTickets > 0) {
    log.info(report, 'reconciler repaired');
  }
  return report;
}

/** Timeline events that mean the ticket and the ledger already say the job failed for good. */
const FAILURE_TOLD: ReadonlySet<string> = new Set(['request.attempts_exhausted', 'request.job_failed']);

/** What runRequest writes when attempts run out, for a job that failed without getting there. */
async function tellJobFailed(
  deps: RequestDeps,
  entry: LedgerEntry,
  reason: string | undefined,
): Promise<void> {
  const message = `The request's job failed (${reason ?? 'no reason recorded'}).`;
  await deps.ledger.update(
    entry.requestId,
    { lastError: { code: 'job_failed', message, retryable: true, at: deps.now() } },
    { type: 'request.job_failed', message: `${message} It is in the failed set for ops.` },
  );
  await deps.outbox.enqueue(
    entry.requestId,
    entry.ritmSysId,
    {
      workNote: `${message} The job is in the failed set: replay it or abandon it with a reason.`,
      comment: TECHNICAL_DELAY,
    },
    { once: 'job-failed' },
  );
}

/** True when the ticket is still open in ServiceNow although the request finished. */
async function closingLost(deps: RequestDeps, entry: LedgerEntry): Promise<boolean> {
  const ritm = await deps.servicenow.getRequestItem(entry.ritmSysId);
  return ritm !== undefined && !CLOSED_RITM_STATES.includes(ritm.state);
}

/** Request ids that have a not-yet-finished flush job (job ids are `tu-<requestId>-…`). */
async function ticketsWithFlushJob(deps: RequestDeps): Promise<Set<string>> {
  const jobs = await deps.queues['ticket-updates'].getJobs(
    ['waiting', 'delayed', 'active', 'prioritized', 'waiting-children'],
    0,
    10_000,
  );
  const ids = new Set<string>();
  for (const job of jobs) {
    const match = /^tu-(r-[0-9a-f]{32})-/.exec(job?.id ?? '');
    if (match?.[1]) {
      ids.add(match[1]);
    }
  }
  return ids;
}
