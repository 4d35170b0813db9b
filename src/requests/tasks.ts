/**
 * At most one Storware task per request step, and waiting for it without holding a worker slot.
 *
 * `ensureTask` records the task guid in the ledger the moment it is known, and before creating a
 * task it looks for one this request already created: first in the ledger, then in Storware's task
 * list for the instance. A task counts as this request's when
 *   - it is of the step's type, on the instance, not claimed by another request, and
 *   - it carries this request's mark: the connector sends a `windowStart` whose millisecond part
 *     is the request's tag on that instance (1–999, unique among the instance's requests of the
 *     last day, allocated in Redis; lua/allocate-tag.lua), so a retry recognises its own export
 *     among others of the same instance. Servers that round windowStart to seconds lose the tag;
 *     then a window start after acceptance is what identifies it (claims keep other requests away).
 *   Callers can pass their own `matches` (a restore is identified by its backup point); such a
 *   task is adopted only by a request that asked Storware for one before (its create intent),
 *   since another request may restore the same backup point.
 * A create whose answer was lost (timeout, reset) may still be executing on the server, so before
 * a create the connector writes an intent; a retry that finds a recent intent and no task waits
 * out a grace period and looks again before it creates anything.
 * Search, create, claim and record run under a short lock per instance and task type, so no search
 * ever sees a task in the moment between its creation and its creator's claim.
 *
 * `awaitTask` turns "the task is still running" into a sleep: the job is delayed, the poller
 * follows the task and wakes the job when it ends; if the poller is behind, the job reads the task
 * itself after a while.
 */
import type { StorwareTask, TaskBatch } from '../clients/storware';
import { isTerminalTaskState, type KnownTaskState } from '../clients/storware';
import { AppError, UpstreamError } from '../errors';
import type { LedgerEntry, LedgerTask } from '../ledger';
import { ledgerKeys } from '../ledger/codec';
import { withLock, type Lock } from '../redis/lock';
import { loadScript } from '../redis/lua-script';
import type { RequestDeps } from './deps';
import { RunSupersededError, type RunOwner, type StepResult } from './flow';

/** Acceptance minus this is the earliest window start a task of this request can have (clock skew). */
const ADOPTION_SKEW_MS = 120_000;

/**
 * The tag a request prefers (1–999), derived from its id: the allocator gives it this one when it
 * is free, so a request rebuilt after lost Redis writes most likely gets its old tag back.
 */
export function preferredTag(requestId: string): number {
  return 1 + (parseInt(requestId.slice(2, 10), 16) % 999);
}

/** A window start carrying the tag in its millisecond part, never before `at`. */
export function taggedWindowStart(at: number, tag: number): number {
  const tagged = Math.floor(at / 1000) * 1000 + tag;
  return tagged >= at ? tagged : tagged + 1000;
}

/** How long an instance keeps a tag for a request: past any adoption search of that request. */
const TAG_TTL_MS = 86_400_000;

const allocateTagScript = loadScript(__dirname, 'lua/allocate-tag.lua', { keys: 2 });

/** The keys of the tag registry (see lua/allocate-tag.lua). */
export function tagKeys(prefix: string, requestId: string, vmGuid: string) {
  return { own: `${prefix}:tasks:tagof:${requestId}:${vmGuid}`, instance: `${prefix}:tasks:tags:${vmGuid}` };
}

/**
 * The request's tag on the instance, unique among the instance's requests of the last day. Called
 * under the instance's task lock, before the search, so the search and the create use one tag.
 */
export async function requestTagOn(deps: RequestDeps, requestId: string, vmGuid: string): Promise<number> {
  const keys = tagKeys(deps.config.redis.prefix, requestId, vmGuid);
  const tag = Number(
    await allocateTagScript.run(
      deps.redis,
      [keys.own, keys.instance],
      [requestId, preferredTag(requestId), deps.now(), TAG_TTL_MS],
    ),
  );
  if (!(tag >= 1 && tag <= 999)) {
    // Retryable: tags free up as requests of the last day age out; no task is created meanwhile.
    throw new AppError(
      'task_tags_exhausted',
      `all 999 task tags of instance ${vmGuid} are held by requests of the last day`,
      { retryable: true },
    );
  }
  return tag;
}

