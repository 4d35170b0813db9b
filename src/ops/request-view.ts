/**
 * What agents and ops see of a request. Every answer is built field by field from the ledger,
 * the outbox and the queue, never passed through: internal records grow fields (approval hashes,
 * intents, task extras) that were never meant for a screen, and the contract in
 * spec/connector.openapi.yaml (RequestSummary, RequestDetail) is what callers may rely on.
 *
 * `explanation` turns the last error's code into a sentence a service-desk agent can repeat to a
 * requester: what went wrong and what happens next.
 */
import type { components } from '../../spec/generated/connector';
import { ITEM_DEFINITIONS, type CatalogItemKey } from '../items/definitions';
import {
  isTerminalState,
  type LedgerEntry,
  type LedgerError,
  type LedgerEvent,
  type LedgerSummary,
  type RequestState,
} from '../ledger';
import type { TicketUpdate } from '../ticket-updates/outbox';

type Schemas = components['schemas'];
export type RequestSummaryView = Schemas['RequestSummary'];
export type RequestDetailView = Schemas['RequestDetail'];
export type RequestProblemView = Schemas['RequestProblem'];
export type RequestJobView = Schemas['RequestJob'];
export type TimelineEventView = Schemas['TimelineEvent'];

const STATE_LABEL: Record<RequestState, string> = {
  received: 'Received',
  queued: 'Queued',
  waiting_approval: 'Waiting for approval',
  waiting_window: 'Waiting for its time window',
  waiting_inventory: 'Waiting for the instance to appear in Storware',
  running: 'Running',
  succeeded: 'Completed',
  failed: 'Failed',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  expired: 'Expired',
};

export function itemLabel(item: CatalogItemKey): string {
  return ITEM_DEFINITIONS[item].label;
}

export function stateLabel(state: RequestState): string {
  return STATE_LABEL[state];
}

const EXPLANATIONS: Readonly<Record<string, string>> = {
  storware_unavailable:
    'Storware could not be reached or answered with a server error. The connector retries by itself; if the attempts run out, ops replays the job or abandons it.',
  servicenow_unavailable:
    'ServiceNow could not be reached or answered with a server error. The connector retries by itself; if the attempts run out, ops replays the job or abandons it.',
  storware_rejected:
    'Storware refused the request; the message says why. Trying again would fail the same way, so the ticket was closed incomplete.',
  servicenow_rejected:
    'ServiceNow refused a call from the connector (permissions or a business rule); ops should check the integration user.',
  instance_not_found:
    "The instance is not in the requester's OpenStack project, or the requester's company is not mapped to a project. Nothing was run.",
  instance_not_in_inventory:
    'The new instance did not appear in Storware in time, so it could not be protected. Nothing was run.',
  approval_rejected: 'An approver rejected the request. Nothing was run.',
  approval_timed_out: 'Nobody approved the request in time. Nothing was run; the requester can order again.',
  requested_window_over:
    'The time window the requester asked for ended before the work could start. Nothing was run.',
  no_maintenance_window_before_end:
    "The project's maintenance windows do not open before the end of the requested window. Nothing was run.",
  task_failed: 'The Storware task failed; its message says why. The ticket was closed incomplete.',
  task_cancelled: 'The Storware task was cancelled in Storware. The ticket was closed incomplete.',
  first_backup_failed:
    'The instance was put under its policy, but the first backup failed; the message says why.',
  safety_backup_failed:
    'The backup taken before overwriting the instance failed, so the restore did not run.',
  tier_not_configured: 'The requested policy tier is not configured for this tenant. Nothing was run.',
  cancelled: 'The request was cancelled.',
  abandoned:
    'Ops gave up on this request after a technical failure. The ticket was closed incomplete and the service desk contacts the requester.',
  validation_failed: 'Some answers on the request are not valid; the requester must order again.',
  invalid_variables: 'Some answers on the request are not valid; the requester must order again.',
  ticket_not_found:
    'The ticket could not be read from ServiceNow (deleted, or hidden from the integration user).',
  internal_error: 'An unexpected error in the connector; ops has the details in the logs.',
};

/** The last error in plain words, with what happens next. */
export function explainProblem(error: LedgerError, state: RequestState): string {
  const known = EXPLANATIONS[error.code];
  if (known) {
    return known;
  }
  if (error.retryable && !isTerminalState(state)) {
    return 'A temporary problem. The connector retries by itself; if the attempts run out, ops replays the job or abandons it.';
  }
  return 'The request could not be completed; the message says why.';
}

function problemView(error: LedgerError | undefined, state: RequestState): RequestProblemView | undefined {
  if (!error) {
    return undefined;
  }
  return {
    code: error.code,
    message: error.message,
    explanation: explainProblem(error, state),
    retryable: error.retryable,
    at: error.at,
  };
}

