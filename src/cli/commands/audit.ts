/** `audit`: who did what to which request or job, and why. */
import { formatTime } from '../cli-format';
import { apiClient, type Context, integer, printPage } from './shared';

export async function auditCommand(ctx: Context): Promise<void> {
  const page = await apiClient(ctx.values).listAudit({
    since: ctx.values.since,
    actor: ctx.values.actor,
    limit: integer(ctx.values.limit, 'limit'),
    cursor: ctx.values.cursor,
  });
  printPage(ctx, page, {
    empty: 'No audit records.',
    headers: ['time', 'actor', 'action', 'outcome', 'target', 'reason'],
    row: (a) => [
      formatTime(a.at),
      a.actor,
      a.action,
      a.outcome,
      a.target.ticket ??
        a.target.jobId ??
        (a.target.count !== undefined ? `${a.target.count} job(s)` : a.target.path),
      a.reason,
    ],
    // The audit listing has never printed the `More: --cursor` line; its output is kept as it was.
    cursorHint: false,
  });
}
