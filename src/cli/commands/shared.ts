/**
 * What every CLI command shares: the options main.ts parses, the context a command runs in, the
 * checks on option values, and the ways a result is printed (a table, a paged table, an ops
 * action's outcome), each as a table for people or, with `--json`, the API's answer as it is.
 */
import type { parseArgs } from 'node:util';
import { createServiceApiClient, type ServiceApiClient } from '../api-client';
import { formatTime, table } from '../cli-format';

/** Wrong usage: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {}

export const OPTIONS = {
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

export type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

export interface Context {
  readonly values: Values;
  readonly args: readonly string[];
  out(text: string): void;
}

/**
 * Runs the subcommand `sub` of `command`, or fails naming the ones there are, in the order
 * `handlers` lists them (`use show, list or cancel`).
 */
export async function subcommand(
  command: string,
  sub: string | undefined,
  handlers: Readonly<Record<string, () => Promise<void>>>,
): Promise<void> {
  const handler = sub !== undefined && Object.hasOwn(handlers, sub) ? handlers[sub] : undefined;
  if (handler === undefined) {
    const names = Object.keys(handlers);
    const last = names.pop() ?? '';
    const choices = names.length === 0 ? last : `${names.join(', ')} or ${last}`;
    throw new UsageError(`unknown ${command} command "${sub ?? ''}"; use ${choices}`);
  }
  await handler();
}

/** The service API client from `--url`/CONNECTOR_URL and CONNECTOR_TOKEN. */
export function apiClient(values: Values): ServiceApiClient {
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

/** The positional argument at `index` (0 is the command), required. */
export function arg(ctx: Context, index: number, what: string): string {
  const value = ctx.args[index];
  if (value === undefined || value === '') {
    throw new UsageError(`missing ${what}`);
  }
  return value;
}

/** `--reason`, required for every ops action. */
export function reason(values: Values): string {
  const text = values.reason?.trim();
  if (!text) {
    throw new UsageError('--reason is required: say why (it goes to the audit trail and the ticket)');
  }
  return text;
}

export function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!/^\d+$/.test(value)) {
    throw new UsageError(`--${name} must be a whole number`);
  }
  return Number(value);
}

export function instant(value: string | undefined, name: string): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new UsageError(`--${name} must be epoch milliseconds or an ISO 8601 time`);
  }
  return ms;
}

/** `json` as it is with `--json`, else what `human` renders. */
export function print(ctx: Context, json: unknown, human: () => string): void {
  ctx.out(ctx.values.json ? JSON.stringify(json, null, 2) : human());
}

export interface PageView<T> {
  /** Printed instead of the table when the page is empty. */
  readonly empty: string;
  readonly headers: readonly string[];
  readonly row: (item: T) => readonly unknown[];
  /** Whether a page with a `nextCursor` ends with `More: --cursor …`; default true. */
  readonly cursorHint?: boolean;
}

/** One page of a listing: a table of its items, then how to get the next page. */
export function printPage<T>(
  ctx: Context,
  page: { readonly items: readonly T[]; readonly nextCursor?: string },
  view: PageView<T>,
): void {
  print(ctx, page, () =>
    [
      page.items.length === 0 ? view.empty : table(view.headers, page.items.map(view.row)),
      ...(page.nextCursor && view.cursorHint !== false ? ['', `More: --cursor ${page.nextCursor}`] : []),
    ].join('\n'),
  );
}

/** The outcome of an ops action (cancel, replay, abandon) and where it was audited. */
export function printAction(
  ctx: Context,
  result: { readonly message: string; readonly auditId: string },
): void {
  print(ctx, result, () => `${result.message}. Audit record ${result.auditId}.`);
}

/** A request's timeline or a job's history: time, event type, message. */
export function eventTable(
  events: ReadonlyArray<{ readonly at: number; readonly type: string; readonly message: string }>,
): string {
  return table(
    ['time', 'event', 'message'],
    events.map((e) => [formatTime(e.at), e.type, e.message]),
    100,
  );
}
