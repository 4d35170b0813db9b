/**
 * B4 polling scale: many Storware tasks running at once, each owned by a request as far as the
 * connector can tell (a ledger entry made with createOrGet, the task recorded on it, the task in
 * the watch, a delayed run job), and the connector's poller (`pollTasks` with the worker runtime's
 * deps) run once per interval, as the scheduler would. Tasks are created straight on the simulator
 * in batches, start together and end spread over a few intervals.
 *
 * Measured per poll: Storware calls (what the simulator recorded), wall time, Redis commands; and
 * per task: the delay from its end in Storware to the ledger saying FINISHED and to its run job
 * being promoted. Baselines: one GET per task per interval (a per-task poller), and the poll
 * interval itself for the delays and the poll's duration.
 */
import type { Job } from 'bullmq';
import type { StorwareTask } from '../src/clients/storware';
import { startLocalStack, localConnectorYaml, type LocalStack } from '../src/cli/local-stack';
import { requestJobId, requestJobName } from '../src/jobs/catalog';
import type { Ledger } from '../src/ledger';
import type { RequestDeps } from '../src/requests/deps';
import { pollTasks, type PollReport } from '../src/requests/poll-tasks';
import { ledgerTask } from '../src/requests/tasks';
import { FIXTURE } from '../src/simulators/fixture-ids';
import { benchLogger, runPool } from './lib/connector';
import type { BenchContext } from './lib/context';
import { webhookBodies } from './lib/deliveries';
import { countCommands, deleteByPrefix } from './lib/redis';
import type { Figure, ScenarioResult } from './lib/result';
import { distribution, median, ratio, sleep } from './lib/stats';

export interface PollingOptions {
  readonly tasks: number;
  /** How often the poller runs (the scheduler's `every`); 1 s in production-like runs. */
  readonly intervalMs: number;
  /** Polls while every task runs. */
  readonly steadyPolls: number;
  /** Intervals over which the tasks end. */
  readonly endSpreadIntervals: number;
  /** Tasks per create call. */
  readonly batch: number;
  readonly warmupTasks: number;
}

export const POLLING_DEFAULTS: PollingOptions = {
  tasks: 2_000,
  intervalMs: 1_000,
  steadyPolls: 3,
  endSpreadIntervals: 2,
  batch: 100,
  warmupTasks: 100,
};

export const POLLING_QUICK: PollingOptions = {
  ...POLLING_DEFAULTS,
  tasks: 100,
  intervalMs: 500,
  steadyPolls: 1,
  endSpreadIntervals: 1,
  warmupTasks: 20,
};

const PAGE_SIZE = 500;

interface PollRecord {
  readonly startedAt: number;
  readonly durationMs: number;
  readonly report: PollReport;
  readonly storwareCalls: number;
  readonly redisCommands: number;
  /** Tasks still running in Storware when the poll started. */
  readonly runningBefore: number;
}

export interface PollingRun {
  readonly tasks: number;
  readonly setupMs: number;
  readonly polls: readonly PollRecord[];
  readonly steadyCallsPerPoll: number;
  readonly steadyPollMs: number;
  readonly endingCallsPerPoll: number;
  readonly maxPollMs: number;
  readonly callsPerPollOverall: number;
  readonly ledgerDelayMs: ReturnType<typeof distribution>;
  readonly wakeDelayMs: ReturnType<typeof distribution>;
  readonly notWoken: number;
  readonly redisCommandsPerTaskPerPoll: number;
  /** One sequential GET /tasks/{guid} from the connector's client, simulator included. */
  readonly getTaskMs: number;
  /** Time an ending poll spends per ended task (the steady cost of the running ones taken out). */
  readonly perEndedTaskMs: number;
}

function steadyPollMsOf(steady: readonly PollRecord[]): number {
  return median(steady.map((p) => p.durationMs));
}

