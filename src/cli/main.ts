#!/usr/bin/env node
/**
 * The connector's command line, for the service desk and ops:
 *
 *   requests show <number>              requests list [--state S] [--tenant T] [--item I] [--since T]
 *   requests cancel <number> --reason R
 *   jobs list --state S [--queue Q]     jobs show <id>
 *   jobs replay <id> --reason R         jobs replay --all --limit N --reason R [--queue Q] [--item I]
 *   jobs abandon <id> --reason R                          [--tenant T] [--failed-since T] [--dry-run]
 *   audit [--since T] [--actor A]       config check
 *
 * Everything but `config check` goes through the service API over HTTP (`--url` or CONNECTOR_URL,
 * token in CONNECTOR_TOKEN), so the CLI has the same roles, validation and audit trail as any
 * other client and needs no Redis access. `config check` loads the environment and CONNECTOR_CONFIG
 * like a process start and reaches Redis, Storware and ServiceNow directly.
 * Output is tables for people; `--json` prints the API's answers for scripts. Exit codes: 0 done,
 * 1 failed (or a check found problems), 2 wrong usage.
 */
import { parseArgs } from 'node:util';
import { ApiCallError, createServiceApiClient, type ServiceApiClient } from './api-client';
import { fields, formatTime, table } from './cli-format';
import { checkConfiguration, type CheckResult } from './config-check';

const USAGE = `usage: storware-itsm-connector <command> [options]

Requests
  requests show <number>                 one request: state, tasks, ticket updates, timeline
  requests list [--state S] [--tenant T] [--item I] [--since TIME] [--limit N] [--cursor C]
  requests cancel <number> --reason R    (ops) cancel a request that has not finished

Jobs
  jobs list --state failed|delayed|active|waiting|completed [--queue Q] [--limit N] [--cursor C]
  jobs show <id>                         one job with every attempt's error
  jobs replay <id> --reason R            (ops) run a failed job again, audited
  jobs replay --all --limit N --reason R [--queue Q] [--item I] [--tenant T] [--failed-since TIME] [--dry-run]
  jobs abandon <id> --reason R           (ops) give up on a failed request; closes its ticket

Other
  audit [--since TIME] [--actor NAME] [--limit N]
  config check [--timeout MS]            check the environment, CONNECTOR_CONFIG, Redis, Storware, ServiceNow

Options
  --url URL    the connector's API (default: CONNECTOR_URL, else http://127.0.0.1:8080)
  --json       print JSON instead of tables
  Token: CONNECTOR_TOKEN (an API_TOKENS token; agent reads, ops acts).
  TIME: epoch milliseconds or ISO 8601 (2026-11-28T21:00:00Z).
`;

class UsageError extends Error {}

const OPTIONS = {
  url: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  state: { type: 'string' },
  queue: { type: 'string' },
  tenant: { type: 'string' },
  item: { type: 'string' },
  since: { type: 'string' },
  'failed-since': { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
  reason: { type: 'string' },
  actor: { type: 'string' },
  all: { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
  timeout: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

interface Context {
  readonly values: Values;
  readonly args: readonly string[];
  out(text: string): void;
}

function apiClient(values: Values): ServiceApiClient {
  const token = process.env.CONNECTOR_TOKEN?.trim();
  if (!token) {
    throw new UsageError('set CONNECTOR_TOKEN to an API token (see API_TOKENS)');
  }
  const baseUrl = values.url ?? process.env.CONNECTOR_URL ?? 'http://127.0.0.1:8080';
  if (!/^https?:\/\//.test(baseUrl)) {
    throw new UsageError(`--url must be an http(s) URL, got "${baseUrl}"`);
  }
  return createServiceApiClient({ baseUrl, token });
}

function arg(ctx: Context, index: number, what: string): string {
  const value = ctx.args[index];
  if (value === undefined || value === '') {
    throw new UsageError(`missing ${what}`);
  }
  return value;
}

function reason(values: Values): string {
  const text = values.reason?.trim();
  if (!text) {
    throw new UsageError('--reason is required: say why (it goes to the audit trail and the ticket)');
  }
  return text;
}

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!/^\d+$/.test(value)) {
    throw new UsageError(`--${name} must be a whole number`);
  }
  return Number(value);
}

function instant(value: string | undefined, name: string): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new UsageError(`--${name} must be epoch milliseconds or an ISO 8601 time`);
  }
  return ms;
}

function print(ctx: Context, json: unknown, human: () => string): void {
  ctx.out(ctx.values.json ? JSON.stringify(json, null, 2) : human());
}

async function requestsCommand(ctx: Context, sub: string | undefined): Promise<void> {
  const api = apiClient(ctx.values);
  switch (sub ?? '') {
    case 'show': {
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
          table(
            ['time', 'event', 'message'],
            r.timeline.map((e) => [formatTime(e.at), e.type, e.message]),
            100,
          ),
        ].join('\n'),
      );
      return;
    }
    case 'list': {
      const page = await api.listRequests({
        state: ctx.values.state,
        tenant: ctx.values.tenant,
        item: ctx.values.item,
        since: ctx.values.since,
        limit: integer(ctx.values.limit, 'limit'),
        cursor: ctx.values.cursor,
      });
      print(ctx, page, () =>
        [
          page.items.length === 0
            ? 'No requests.'
            : table(
                ['ticket', 'item', 'tenant', 'state', 'step', 'updated', 'problem'],
                page.items.map((r) => [
                  r.ticket,
                  r.itemLabel,
                  r.tenant,
                  r.state,
                  r.step,
                  formatTime(r.updatedAt),
                  r.lastError?.code,
                ]),
              ),
          ...(page.nextCursor ? ['', `More: --cursor ${page.nextCursor}`] : []),
        ].join('\n'),
      );
      return;
    }
    case 'cancel': {
      const result = await api.cancelRequest(arg(ctx, 2, 'the ticket number'), reason(ctx.values));
      print(ctx, result, () => `${result.message}. Audit record ${result.auditId}.`);
      return;
    }
    default:
      throw new UsageError(`unknown requests command "${sub ?? ''}"; use show, list or cancel`);
  }
}

