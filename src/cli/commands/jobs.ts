/** `jobs list | show | replay | abandon`: failed work, what went wrong, and the ops actions on it. */
import type { ServiceApiClient } from '../api-client';
import { fields, formatTime, table } from '../cli-format';
import {
  apiClient,
  arg,
  type Context,
  eventTable,
  instant,
  integer,
  print,
  printAction,
  printPage,
  reason,
  subcommand,
  UsageError,
} from './shared';

export async function jobsCommand(ctx: Context, sub: string | undefined): Promise<void> {
  const api = apiClient(ctx.values);
  await subcommand('jobs', sub, {
    list: () => listJobs(ctx, api),
    show: () => showJob(ctx, api),
    replay: async () =>
      ctx.values.all
        ? replayAll(ctx, api)
        : printAction(ctx, await api.replayJob(arg(ctx, 2, 'the job id (or --all)'), reason(ctx.values))),
    abandon: async () =>
      printAction(ctx, await api.abandonJob(arg(ctx, 2, 'the job id'), reason(ctx.values))),
  });
}

async function listJobs(ctx: Context, api: ServiceApiClient): Promise<void> {
  if (!ctx.values.state) {
    throw new UsageError('--state is required: failed, delayed, active, waiting or completed');
  }
  const page = await api.listJobs({
    state: ctx.values.state,
    queue: ctx.values.queue,
    limit: integer(ctx.values.limit, 'limit'),
    cursor: ctx.values.cursor,
  });
  printPage(ctx, page, {
    empty: `No ${ctx.values.state} jobs.`,
    headers: ['id', 'queue', 'name', 'ticket', 'attempts', 'finished', 'reason'],
    row: (j) => [
      j.id,
      j.queue,
      j.name,
      j.ticket,
      `${j.attemptsMade}/${j.maxAttempts}`,
      formatTime(j.finishedAt),
      j.failedReason,
    ],
  });
}

async function showJob(ctx: Context, api: ServiceApiClient): Promise<void> {
  const j = await api.getJob(arg(ctx, 2, 'the job id'));
  print(ctx, j, () =>
    [
      fields([
        ['Job', j.id],
        ['Queue', j.queue],
        ['Name', j.name],
        ['State', j.state],
        ['Attempts', `${j.attemptsMade} of ${j.maxAttempts}`],
        ['Ticket', j.request?.ticket ?? j.ticket],
        ['Request', j.request ? `${j.request.requestId} (${j.request.stateLabel})` : j.requestId],
        ['Created', formatTime(j.createdAt)],
        ['Finished', formatTime(j.finishedAt)],
        ['Failed because', j.failedReason],
      ]),
      ...(j.attempts.length > 0
        ? ['', 'Attempts:', ...j.attempts.map((a) => `  ${a.attempt}. ${a.error}`)]
        : []),
      ...(j.history.length > 0 ? ['', eventTable(j.history)] : []),
    ].join('\n'),
  );
}

/** `jobs replay --all`: every failed job matching the filter, at most `--limit`, or a dry run. */
async function replayAll(ctx: Context, api: ServiceApiClient): Promise<void> {
  const limit = integer(ctx.values.limit, 'limit');
  if (limit === undefined) {
    throw new UsageError('--limit is required with --all (at most 500)');
  }
  const filter = Object.fromEntries(
    Object.entries({
      queue: ctx.values.queue,
      item: ctx.values.item,
      tenant: ctx.values.tenant,
      failedSince: instant(ctx.values['failed-since'], 'failed-since'),
    }).filter(([, v]) => v !== undefined),
  );
  const result = await api.replayJobs({
    reason: reason(ctx.values),
    limit,
    dryRun: ctx.values['dry-run'],
    filter,
  });
  print(ctx, result, () =>
    [
      result.dryRun
        ? `Dry run: ${result.matched} failed job(s) would be replayed.`
        : `Replayed ${result.replayed.length} of ${result.matched} matching job(s). Audit record ${result.auditId ?? '-'}.`,
      ...(result.replayed.length > 0
        ? [
            '',
            table(
              ['id', 'queue', 'ticket', 'failed because'],
              result.replayed.map((r) => [r.jobId, r.queue, r.ticket, r.failedReason]),
            ),
          ]
        : []),
      ...(result.skipped.length > 0
        ? [
            '',
            'Skipped:',
            table(
              ['id', 'ticket', 'why'],
              result.skipped.map((r) => [r.jobId, r.ticket, r.skipped]),
            ),
          ]
        : []),
    ].join('\n'),
  );
}