/** The worker runtime's deps, with the ledger write and the job promotion timed per request. */
function instrumented(deps: RequestDeps) {
  const finishedAt = new Map<string, number>();
  const wokenAt = new Map<string, number>();
  const ledger: Ledger = {
    ...deps.ledger,
    async updateTask(requestId, step, patch) {
      const result = await deps.ledger.updateTask(requestId, step, patch);
      if (patch.state === 'FINISHED' && !finishedAt.has(requestId)) {
        finishedAt.set(requestId, Date.now());
      }
      return result;
    },
  };
  const queue = deps.queues.requests;
  const requests = new Proxy(queue, {
    get(target, property, receiver) {
      if (property === 'getJob') {
        return async (id: string) => {
          const job = (await target.getJob(id)) as Job | undefined;
          if (job) {
            const promote = job.promote.bind(job);
            job.promote = async () => {
              await promote();
              wokenAt.set(id, Date.now());
            };
          }
          return job;
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  return {
    deps: { ...deps, ledger, queues: { ...deps.queues, requests } } satisfies RequestDeps,
    finishedAt,
    wokenAt,
  };
}

async function oneRun(
  ctx: BenchContext,
  options: PollingOptions,
  n: number,
  label: string,
): Promise<PollingRun> {
  const prefix = `${ctx.root}:b4-${label}`;
  const intervalMs = options.intervalMs;
  const stack: LocalStack = await startLocalStack({
    redisUrl: ctx.redis.url,
    prefix,
    logger: benchLogger(ctx.logLevel),
    connectorYaml: localConnectorYaml({ pollIntervalSeconds: Math.max(1, Math.round(intervalMs / 1000)) }),
    storware: { maxRunningTasks: n * 3, taskDurationMs: 600_000 },
    // The poller is driven here, once per interval; nothing else may run.
    workerOptions: { schedules: false },
  });
  const runtime = stack.workers!;
  await runtime.pool.close();
  const redisCounter = countCommands(runtime.connection);
  try {
    const deps = runtime.deps;
    const t0 = Date.now();
    // Every task starts at the same moment, once set-up is surely done; ends are spread.
    const setupBudgetMs = Math.max(750, n * 1.5);
    const startAt = t0 + setupBudgetMs;
    const steadyMs = (options.steadyPolls + 0.5) * intervalMs;
    const vms = [FIXTURE.instances.acmeWeb, FIXTURE.instances.acmeDb, FIXTURE.instances.globexApp].map(
      (instance) => stack.storware.state.vmByInstanceUuid(instance.uuid)!.guid,
    );
    const batches = Math.ceil(n / options.batch);
    const tasks: StorwareTask[] = [];
    for (let b = 0; b < batches; b += 1) {
      const size = Math.min(options.batch, n - b * options.batch);
      const spread = batches <= 1 ? 0 : (b / (batches - 1)) * options.endSpreadIntervals * intervalMs;
      stack.storware.setTaskDuration({ EXPORT: Math.round(steadyMs + spread), STORE: 600_000 });
      const created = await deps.storware.createExportTask({
        vmGuids: Array.from({ length: size }, (_, i) => vms[(b * options.batch + i) % vms.length]!),
        backupType: 'FULL',
        priority: 50,
        windowStart: startAt,
      });
      tasks.push(...created.tasks.filter((t) => t.type === 'EXPORT'));
    }
    if (tasks.length !== n) {
      throw new Error(`B4 ${label}: asked Storware for ${n} tasks, got ${tasks.length}`);
    }
    // As if requests owned them: a ledger entry each, the task recorded, watched, and a run job
    // sleeping as a delayed job until the poller wakes it.
    const bodies = webhookBodies(n);
    const owners = new Map<string, string>();
    await runPool(n, 64, async (i) => {
      const body = bodies[i]!;
      const task = tasks[i]!;
      const { entry } = await deps.ledger.createOrGet({
        ritmSysId: body.sys_id,
        number: body.number,
        item: 'storware_backup_now',
        receivedEvent: { type: 'request.received', message: 'bench' },
      });
      const now = Date.now();
      await deps.ledger.recordTask(entry.requestId, 'export', ledgerTask(task, now));
      await deps.watch.claim(task.guid, entry.requestId);
      await deps.watch.watch(task.guid, {
        requestId: entry.requestId,
        step: 'export',
        ritmSysId: body.sys_id,
      });
      await deps.queues.requests.add(
        requestJobName('storware_backup_now'),
        {
          requestId: entry.requestId,
          ritmSysId: body.sys_id,
          number: body.number,
          item: 'storware_backup_now',
        },
        { jobId: requestJobId(entry.requestId), delay: 3_600_000 },
      );
      owners.set(task.guid, entry.requestId);
    });
    const setupMs = Date.now() - t0;
    if (Date.now() > startAt) {
      ctx.log(`B4 ${label}: set-up took ${setupMs} ms, longer than the ${setupBudgetMs} ms planned`);
    }
    await sleep(Math.max(0, startAt + intervalMs / 2 - Date.now()));

    const probe = instrumented(deps);
    const polls: PollRecord[] = [];
    const maxPolls = options.steadyPolls + options.endSpreadIntervals + 6;
    let nextAt = Date.now();
    for (let p = 0; p < maxPolls; p += 1) {
      await sleep(Math.max(0, nextAt - Date.now()));
      const startedAt = Date.now();
      const runningBefore = stack.storware.state
        .tasks()
        .filter((t) => t.type === 'EXPORT' && t.state === 'RUNNING' && owners.has(t.guid)).length;
      const callsBefore = stack.storware.server.calls().length;
      redisCounter.reset();
      const report = await pollTasks(probe.deps);
      polls.push({
        startedAt,
        durationMs: Date.now() - startedAt,
        report,
        storwareCalls: stack.storware.server.calls().length - callsBefore,
        redisCommands: redisCounter.read(),
        runningBefore,
      });
      nextAt = startedAt + intervalMs;
      if (report.watched === 0) {
        break;
      }
    }

    // One snapshot of Storware's tasks: each simulator read walks every task, so never per task.
    const endedAt = new Map(stack.storware.state.tasks().map((t) => [t.guid, t.finishTime]));
    const ledgerDelays: number[] = [];
    const wakeDelays: number[] = [];
    let notWoken = 0;
    for (const task of tasks) {
      const requestId = owners.get(task.guid)!;
      const ended = endedAt.get(task.guid);
      const finished = probe.finishedAt.get(requestId);
      const woken = probe.wokenAt.get(requestJobId(requestId));
      if (ended === undefined || woken === undefined) {
        notWoken += 1;
        continue;
      }
      if (finished !== undefined) {
        ledgerDelays.push(finished - ended);
      }
      wakeDelays.push(woken - ended);
    }
    // What one sequential GET /tasks/{guid} costs here, simulator included: the part of an ending
    // poll that is not the connector's own work.
    const probes = tasks.slice(0, Math.min(100, tasks.length));
    const getStarted = performance.now();
    for (const task of probes) {
      await deps.storware.getTask(task.guid);
    }
    const getMs = (performance.now() - getStarted) / probes.length;
    const steady = polls.filter((p) => p.report.ended === 0 && p.report.watched === n);
    const ending = polls.filter((p) => p.report.ended > 0);
    const measured = polls.filter((p) => p.report.watched > 0);
    return {
      tasks: n,
      setupMs,
      polls,
      steadyCallsPerPoll: median(steady.map((p) => p.storwareCalls)),
      steadyPollMs: median(steady.map((p) => p.durationMs)),
      endingCallsPerPoll: median(ending.map((p) => p.storwareCalls)),
      maxPollMs: Math.max(...measured.map((p) => p.durationMs)),
      callsPerPollOverall: measured.reduce((a, p) => a + p.storwareCalls, 0) / Math.max(1, measured.length),
      ledgerDelayMs: distribution(ledgerDelays),
      wakeDelayMs: distribution(wakeDelays),
      notWoken,
      getTaskMs: getMs,
      perEndedTaskMs: median(
        ending.map((p) => (p.durationMs - (steadyPollMsOf(steady) * p.report.running) / n) / p.report.ended),
      ),
      redisCommandsPerTaskPerPoll: median(steady.map((p) => p.redisCommands / Math.max(1, p.report.watched))),
    };
  } finally {
    await stack.close();
    await deleteByPrefix(ctx.redis.admin, prefix);
  }
}

export async function benchPolling(ctx: BenchContext, options: PollingOptions): Promise<ScenarioResult> {
  ctx.log(`B4 warm-up (${options.warmupTasks} tasks)`);
  const warm = await oneRun(ctx, options, options.warmupTasks, 'warm');
  const runs: PollingRun[] = [];
  for (let r = 0; r < ctx.runs; r += 1) {
    const run = await oneRun(ctx, options, options.tasks, `r${r}`);
    runs.push(run);
    ctx.log(
      `B4 run ${r + 1}: ${run.tasks} tasks, steady ${run.steadyCallsPerPoll} calls/poll in ${run.steadyPollMs} ms, ` +
        `ending ${run.endingCallsPerPoll} calls/poll, longest poll ${run.maxPollMs} ms, ` +
        `wake p95 ${Math.round(run.wakeDelayMs.p95)} ms, not woken ${run.notWoken}`,
    );
  }
  const intervalMs = options.intervalMs;
  const pages = Math.ceil(options.tasks / PAGE_SIZE);
  const fig = (
    id: string,
    metric: string,
    unit: string,
    value: (r: PollingRun) => number,
    baselineLabel: string,
    baseline: (r: PollingRun) => number,
    extra: Partial<Figure> = {},
  ): Figure => {
    const values = runs.map(value);
    const baselines = runs.map(baseline);
    return {
      id,
      metric,
      unit,
      value: median(values),
      baseline: { label: baselineLabel, value: median(baselines) },
      ratio: median(values.map((v, i) => ratio(v, baselines[i]!))),
      runs: values,
      baselineRuns: baselines,
      ...extra,
    };
  };
  const perTask = `per-task polling: 1 GET per task per interval`;
  return {
    id: 'B4',
    title: `B4 polling scale (${options.tasks} tasks running, poll every ${options.intervalMs} ms)`,
    params: { ...options, runs: ctx.runs, pageSize: PAGE_SIZE },
    figures: [
      fig(
        'B4.calls.steady',
        'Storware calls per poll, all tasks running',
        'calls',
        (r) => r.steadyCallsPerPoll,
        perTask,
        (r) => r.tasks,
        {
          goal: {
            id: 'L2',
            on: 'value',
            op: '<=',
            threshold: pages,
            text: `≤ ${pages} (pages of ${PAGE_SIZE})`,
          },
        },
      ),
      fig(
        'B4.calls.ending',
        'Storware calls per poll while tasks end',
        'calls',
        (r) => r.endingCallsPerPoll,
        perTask,
        (r) => r.tasks,
        {
          note: 'one GET per task that ended since the last poll, on top of the pages',
        },
      ),
      fig(
        'B4.poll.steady',
        'poll duration, all tasks running',
        'ms',
        (r) => r.steadyPollMs,
        'poll interval',
        () => intervalMs,
        {
          goal: {
            id: 'L2',
            on: 'value',
            op: '<=',
            threshold: intervalMs,
            text: `≤ ${intervalMs} ms (the interval)`,
          },
        },
      ),
      fig(
        'B4.poll.max',
        'longest poll',
        'ms',
        (r) => r.maxPollMs,
        'poll interval',
        () => intervalMs,
        {
          goal: {
            id: 'L2',
            on: 'value',
            op: '<=',
            threshold: intervalMs,
            text: `≤ ${intervalMs} ms (the interval)`,
          },
        },
      ),
      fig(
        'B4.poll.perEnded',
        'ending poll time per ended task',
        'ms',
        (r) => r.perEndedTaskMs,
        'one sequential GET /tasks/{guid} alone',
        (r) => r.getTaskMs,
        {
          note: 'each ended task: a GET, then ledger, unwatch and wake one after the other',
        },
      ),
      fig(
        'B4.ledger.p95',
        'task end → ledger FINISHED, p95',
        'ms',
        (r) => r.ledgerDelayMs.p95,
        'poll interval',
        () => intervalMs,
      ),
      fig(
        'B4.wake.p95',
        'task end → run job woken, p95',
        'ms',
        (r) => r.wakeDelayMs.p95,
        'poll interval',
        () => intervalMs,
        {
          goal: {
            id: 'L2',
            on: 'value',
            op: '<=',
            threshold: 2 * intervalMs,
            text: `≤ ${2 * intervalMs} ms (2 intervals)`,
          },
        },
      ),
      fig(
        'B4.wake.max',
        'task end → run job woken, max',
        'ms',
        (r) => r.wakeDelayMs.max,
        'poll interval',
        () => intervalMs,
      ),
      fig(
        'B4.redis',
        'Redis commands per watched task per poll',
        'cmds',
        (r) => r.redisCommandsPerTaskPerPoll,
        'one pipelined write per task',
        () => 1,
      ),
      {
        id: 'B4.notWoken',
        metric: 'tasks whose run job was never woken, all runs',
        unit: 'count',
        value: runs.reduce((a, r) => a + r.notWoken, 0),
        goal: { id: 'L1', on: 'value', op: '<=', threshold: 0, text: '0' },
      },
    ],
    details: {
      // The simulator's cost per GET grows with the tasks it holds: compare with runs[].getTaskMs.
      warmUp: { tasks: warm.tasks, getTaskMs: warm.getTaskMs, maxPollMs: warm.maxPollMs },
      runs,
    },
  };
}
