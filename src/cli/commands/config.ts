/**
 * `config check`: loads the environment and CONNECTOR_CONFIG like a process start and reaches
 * Redis, Storware and ServiceNow directly (config-check.ts). The only command that does not go
 * through the service API.
 */
import { checkConfiguration, type CheckResult } from '../config-check';
import { type Context, integer, print, UsageError } from './shared';

/** Answers true when every check passed. */
export async function configCommand(ctx: Context, sub: string | undefined): Promise<boolean> {
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
