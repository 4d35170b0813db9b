/**
 * `npm run bench`: every scenario against a local Redis and the simulators, each figure next to a
 * baseline measured in the same run, the median of at least three runs after a warm-up. Prints a
 * table and writes bench/results/latest.json and latest.md (the quick variant writes quick.*).
 *
 *   npm run bench                      full run (under 5 minutes on 2 cores), thresholds asserted
 *   npm run bench -- --quick           every scenario tiny (under a minute), nothing asserted (CI)
 *   npm run bench -- --only b1,b4      some scenarios
 *   npm run bench -- --scale 0.5       every size and duration times 0.5
 *   npm run bench -- --help            all flags
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchIntake, INTAKE_DEFAULTS, INTAKE_QUICK, type IntakeOptions } from './b1-intake';
import { benchEnqueue, ENQUEUE_DEFAULTS, ENQUEUE_QUICK, type EnqueueOptions } from './b2-enqueue';
import { benchEndToEnd, END_TO_END_DEFAULTS, END_TO_END_QUICK, type EndToEndOptions } from './b3-end-to-end';
import { benchPolling, POLLING_DEFAULTS, POLLING_QUICK, type PollingOptions } from './b4-polling';
import { benchMemory, MEMORY_DEFAULTS, MEMORY_QUICK, type MemoryOptions } from './b5-memory';
import type { BenchContext } from './lib/context';
import { machineInfo, type MachineInfo } from './lib/machine';
import { benchPrefix, deleteByPrefix, openBenchRedis } from './lib/redis';
import { evaluate, type ScenarioResult } from './lib/result';
import { machineLine, markdownTable, textTable } from './lib/table';

const HELP = `Usage: npm run bench -- [flags]

  --quick                 every scenario tiny (under a minute); thresholds are not asserted
  --only b1,b2,...        run only these scenarios (b1 intake, b2 enqueue, b3 end to end,
                          b4 polling, b5 memory)
  --scale F               multiply every scenario's size (and B1's durations) by F
  --runs N                measured runs per figure, median reported (default 3, at least 3)
  --no-assert             report thresholds but exit 0 even when one is missed
  --log-level L           connector log level, written to /dev/null (default info, as production)
  --redis-url URL         Redis to use (default REDIS_URL; else a private redis-server)
  --out DIR               where latest.json / latest.md go (default bench/results)
  --b1-duration S         seconds per closed-loop intake run (default 4)
  --b1-connections N      concurrent connections (default 50)
  --b1-rate R             fixed arrival rate for the latency runs (default 200 req/s)
  --b2-jobs N             deliveries per accept-path run (default 5000; plain adds use 4×)
  --b3-requests N         backup requests per end-to-end run (default 500)
  --b4-tasks N            Storware tasks running at once (default 2000)
  --b5-requests N         requests in flight for the memory figure (default 10000)
  -h, --help              this text
`;

type ScenarioId = 'b1' | 'b2' | 'b3' | 'b4' | 'b5';
const ALL: readonly ScenarioId[] = ['b1', 'b2', 'b3', 'b4', 'b5'];

function scaled(n: number, factor: number, min = 1): number {
  return Math.max(min, Math.round(n * factor));
}

function positive(value: string | undefined, name: string): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(`${name} must be a positive number, got ${value}`);
  }
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      scale: { type: 'string' },
      runs: { type: 'string' },
      'no-assert': { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'info' },
      'redis-url': { type: 'string' },
      out: { type: 'string' },
      'b1-duration': { type: 'string' },
      'b1-connections': { type: 'string' },
      'b1-rate': { type: 'string' },
      'b2-jobs': { type: 'string' },
      'b3-requests': { type: 'string' },
      'b4-tasks': { type: 'string' },
      'b5-requests': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const quick = values.quick === true;
  const scale = positive(values.scale, '--scale') ?? 1;
  const runs = Math.max(3, Math.floor(positive(values.runs, '--runs') ?? 3));
  const only = (values.only ?? ALL.join(','))
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  for (const id of only) {
    if (!(ALL as readonly string[]).includes(id)) {
      throw new Error(`--only: unknown scenario ${id} (use ${ALL.join(', ')})`);
    }
  }
  const assert = !quick && values['no-assert'] !== true;
  // Production runs express with NODE_ENV=production; both B1 routes are built after this.
  process.env.NODE_ENV ??= 'production';

  const b1Base = quick ? INTAKE_QUICK : INTAKE_DEFAULTS;
  const b1: IntakeOptions = {
    ...b1Base,
    durationSeconds:
      positive(values['b1-duration'], '--b1-duration') ?? scaled(b1Base.durationSeconds, scale),
    connections: positive(values['b1-connections'], '--b1-connections') ?? b1Base.connections,
    rate: positive(values['b1-rate'], '--b1-rate') ?? b1Base.rate,
    rateDurationSeconds: scaled(b1Base.rateDurationSeconds, scale),
    warmupSeconds: scaled(b1Base.warmupSeconds, scale),
  };
  const b2Base = quick ? ENQUEUE_QUICK : ENQUEUE_DEFAULTS;
  const b2: EnqueueOptions = {
    ...b2Base,
    jobs: positive(values['b2-jobs'], '--b2-jobs') ?? scaled(b2Base.jobs, scale, 50),
  };
  const b3Base = quick ? END_TO_END_QUICK : END_TO_END_DEFAULTS;
  const b3: EndToEndOptions = {
    ...b3Base,
    requests: positive(values['b3-requests'], '--b3-requests') ?? scaled(b3Base.requests, scale, 10),
  };
  const b4Base = quick ? POLLING_QUICK : POLLING_DEFAULTS;
  const b4: PollingOptions = {
    ...b4Base,
    tasks: positive(values['b4-tasks'], '--b4-tasks') ?? scaled(b4Base.tasks, scale, 10),
  };
  const b5Base = quick ? MEMORY_QUICK : MEMORY_DEFAULTS;
  const b5: MemoryOptions = {
    ...b5Base,
    requests: positive(values['b5-requests'], '--b5-requests') ?? scaled(b5Base.requests, scale, 50),
  };

  const started = performance.now();
  const redis = await openBenchRedis(values['redis-url'] ?? process.env.REDIS_URL);
  const root = benchPrefix();
  const log = (message: string) =>
    console.log(`[bench ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`);
  let machine: MachineInfo | undefined;
  const results: ScenarioResult[] = [];
  const failures: string[] = [];
  try {
    machine = await machineInfo(redis.admin, redis.mode);
    log(`machine: ${machineLine(machine)}`);
    log(`prefix ${root}, ${quick ? 'quick' : 'full'} run, ${runs} runs per figure, scale ${scale}`);
    const ctx: BenchContext = { redis, root, logLevel: values['log-level'] ?? 'info', quick, runs, log };
    const scenarios: Record<ScenarioId, () => Promise<ScenarioResult>> = {
      b1: () => benchIntake(ctx, b1),
      b2: () => benchEnqueue(ctx, b2),
      b3: () => benchEndToEnd(ctx, b3),
      b4: () => benchPolling(ctx, b4),
      b5: () => benchMemory(ctx, b5),
    };
    for (const id of ALL.filter((s) => only.includes(s))) {
      const t0 = performance.now();
      log(`${id.toUpperCase()} starts`);
      try {
        const result = await scenarios[id]();
        result.durationMs = Math.round(performance.now() - t0);
        results.push(result);
        log(`${id.toUpperCase()} done in ${(result.durationMs / 1000).toFixed(1)} s`);
      } catch (error) {
        failures.push(`${id.toUpperCase()}: ${(error as Error).stack ?? String(error)}`);
        log(`${id.toUpperCase()} FAILED: ${(error as Error).message}`);
      }
    }
  } finally {
    await deleteByPrefix(redis.admin, root).catch(() => undefined);
    await redis.close();
  }

  for (const result of results) {
    for (const figure of result.figures) {
      figure.pass = assert ? evaluate(figure) : undefined;
    }
  }
  const totalSeconds = Math.round((performance.now() - started) / 100) / 10;
  const missed = results.flatMap((r) => r.figures.filter((f) => f.pass === false).map((f) => f.id));

  console.log('');
  console.log(textTable(results));
  console.log('');
  if (machine) {
    console.log(`Machine: ${machineLine(machine)}`);
  }
  console.log(
    `${quick ? 'Quick' : 'Full'} run, ${runs} runs per figure (median), ${totalSeconds} s in all.` +
      (assert
        ? ` Thresholds missed: ${missed.length === 0 ? 'none' : missed.join(', ')}.`
        : ' Thresholds not asserted.'),
  );

  const out = values.out ?? join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  const name = quick ? 'quick' : 'latest';
  const document = {
    kind: quick ? 'quick' : 'full',
    machine,
    totalSeconds,
    loadAverageAtEnd: Math.round(loadavg()[0]! * 100) / 100,
    runsPerFigure: runs,
    scale,
    asserted: assert,
    thresholdsMissed: missed,
    scenarioErrors: failures,
    nodeEnv: process.env.NODE_ENV,
    logLevel: values['log-level'],
    scenarios: results,
  };
  writeFileSync(join(out, `${name}.json`), `${JSON.stringify(document, null, 2)}\n`);
  writeFileSync(
    join(out, `${name}.md`),
    markdown(document.kind, machine, results, totalSeconds, runs, assert, missed, failures),
  );
  log(`wrote ${join(out, `${name}.json`)} and ${name}.md`);

  if (failures.length > 0) {
    console.error(`\n${failures.length} scenario(s) failed:\n${failures.join('\n\n')}`);
    return 2;
  }
  return missed.length > 0 ? 1 : 0;
}

function markdown(
  kind: string,
  machine: MachineInfo | undefined,
  results: readonly ScenarioResult[],
  totalSeconds: number,
  runs: number,
  assert: boolean,
  missed: readonly string[],
  failures: readonly string[],
): string {
  const lines = [
    `# Benchmark results (${kind} run)`,
    '',
    machine ? `Machine: ${machineLine(machine)}` : 'Machine: unknown',
    '',
    `${runs} runs per figure, median reported; ${totalSeconds} s in all. ` +
      (assert
        ? `Thresholds asserted; missed: ${missed.length === 0 ? 'none' : missed.join(', ')}.`
        : 'Thresholds not asserted.'),
    '',
    markdownTable(results),
    '',
    ...results.map(
      (r) =>
        `- **${r.title}** (${((r.durationMs ?? 0) / 1000).toFixed(1)} s): ${Object.entries(r.params)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(', ')}`,
    ),
  ];
  if (failures.length > 0) {
    lines.push('', '## Scenario errors', '', ...failures.map((f) => `- ${f.split('\n')[0]}`));
  }
  return `${lines.join('\n')}\n`;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