export interface EnsureTaskInput {
  readonly step: string;
  /** Storware task type to adopt (EXPORT, RESTORE, INVENTORY_SYNC, …). */
  readonly type: string;
  readonly vmGuid: string | undefined;
  /** Extra identification of this request's task (default: the windowStart tag). */
  readonly matches?: (task: StorwareTask) => boolean;
  /** When the RITM was opened in ServiceNow (see `adoptionFloor`). */
  readonly ritmOpenedAt?: number;
  /** The run's hold on its job (ItemContext.owner), checked right before the create call. */
  readonly owner: RunOwner | undefined;
  /** Creates the task; `tag` is the request's mark on the instance (see `taggedWindowStart`). */
  readonly create: (mark: { readonly tag: number }) => Promise<StorwareTask>;
}

export type EnsuredTask =
  | { readonly kind: 'task'; readonly task: LedgerTask; readonly adopted: boolean; readonly created: boolean }
  | { readonly kind: 'wait'; readonly wait: StepResult };

export function ledgerTask(task: StorwareTask, now: number): LedgerTask {
  return {
    guid: task.guid,
    type: task.type,
    state: task.state,
    progress: task.progress,
    createdAt: task.startTime !== undefined && task.startTime < now ? task.startTime : now,
    updatedAt: now,
    ...(isTerminalTaskState(task.state) ? { endedAt: task.finishTime ?? now } : {}),
    ...(task.statusInfo ? { message: task.statusInfo } : {}),
  };
}

/**
 * The earliest start a task of this request can have. The RITM's opening time (ServiceNow's, so it
 * survives a ledger entry lost with Redis writes and rebuilt later by the reconciler) or the
 * entry's creation, whichever is earlier, less the clock skew allowance.
 */
export function adoptionFloor(entry: LedgerEntry, ritmOpenedAt?: number): number {
  return Math.min(entry.createdAt, ritmOpenedAt ?? entry.createdAt) - ADOPTION_SKEW_MS;
}

function carriesMark(task: StorwareTask, tag: number, floor: number): boolean {
  const start = task.windowStart;
  if (start === undefined || start < floor) {
    return false;
  }
  return start % 1000 === 0 || start % 1000 === tag;
}

const SEARCH_PAGE = 100;

/**
 * The instance's tasks of a type, newest first, down to those whose window started before
 * `since`. An instance with a daily policy has a long task history; only its newest page or two
 * can hold a task of this request, so paging stops once a page reaches older tasks. A server that
 * ignores the ordering is detected (the page is not in order) and read to the end instead.
 */
async function recentTasks(
  deps: RequestDeps,
  vmGuid: string,
  type: string,
  since: number,
): Promise<StorwareTask[]> {
  const found: StorwareTask[] = [];
  for (let page = 0; ; page += 1) {
    const result = await deps.storware.listTasks({
      protectedEntityGuid: vmGuid,
      type,
      orderBy: 'windowStart',
      direction: 'desc',
      page,
      size: SEARCH_PAGE,
    });
    found.push(...result.items);
    const starts = result.items.map((t) => t.windowStart ?? Number.NaN);
    // NaN (no window start) fails every comparison: such a page counts as not ordered.
    const ordered = starts.every((start, i) => !Number.isNaN(start) && (i === 0 || starts[i - 1]! >= start));
    const reachedOlder = starts.length > 0 && starts[starts.length - 1]! < since;
    if (
      result.items.length < SEARCH_PAGE ||
      (page + 1) * SEARCH_PAGE >= result.total ||
      (ordered && reachedOlder)
    ) {
      return found;
    }
  }
}

/** How long a runner waits for another's search-and-create on the same instance before sleeping. */
const TASK_LOCK_WAIT_MS = 2_000;

export async function ensureTask(
  deps: RequestDeps,
  entry: LedgerEntry,
  input: EnsureTaskInput,
): Promise<EnsuredTask> {
  const recorded = entry.tasks[input.step];
  if (recorded) {
    return { kind: 'task', task: recorded, adopted: false, created: false };
  }
  if (!input.vmGuid) {
    return searchOrCreate(deps, entry, input, undefined);
  }
  // One search-and-create at a time per instance and task type, across every worker process.
  // Between Storware creating a task and its creator claiming it there is a moment when the task
  // is nobody's; a search running then (another request on the same instance, or a second runner
  // of this one after a lost lock) would take it. The lock spans search, create, claim and record;
  // it expires with the create grace period, so a runner that died holding it only delays others.
  const lockKey = `${deps.config.redis.prefix}:tasks:lock:${input.type}:${input.vmGuid}`;
  const outcome = await withLock(
    deps.redis,
    lockKey,
    createGraceMs(deps),
    async (lock): Promise<EnsuredTask> => {
      // Another runner of this request may have recorded the task while this one waited.
      const fresh = (await deps.ledger.get(entry.requestId)) ?? entry;
      const meanwhile = fresh.tasks[input.step];
      if (meanwhile) {
        return { kind: 'task', task: meanwhile, adopted: false, created: false };
      }
      return searchOrCreate(deps, fresh, input, lock);
    },
    { waitMs: TASK_LOCK_WAIT_MS, retryDelayMs: [20, 60] },
  );
  if (!outcome.acquired) {
    // Still busy after the wait: sleep and try again rather than hold a worker slot.
    return { kind: 'wait', wait: { kind: 'wait', until: deps.now() + 1_000, state: 'running' } };
  }
  return outcome.value;
}

