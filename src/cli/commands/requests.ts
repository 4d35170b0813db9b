/** `requests show | list | cancel`: one request in full, a page of requests, cancelling one. */
import type { ServiceApiClient } from '../api-client';
import { fields, formatTime, table } from '../cli-format';
import {
  apiClient,
  arg,
  type Context,
  eventTable,
  integer,
  print,
  printAction,
  printPage,
  reason,
  subcommand,
} from './shared';

export async function requestsCommand(ctx: Context, sub: string | undefined): Promise<void> {
  const api = apiClient(ctx.values);
  await subcommand('requests', sub, {
    show: () => showRequest(ctx, api),
    list: () => listRequests(ctx, api),
    cancel: async () =>
      printAction(ctx, await api.cancelRequest(arg(ctx, 2, 'the ticket number'), reason(ctx.values))),
  });
}

async function showRequest(ctx: Context, api: ServiceApiClient): Promise<void> {
  const r = await api.getRequest(arg(ctx, 2, 'the ticket number'));
  print(ctx, r, () =>
    [
      fields([
        ['Ticket', r.ticket],
        ['Item', r.itemLabel],
        ['Tenant', r.tenant],
        ['State', `${r.stateLabel} (${r.state})`],
        ['Progress', r.progress === undefined ? undefined : `${r.progress}%`],
        ['Step', r.step],
        ['Request id', r.requestId],
        ['Ticket state', r.ticketState],
        ['Created', formatTime(r.createdAt)],
        ['Updated', formatTime(r.updatedAt)],
        [
          'Approval',
          r.approval
            ? `${r.approval.status}${r.approval.approvers ? ` by ${r.approval.approvers}` : ''}`
            : undefined,
        ],
        ['Window', r.window?.startsAt ? `starts ${formatTime(r.window.startsAt)}` : undefined],
        ['Jobs', r.jobs.map((j) => `${j.id} (${j.state})`).join(', ')],
        [
          'Problem',
          r.lastError
            ? `${r.lastError.explanation} [${r.lastError.code}: ${r.lastError.message}]`
            : undefined,
        ],
      ]),
      '',
      r.tasks.length === 0
        ? 'Storware tasks: none yet'
        : table(
            ['step', 'type', 'task', 'state', 'progress'],
            r.tasks.map((t) => [
              t.step,
              t.type,
              t.guid,
              t.state,
              t.progress === undefined ? undefined : `${t.progress}%`,
            ]),
          ),
      '',
      `Ticket updates: ${r.ticketUpdates.sent.length} state change(s) written, ${r.ticketUpdates.pending.length} pending`,
      '',
      eventTable(r.timeline),
    ].join('\n'),
  );
}

async function listRequests(ctx: Context, api: ServiceApiClient): Promise<void> {
  const page = await api.listRequests({
    state: ctx.values.state,
    tenant: ctx.values.tenant,
    item: ctx.values.item,
    since: ctx.values.since,
    limit: integer(ctx.values.limit, 'limit'),
    cursor: ctx.values.cursor,
  });
  printPage(ctx, page, {
    empty: 'No requests.',
    headers: ['ticket', 'item', 'tenant', 'state', 'step', 'updated', 'problem'],
    row: (r) => [
      r.ticket,
      r.itemLabel,
      r.tenant,
      r.state,
      r.step,
      formatTime(r.updatedAt),
      r.lastError?.code,
    ],
  });
}