async function jobsCommand(ctx: Context, sub: string | undefined): Promise<void> {
  const api = apiClient(ctx.values);
  switch (sub ?? '') {
    case 'list': {
      if (!ctx.values.state) {
        throw new UsageError('--state is required: failed, delayed, active, waiting or completed');
      }
      const page = await api.listJobs({
        state: ctx.values.state,
        queue: ctx.values.queue,
        limit: integer(ctx.values.limit, 'limit'),
        cursor: ctx.values.cursor,
      });
      print(ctx, page, () =>
        [
          page.items.length === 0
            ? `No ${ctx.values.state} jobs.`
            : table(
                ['id', 'queue', 'name', 'ticket', 'attempts', 'finished', 'reason'],
                page.items.map((j) => [
                  j.id,
                  j.queue,
                  j.name,
                  j.ticket,
                  `${j.attemptsMade}/${j.maxAttempts}`,
                  formatTime(j.finishedAt),
                  j.failedReason,
                ]),
              ),
          ...(page.nextCursor ? ['', `More: --cursor ${page.nextCursor}`] : []),
        ].join('\n'),
      );
      return;
    }
    case 'show': {
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
          ...(j.history.length > 0
            ? [
                '',
                table(
                  ['time', 'event', 'message'],
                  j.history.map((e) => [formatTime(e.at), e.type, e.message]),
                  100,
                ),
              ]
            : []),
        ].join('\n'),
      );
      return;
    }
    case 'replay': {
      if (ctx.values.all) {
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
        return;
      }
      const result = await api.replayJob(arg(ctx, 2, 'the job id (or --all)'), reason(ctx.values));
      print(ctx, result, () => `${result.message}. Audit record ${result.auditId}.`);
      return;
    }
    case 'abandon': {
      const result = await api.abandonJob(arg(ctx, 2, 'the job id'), reason(ctx.values));
      print(ctx, result, () => `${result.message}. Audit record ${result.auditId}.`);
      return;
    }
    default:
      throw new UsageError(`unknown jobs command "${sub ?? ''}"; use list, show, replay or abandon`);
  }
}

async function auditCommand(ctx: Context): Promise<void> {
  const page = await apiClient(ctx.values).listAudit({
    since: ctx.values.since,
    actor: ctx.values.actor,
    limit: integer(ctx.values.limit, 'limit'),
    cursor: ctx.values.cursor,
  });
  print(ctx, page, () =>
    page.items.length === 0
      ? 'No audit records.'
      : table(
          ['time', 'actor', 'action', 'outcome', 'target', 'reason'],
          page.items.map((a) => [
            formatTime(a.at),
            a.actor,
            a.action,
            a.outcome,
            a.target.ticket ??
              a.target.jobId ??
              (a.target.count !== undefined ? `${a.target.count} job(s)` : a.target.path),
            a.reason,
          ]),
        ),
  );
}

function renderChecks(results: readonly CheckResult[]): string {
  const mark = { ok: '[ ok ]', failed: '[FAIL]', skipped: '[skip]' } as const;
  const width = Math.max(...results.map((r) => r.name.length));
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${mark[r.status]} ${r.name.padEnd(width)}  ${r.summary}`);
    lines.push(...r.problems.map((p) => `         - ${p}`));
    lines.push(...r.warnings.map((w) => `         ! ${w}`));
  }
  const failed = results.filter((r) => r.status === 'failed').length;
  lines.push('', failed === 0 ? 'Configuration OK.' : `${failed} check(s) failed.`);
  return lines.join('\n');
}

async function configCommand(ctx: Context, sub: string | undefined): Promise<boolean> {
  if (sub !== 'check') {
    throw new UsageError(`unknown config command "${sub ?? ''}"; use check`);
  }
  const results = await checkConfiguration({
    env: process.env,
    timeoutMs: integer(ctx.values.timeout, 'timeout') ?? 5_000,
  });
  print(ctx, { ok: results.every((r) => r.status === 'ok'), checks: results }, () => renderChecks(results));
  return results.every((r) => r.status === 'ok');
}

async function run(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const ctx: Context = {
    values: parsed.values,
    args: parsed.positionals,
    out: (text) => process.stdout.write(`${text}\n`),
  };
  const [command, sub] = parsed.positionals;
  if (parsed.values.help || command === undefined || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined && !parsed.values.help ? 2 : 0;
  }
  switch (command) {
    case 'requests':
      await requestsCommand(ctx, sub);
      return 0;
    case 'jobs':
      await jobsCommand(ctx, sub);
      return 0;
    case 'audit':
      await auditCommand(ctx);
      return 0;
    case 'config':
      return (await configCommand(ctx, sub)) ? 0 : 1;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\nRun with --help for usage.\n`);
      process.exitCode = 2;
      return;
    }
    if (error instanceof ApiCallError) {
      const details = error.details.map((d) => `\n  - ${d.path ? `${d.path}: ` : ''}${d.message}`).join('');
      process.stderr.write(
        `error: ${error.message} (${error.code}${error.status ? `, HTTP ${error.status}` : ''})${details}\n`,
      );
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