function createGraceMs(deps: RequestDeps): number {
  return 2 * deps.config.storware.timeoutMs + 5_000;
}

const fenceScript = loadScript(__dirname, 'lua/fence-create.lua', { keys: 3 });

type FenceOutcome = 'ok' | 'task_lock_lost' | 'job_lock_lost' | 'recorded';

/** See lua/fence-create.lua: still this run's job and instance lock, and no task recorded yet. */
async function fenceCreate(
  deps: RequestDeps,
  entry: LedgerEntry,
  input: EnsureTaskInput,
  lock: Lock | undefined,
): Promise<FenceOutcome> {
  const keys = ledgerKeys(deps.config.redis.prefix);
  const outcome = await fenceScript.run(
    deps.redis,
    [
      lock?.key ?? keys.data(entry.requestId),
      keys.data(entry.requestId),
      input.owner?.jobLockKey ?? keys.data(entry.requestId),
    ],
    [lock?.token ?? '', createGraceMs(deps), input.owner?.token ?? '', input.step],
  );
  return outcome as FenceOutcome;
}

async function searchOrCreate(
  deps: RequestDeps,
  entry: LedgerEntry,
  input: EnsureTaskInput,
  lock: Lock | undefined,
): Promise<EnsuredTask> {
  const now = deps.now();
  const intentKey = `${deps.config.redis.prefix}:tasks:intent:${entry.requestId}:${input.step}`;
  const intent = Number((await deps.redis.get(intentKey)) ?? 0);
  // A task known by this request's own tag may be adopted at any time (even after the ledger lost
  // it). One known only by a caller's matcher (a restore, by its backup point, which other
  // requests may restore too) is this request's only if this request asked Storware for one.
  // Only a step identified by its tag needs one of the instance's tags; a step with its own matcher
  // (a restore, by its backup point) or without an instance does not take one from others.
  const tag =
    input.vmGuid !== undefined && input.matches === undefined
      ? await requestTagOn(deps, entry.requestId, input.vmGuid)
      : preferredTag(entry.requestId);
  const searchable = input.vmGuid !== undefined && (input.matches === undefined || intent > 0);
  if (input.vmGuid && searchable) {
    const floor = adoptionFloor(entry, input.ritmOpenedAt);
    const matches = input.matches ?? ((task: StorwareTask) => carriesMark(task, tag, floor));
    const candidates = await recentTasks(deps, input.vmGuid, input.type, floor);
    for (const candidate of candidates.filter(matches)) {
      if (!(await deps.watch.claim(candidate.guid, entry.requestId))) {
        continue; // Another request's task.
      }
      const { recorded: won, task } = await deps.ledger.recordTask(
        entry.requestId,
        input.step,
        ledgerTask(candidate, now),
      );
      await deps.ledger.appendEvent(entry.requestId, {
        type: 'task.adopted',
        message: `Adopted ${candidate.type} task ${task.guid} (${candidate.state}) created by an earlier attempt`,
        data: { step: input.step, guid: task.guid },
      });
      return { kind: 'task', task, adopted: won, created: false };
    }
  }
  // An earlier attempt asked for this task and never learned the answer: the server may still be
  // creating it. Look again after the grace period instead of creating a second one.
  const graceMs = createGraceMs(deps);
  if (intent > 0 && now - intent < graceMs && input.vmGuid) {
    await deps.ledger.appendEvent(entry.requestId, {
      type: 'task.create_unknown',
      message: `An earlier ${input.type} request got no answer; checking Storware again before creating anything`,
    });
    return { kind: 'wait', wait: { kind: 'wait', until: intent + graceMs, state: 'running' } };
  }
  // Everything above may be stale by now: this runner may have been frozen, or cut off from Redis,
  // past its locks while another runner of the request took over and created the task (the
  // duplicate exports of docs/reliability.md §5). Check once more, atomically, right before the call.
  const fence = await fenceCreate(deps, entry, input, lock);
  if (fence === 'recorded') {
    const recorded = (await deps.ledger.get(entry.requestId))?.tasks[input.step];
    if (recorded) {
      return { kind: 'task', task: recorded, adopted: false, created: false };
    }
  }
  if (fence === 'job_lock_lost') {
    throw new RunSupersededError(entry.requestId, `creating its ${input.type} task`);
  }
  if (fence !== 'ok') {
    // The instance's lock lapsed under a slow run (another request's search may hold it now), or
    // the recorded task vanished again: look again shortly, from the top.
    return { kind: 'wait', wait: { kind: 'wait', until: deps.now() + 1_000, state: 'running' } };
  }
  await deps.redis.set(intentKey, String(now), 'PX', 86_400_000);
  let created: StorwareTask;
  try {
    created = await input.create({ tag });
  } catch (error) {
    // Storware answered (a status came back): it has finished with the call, so a retry may
    // search at once. Only a call without an answer (timeout, reset) leaves the intent standing.
    if (error instanceof UpstreamError && error.status !== undefined) {
      await deps.redis.del(intentKey);
    }
    throw error;
  }
  await deps.watch.claim(created.guid, entry.requestId);
  // recordTask writes the timeline event itself.
  const { recorded: won, task } = await deps.ledger.recordTask(
    entry.requestId,
    input.step,
    ledgerTask(created, now),
  );
  await deps.redis.del(intentKey);
  if (!won && task.guid !== created.guid) {
    // Two runners raced past the search (a stalled job taken over); keep the first, stop ours.
    // When the winner recorded the very task we created (it adopted it while our answer was on
    // its way), there is nothing to stop: cancelling it would cancel the request's own work.
    await deps.storware
      .cancelTask(created.guid, 'Duplicate created by a concurrent attempt')
      .catch(() => undefined);
  }
  return { kind: 'task', task, adopted: false, created: won };
}

