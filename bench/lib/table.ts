/** The result table, as aligned text for the terminal and as Markdown for latest.md. */
import type { MachineInfo } from './machine';
import type { Figure, ScenarioResult } from './result';
import { round } from './stats';

const COLUMNS = ['Figure', 'Metric', 'Connector', 'Baseline', 'Ratio', 'Goal', 'OK', 'Baseline is'] as const;

function num(value: number | undefined): string {
  if (value === undefined) {
    return '';
  }
  if (!Number.isFinite(value)) {
    return 'n/a';
  }
  const r = round(value, 3);
  return Math.abs(r) >= 10_000 ? Math.round(r).toLocaleString('en-US') : String(r);
}

function withUnit(value: number | undefined, unit: string | undefined): string {
  const text = num(value);
  return text === '' || text === 'n/a' || !unit ? text : `${text} ${unit}`;
}

export function rows(results: readonly ScenarioResult[]): string[][] {
  return results.flatMap((result) =>
    result.figures.map((f: Figure) => [
      f.id,
      f.metric,
      withUnit(f.value, f.unit),
      f.baseline ? withUnit(f.baseline.value, f.baseline.unit ?? f.unit) : '',
      f.ratio === undefined ? '' : `${num(f.ratio)}×`,
      f.goal ? `${f.goal.id}: ${f.goal.text}` : '',
      f.pass === undefined ? (f.goal ? '–' : '') : f.pass ? 'yes' : 'NO',
      f.baseline?.label ?? '',
    ]),
  );
}

export function textTable(results: readonly ScenarioResult[]): string {
  const body = rows(results);
  const all = [[...COLUMNS], ...body];
  const widths = COLUMNS.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(COLUMNS), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function escape(cell: string): string {
  return cell.replace(/\|/g, '\\|');
}

export function markdownTable(results: readonly ScenarioResult[]): string {
  const body = rows(results);
  return [
    `| ${COLUMNS.join(' | ')} |`,
    `| ${COLUMNS.map((_, i) => (i >= 2 && i <= 4 ? '---:' : '---')).join(' | ')} |`,
    ...body.map((r) => `| ${r.map(escape).join(' | ')} |`),
  ].join('\n');
}

export function machineLine(m: MachineInfo): string {
  return (
    `${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.os}; Node ${m.node}; ` +
    `Redis ${m.redis} (${m.redisMode}); bullmq ${m.bullmq}, ioredis ${m.ioredis}, express ${m.express}, ` +
    `autocannon ${m.autocannon}; load average ${m.loadAverageAtStart} at start; ${m.date}`
  );
}
