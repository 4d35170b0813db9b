/**
 * The task poller: one job per interval follows every Storware task the connector waits on.
 *
 * Cost grows with pages, not with tasks: one paged list of the tasks still queued or running
 * (`GET /tasks?states=QUEUED&states=RUNNING`), and, when watched tasks have left it, a few pages of
 * recently ended tasks (newest first); only a task found in neither is read on its own. Running tasks get their progress into
 * the ledger and, coalesced, onto the ticket; ended ones are recorded and their request job is
 * woken from its delay.
 */
import type { StorwareTask } from '../clients/storware';
import { UpstreamError } from '../errors';
import { wakeRequestJob } from '../jobs/request-job';
import type { RequestDeps } from './deps';

export interface PollReport {
  readonly watched: number;
  readonly running: number;
  readonly ended: number;
  readonly storwareCalls: number;
}

/** Page size for the active-task list; large pages keep the call count low. */
const PAGE_SIZE = 500;
/** How many pages of ended tasks one poll reads at most before falling back to single reads. */
const MAX_ENDED_PAGES = 4;
/** Ended tasks older than this are not looked for in the ended list (one GET each instead). */
const ENDED_LOOKBACK_MS = 5 * 60_000;
/** Watched tasks followed at once (Storware reads for ended tasks, Redis writes, wake-ups). */
const PARALLEL = 16;

/** Runs `fn` over `items` with at most `limit` in flight; the first error is rethrown. */
export async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  });
  await Promise.all(lanes);
}

export async function pollTasks(deps: RequestDeps): Promise<PollReport> {
  const watched = await deps.watch.watched();
  if (watched.size === 0) {
    return { watched: 0, running: 0, ended: 0, storwareCalls: 0 };
  }
  const now = deps.now();
  let calls = 0;
  const active = new Map<string, StorwareTask>();
  for (let page = 0; ; page += 1) {
    const result = await deps.storware.listTasks({ states: ['QUEUED', 'RUNNING'], page, size: PAGE_SIZE });
    calls += 1;
    for (const task of result.items) {
      active.set(task.guid, task);
    }
    if (result.items.length < PAGE_SIZE || (page + 1) * PAGE_SIZE >= result.total) {
      break;
    }
  }

  // Watched tasks no longer queued or running have ended: find them in the list of ended tasks,
  // newest first, rather than one GET each (hundreds may end in one interval).
  const endedTasks = new Map<string, StorwareTask>();
  const missing = new Set([...watched.keys()].filter((guid) => !active.has(guid)));
  for (let page = 0; missing.size > 0 && page < MAX_ENDED_PAGES; page += 1) {
    const result = await deps.storware.listTasks({
      states: ['FINISHED', 'FAILED', 'CANCELLED'],
      orderBy: 'finishTime',
      direction: 'desc',
      page,
      size: PAGE_SIZE,
    });
    calls += 1;
    for (const task of result.items) {
      if (missing.delete(task.guid)) {
        endedTasks.set(task.guid, task);
      }
    }
    const finishes = result.items.map((t) => t.finishTime ?? Number.NaN);
    const ordered = finishes.every((f, i) => !Number.isNaN(f) && (i === 0 || finishes[i - 1]! >= f));
    const reachedOld = finishes.length > 0 && finishes[finishes.length - 1]! < now - ENDED_LOOKBACK_MS;
    if (
      result.items.length < PAGE_SIZE ||
      (page + 1) * PAGE_SIZE >= result.total ||
      (ordered && reachedOld)
    ) {
      break;
    }
  }

  let running = 0;
  let ended = 0;
  // Tasks are independent: follow them in parallel (bounded), so a poll in which many tasks end
  // together still fits in its interval and wakes their jobs promptly.
  await forEachLimit([...watched], PARALLEL, async ([guid, owner]) => {
    let task = active.get(guid);
    if (task) {
      running += 1;
      await deps.ledger.updateTask(owner.requestId, owner.step, {
        state: task.state,
        progress: task.progress,
        updatedAt: now,
      });
      if (task.state === 'RUNNING') {
        await deps.outbox.progress(owner.requestId, owner.ritmSysId, {
          step: task.type.toLowerCase().replaceAll('_', ' '),
          percent: task.progress,
          text: '',
        });
      }
      return;
    }
    try {
      task = endedTasks.get(guid);
      if (!task) {
        // Not in the recent ended pages (the poller was down a while, or the server does not
        // order by finish time): read it directly.
        calls += 1;
        task = await deps.storware.getTask(guid);
      }
    } catch (error) {
      if (error instanceof UpstreamError && error.status === 404) {
        await deps.ledger.updateTask(owner.requestId, owner.step, {
          state: 'FAILED',
          endedAt: now,
          updatedAt: now,
          message: 'The task no longer exists in Storware',
        });
        await deps.watch.unwatch(guid);
        ended += 1;
        await wake(deps, owner.requestId);
        return;
      }
      throw error;
    }
    if (task.state === 'QUEUED' || task.state === 'RUNNING') {
      // Started or queued after the list was read; next interval.
      running += 1;
      return;
    }
    ended += 1;
    await deps.ledger.updateTask(owner.requestId, owner.step, {
      state: task.state,
      progress: task.progress,
      updatedAt: now,
      endedAt: task.finishTime ?? now,
      ...(task.statusInfo ? { message: task.statusInfo } : {}),
    });
    await deps.watch.unwatch(guid);
    await wake(deps, owner.requestId);
  });
  return { watched: watched.size, running, ended, storwareCalls: calls };
}

/** Moves a sleeping request job to the front; a job that is not delayed will see the news anyway. */
export async function wake(deps: RequestDeps, requestId: string): Promise<boolean> {
  try {
    return (await wakeRequestJob(deps.queues, requestId)) === 'woken';
  } catch {
    // The next poll or the job's own recheck picks the news up; one lost wake costs a delay only.
    return false;
  }
}