export type TaskProgress =
  | { readonly kind: 'ended'; readonly task: LedgerTask; readonly state: KnownTaskState | 'UNKNOWN' }
  | { readonly kind: 'running'; readonly wait: StepResult };

/**
 * Where a step's task stands. Ended: the flow goes on. Running: the job sleeps, watched by the
 * poller; after `stale` without news from the poller, the task is read directly.
 */
export async function awaitTask(deps: RequestDeps, entry: LedgerEntry, step: string): Promise<TaskProgress> {
  const task = entry.tasks[step];
  if (!task) {
    throw new Error(`no task recorded for step ${step}`);
  }
  const now = deps.now();
  const pollMs = deps.config.connector.tuning.pollIntervalSeconds * 1000;
  let current: LedgerTask = task;
  const stale = now - (task.updatedAt ?? task.createdAt) > 4 * pollMs;
  if (!isTerminalTaskState(current.state as KnownTaskState) && stale) {
    const fresh = await deps.storware.getTask(task.guid);
    await deps.ledger.updateTask(entry.requestId, step, {
      state: fresh.state,
      progress: fresh.progress,
      updatedAt: now,
      ...(isTerminalTaskState(fresh.state) ? { endedAt: fresh.finishTime ?? now } : {}),
      ...(fresh.statusInfo ? { message: fresh.statusInfo } : {}),
    });
    current = {
      ...task,
      state: fresh.state,
      progress: fresh.progress,
      message: fresh.statusInfo ?? task.message,
    };
  }
  if (isTerminalTaskState(current.state as KnownTaskState)) {
    await deps.watch.unwatch(task.guid);
    return { kind: 'ended', task: current, state: current.state as KnownTaskState };
  }
  await deps.watch.watch(task.guid, { requestId: entry.requestId, step, ritmSysId: entry.ritmSysId });
  return {
    kind: 'running',
    wait: {
      kind: 'wait',
      // The poller normally wakes the job long before this.
      until: now + Math.max(30_000, 6 * pollMs),
      state: 'running',
    },
  };
}

export type FollowUp =
  | { readonly kind: 'none' }
  | { readonly kind: 'found'; readonly task: LedgerTask; readonly recordedNow: boolean }
  | { readonly kind: 'wait'; readonly wait: StepResult };