/** Drops undefined fields, so answers carry only what is known (the spec has no nulls). */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function requestSummaryView(entry: LedgerSummary): RequestSummaryView {
  return compact({
    requestId: entry.requestId,
    ticket: entry.number,
    ritmSysId: entry.ritmSysId,
    item: entry.item,
    itemLabel: itemLabel(entry.item),
    tenant: entry.tenant,
    state: entry.state,
    stateLabel: stateLabel(entry.state),
    step: entry.step,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    cancelRequested: entry.cancelRequested,
    ticketState: entry.ticketState,
    lastError: problemView(entry.lastError, entry.state),
  });
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function approvalView(approval: LedgerEntry['approval']): Schemas['RequestApproval'] | undefined {
  const status = text(approval?.status);
  if (!approval || status === undefined) {
    return undefined;
  }
  return compact({
    status,
    needed: num(approval.needed),
    approvers: text(approval.approvers),
    requestedAt: num(approval.postedAt),
    reference: text(approval.hash),
  });
}

function windowView(window: LedgerEntry['window']): Schemas['RequestWindow'] | undefined {
  if (!window) {
    return undefined;
  }
  const view = compact({
    startsAt: num(window.startAt),
    windowStart: num(window.windowStart),
    windowEnd: num(window.windowEnd),
  });
  return Object.keys(view).length > 0 ? view : undefined;
}

const FINISHED_TASK_STATES = new Set(['FINISHED', 'FAILED', 'CANCELLED']);

function taskProgress(task: LedgerEntry['tasks'][string]): number {
  if (task.state === 'FINISHED') {
    return 100;
  }
  return Math.min(100, Math.max(0, task.progress ?? 0));
}

/**
 * One number for "how far along": the mean of the steps' task progress (a backup's export and
 * store count alike), 100 once the request succeeded, none before any Storware work.
 */
export function overallProgress(entry: Pick<LedgerEntry, 'state' | 'tasks'>): number | undefined {
  if (entry.state === 'succeeded') {
    return 100;
  }
  const tasks = Object.values(entry.tasks);
  if (tasks.length === 0) {
    return undefined;
  }
  return Math.round(tasks.reduce((sum, t) => sum + taskProgress(t), 0) / tasks.length);
}

function eventView(event: LedgerEvent): TimelineEventView {
  return { at: event.at, type: event.type, message: event.message };
}

/** Longest note text shown for a pending update; the ticket has the full text once written. */
const NOTE_PREVIEW = 1_000;

function preview(value: string | undefined): string | undefined {
  return value === undefined || value.length <= NOTE_PREVIEW ? value : `${value.slice(0, NOTE_PREVIEW)}…`;
}

function pendingView(update: TicketUpdate): Schemas['PendingTicketUpdate'] {
  return compact({
    id: update.id,
    kind: update.kind,
    createdAt: update.createdAt,
    state: update.state,
    closes: update.state === 3 || update.state === 4,
    workNote: preview(update.workNote),
    comment: preview(update.comment),
  });
}

function resultView(result: LedgerEntry['result']): RequestDetailView['result'] {
  if (!result) {
    return undefined;
  }
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(result)) {
    if (
      /^[A-Za-z][A-Za-z0-9_]{0,40}$/.test(key) &&
      (typeof value === 'string' || typeof value === 'boolean' || num(value) !== undefined)
    ) {
      out[key] = value as string | number | boolean;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export function requestDetailView(
  entry: LedgerEntry,
  pending: readonly TicketUpdate[],
  jobs: readonly RequestJobView[],
): RequestDetailView {
  const tasks = Object.entries(entry.tasks)
    .map(([step, task]) =>
      compact({
        step,
        guid: task.guid,
        type: task.type,
        state: task.state,
        progress: FINISHED_TASK_STATES.has(task.state) ? taskProgress(task) : num(task.progress),
        createdAt: task.createdAt,
        updatedAt: task.updatedAt,
        endedAt: task.endedAt,
        message: task.message,
      }),
    )
    .sort((a, b) => a.createdAt - b.createdAt);
  return compact({
    ...requestSummaryView(entry),
    progress: overallProgress(entry),
    approval: approvalView(entry.approval),
    window: windowView(entry.window),
    tasks,
    timeline: entry.timeline.map(eventView),
    ticketUpdates: {
      sent: entry.timeline.filter((e) => e.type === 'ticket.updated').map(eventView),
      pending: pending.map(pendingView),
    },
    jobs: [...jobs],
    result: resultView(entry.result),
  });
}
