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
 *
 * This file parses the arguments and dispatches; each command lives in commands/, with what they
 * share (options, checks on their values, printing) in commands/shared.ts.
 */
import { parseArgs } from 'node:util';
import { ApiCallError } from './api-client';
import { auditCommand } from './commands/audit';
import { configCommand } from './commands/config';
import { jobsCommand } from './commands/jobs';
import { requestsCommand } from './commands/requests';
import { type Context, OPTIONS, UsageError } from './commands/shared';

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