/**
 * The server-side follow-up of a finished task: STORE after EXPORT, IMPORT after RESTORE
 * (docs/storware-api.md §6). The client only submits the first; the outcome is known when the second
 * ends. The follow-up is found by `parent-task` and recorded as its own step. A server that
 * creates none within a few poll intervals of the parent ending is taken to run single-phase.
 */
export async function findFollowUp(
  deps: RequestDeps,
  entry: LedgerEntry,
  parentStep: string,
  step: string,
  type: string,
): Promise<FollowUp> {
  const recorded = entry.tasks[step];
  if (recorded) {
    return { kind: 'found', task: recorded, recordedNow: false };
  }
  const parent = entry.tasks[parentStep];
  if (!parent) {
    throw new Error(`no task recorded for step ${parentStep}`);
  }
  const children = await deps.storware.listAllTasks({ parentTaskGuid: parent.guid, type });
  const child = children.find((t) => t.type === type) ?? children[0];
  const now = deps.now();
  if (child) {
    await deps.watch.claim(child.guid, entry.requestId);
    const { task } = await deps.ledger.recordTask(entry.requestId, step, ledgerTask(child, now));
    return { kind: 'found', task, recordedNow: true };
  }
  const pollMs = deps.config.connector.tuning.pollIntervalSeconds * 1000;
  const endedAt = parent.endedAt ?? parent.updatedAt ?? now;
  if (now - endedAt > 3 * pollMs) {
    return { kind: 'none' };
  }
  return { kind: 'wait', wait: { kind: 'wait', until: now + pollMs, state: 'running' } };
}

export interface Phase {
  readonly step: string;
  readonly type: string;
}

export type PhasesOutcome =
  | { readonly kind: 'wait'; readonly wait: StepResult }
  | {
      readonly kind: 'ended';
      readonly task: LedgerTask;
      readonly state: string;
      readonly finished: readonly LedgerTask[];
    }
  | { readonly kind: 'finished'; readonly tasks: readonly LedgerTask[] };

/**
 * Waits for a task and its follow-ups in order (EXPORT → STORE, RESTORE → IMPORT). The first phase
 * must be recorded already (ensureTask); later ones are found as they appear.
 */
export async function awaitPhases(
  deps: RequestDeps,
  requestId: string,
  phases: readonly Phase[],
): Promise<PhasesOutcome> {
  const finished: LedgerTask[] = [];
  for (const [index, phase] of phases.entries()) {
    let entry = await deps.ledger.get(requestId);
    if (!entry) {
      throw new Error(`ledger entry ${requestId} vanished`);
    }
    const previous = phases[index - 1];
    if (previous) {
      const followUp = await findFollowUp(deps, entry, previous.step, phase.step, phase.type);
      if (followUp.kind === 'none') {
        break;
      }
      if (followUp.kind === 'wait') {
        return { kind: 'wait', wait: followUp.wait };
      }
      if (followUp.recordedNow) {
        entry = (await deps.ledger.get(requestId)) ?? entry;
      }
    }
    const progress = await awaitTask(deps, entry, phase.step);
    if (progress.kind === 'running') {
      return { kind: 'wait', wait: progress.wait };
    }
    if (progress.state !== 'FINISHED') {
      return { kind: 'ended', task: progress.task, state: progress.state, finished };
    }
    finished.push(progress.task);
  }
  return { kind: 'finished', tasks: finished };
}

/** The task of a create call's answer (of the wanted type when several came back). */
export function taskOf(batch: TaskBatch, type: string, what: string): StorwareTask {
  const task = batch.tasks.find((t) => t.type === type) ?? batch.tasks[0];
  if (!task) {
    throw new Error(`Storware accepted the ${what} but returned no task`);
  }
  return task;
}

/** Starts an export of one instance, marked with the request's tag (see `taggedWindowStart`). */
export async function exportInstance(
  deps: RequestDeps,
  tag: number,
  vmGuid: string,
  options: { backupType: 'FULL' | 'INCREMENTAL'; priority: number; windowStart?: number; windowEnd?: number },
): Promise<StorwareTask> {
  const batch = await deps.storware.createExportTask({
    vmGuids: [vmGuid],
    backupType: options.backupType,
    priority: options.priority,
    windowStart: taggedWindowStart(options.windowStart ?? deps.now(), tag),
    windowEnd: options.windowEnd,
  });
  return taskOf(batch, 'EXPORT', 'export');
}
