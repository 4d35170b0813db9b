/**
 * Tasks (`/tasks`, docs/storware-api.md §6): listing, reading and cancelling them, and
 * `startTasks`, which the task-creating calls of the other modules (backups.ts, restore.ts,
 * inventory.ts) share to learn the guids of the tasks they started.
 */
import { UpstreamError } from '../../errors';
import { collectPages, type ListAllOptions, requireText, type StorwareCore } from './core';
import { unexpectedAnswer } from './errors';
import type { StorwareRequest } from './http';
import { toTask, toTaskBatch } from './normalize';
import type { Page, PageRequest, StorwareTask, TaskBatch, TaskFilter } from './types';
import type { TaskListQuery, WireTaskStateChangeRequest } from './wire';

export interface TaskCalls {
  /** One page of tasks (`GET /tasks`); `states` lets one call cover every task being polled. */
  listTasks(filter?: TaskFilter & PageRequest): Promise<Page<StorwareTask>>;

  /** Every task matching the filter, following the pages. */
  listAllTasks(filter?: TaskFilter, options?: ListAllOptions): Promise<StorwareTask[]>;

  /** One task by guid. */
  getTask(guid: string): Promise<StorwareTask>;

  /**
   * Cancels a queued or running task the way the Storware UI does:
   * `PUT /tasks/{guid}/state` with `{state:{name:"CANCELLED"}, statusInfo}` (docs/storware-api.md §5).
   */
  cancelTask(guid: string, statusInfo?: string): Promise<void>;
}

/** How to find the tasks a call created when its answer does not name them. */
export interface CreatedTaskLookup {
  readonly filter: TaskFilter;
  readonly matches: (task: StorwareTask) => boolean;
}

/** How far back a task found by listing may have started and still be "the one just created". */
const CONFIRM_SKEW_MS = 60_000;

export function taskCalls(core: StorwareCore): TaskCalls {
  return {
    listTasks: (filter) => listTasks(core, filter),
    listAllTasks: (filter, options) => listAllTasks(core, filter, options),

    async getTask(guid) {
      return core.getByGuid('getTask', '/tasks/{guid}', guid, toTask);
    },

    async cancelTask(guid, statusInfo = 'Canceled by user') {
      requireText('guid', guid);
      const body: WireTaskStateChangeRequest = { state: { name: 'CANCELLED' }, statusInfo };
      await core.call({
        operation: 'cancelTask',
        method: 'PUT',
        route: '/tasks/{guid}/state',
        pathParams: { guid },
        body,
      });
    },
  };
}

async function listTasks(
  core: StorwareCore,
  filter: TaskFilter & PageRequest = {},
): Promise<Page<StorwareTask>> {
  const query: TaskListQuery = {
    'project-uuid': filter.projectUuid,
    'protected-entity': filter.protectedEntityGuid,
    type: filter.type,
    states: filter.states === undefined ? undefined : [...filter.states],
    'parent-task': filter.parentTaskGuid,
    backup: filter.backupGuid,
    'hypervisor-manager': filter.hypervisorManagerGuid,
    page: filter.page,
    size: filter.size,
    orderBy: filter.orderBy,
    direction: filter.direction,
  };
  return core.getPage({ operation: 'listTasks', method: 'GET', route: '/tasks', query }, filter, toTask);
}

async function listAllTasks(
  core: StorwareCore,
  filter: TaskFilter = {},
  options: ListAllOptions = {},
): Promise<StorwareTask[]> {
  return collectPages(
    'listTasks',
    (page, size) => listTasks(core, { ...filter, page, size }),
    options.pageSize,
  );
}

/**
 * Sends a task-creating call and answers the tasks it started. When the answer names no task (the
 * shape is undocumented, docs/storware-api.md §9), the tasks are looked up by listing, as the
 * reference advises, so a caller always learns the guid it must record before moving on.
 *
 * @throws UpstreamError permanent when Storware refused every entity of the call.
 */
export async function startTasks(
  core: StorwareCore,
  request: StorwareRequest,
  lookup: CreatedTaskLookup,
): Promise<TaskBatch> {
  const { operation } = request;
  const response = await core.call(request);
  const batch = toTaskBatch(operation, response.data);
  if (batch.tasks.length === 0 && batch.unsuccessful.length > 0) {
    const names = batch.unsuccessful.map((r) => r.name ?? r.guid).join(', ');
    throw new UpstreamError('storware', `Storware ${operation} refused: ${names}`, {
      status: response.status,
      retryable: false,
      remoteMessage: `Storware did not create a task for: ${names}`,
      operation,
    });
  }
  if (batch.tasks.length > 0) {
    return batch;
  }
  const found = (await listAllTasks(core, lookup.filter)).filter(lookup.matches);
  if (found.length === 0) {
    throw unexpectedAnswer(operation, 'the answer named no task and none could be found by listing');
  }
  core.logger.debug({ op: operation, tasks: found.map((t) => t.guid) }, 'storware task found by listing');
  return { tasks: found, unsuccessful: [] };
}

/** Matches a task that is still queued or running, or started around `since` or later. */
export function recentOrActive(since: number): (task: StorwareTask) => boolean {
  return (task) =>
    task.state === 'QUEUED' ||
    task.state === 'RUNNING' ||
    (task.startTime ?? task.windowStart ?? 0) >= since - CONFIRM_SKEW_MS;
}
