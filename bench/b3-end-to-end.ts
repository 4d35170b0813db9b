/**
 * B3 end to end: backup requests ordered through the ServiceNow simulator's requester side (signed
 * webhooks to the real API), run by the real workers against the Storware simulator, ticket closed
 * through the outbox — the whole local stack in one process on one Redis. Each run is a fresh
 * stack. Measured: completed requests per second, Storware and ServiceNow calls per request,
 * request latency, ticket-update lag (ledger `request.succeeded` → `ticket.updated` to state 3),
 * and how many worker slots are busy while the Storware tasks run (waiting is a delayed job, so
 * it should be none).
 *
 * Baselines from the same run: a slot-holding design (a worker keeps its slot while its backup
 * runs) can complete at most slots ÷ backup duration requests per second; P4's ideal is
 * slots ÷ active slot time per request, measured by sampling the active count; the ticket lag is
 * set against one direct ServiceNow state read + PATCH from the same client.
 */
import { startLocalStack, localConnectorYaml, type LocalStack } from '../src/cli/local-stack';
import { ledgerKeys } from '../src/ledger/codec';
import type { LedgerEntry } from '../src/ledger';
import { FIXTURE } from '../src/simulators/fixture-ids';
import { benchLogger, runPool } from './lib/connector';
import type { BenchContext } from './lib/context';
import { deleteByPrefix } from './lib/redis';
import type { Figure, ScenarioResult } from './lib/result';
import { distribution, median, ratio, sleep } from './lib/stats';

export interface EndToEndOptions {
  readonly requests: number;
  /** EXPORT and STORE each; a backup takes twice this. */
  readonly taskDurationMs: number;
  readonly maxRunningTasks: number;
  readonly pollIntervalSeconds: number;
  /** Orders (webhooks) in flight at once. */
  readonly orderConcurrency: number;
  readonly warmupRequests: number;
  /** Give up on a run after this long. */
  readonly timeoutMs: number;
}

export const END_TO_END_DEFAULTS: EndToEndOptions = {
  requests: 500,
  taskDurationMs: 500,
  maxRunningTasks: 100_000,
  pollIntervalSeconds: 1,
  orderConcurrency: 16,
  warmupRequests: 60,
  timeoutMs: 150_000,
};

export const END_TO_END_QUICK: EndToEndOptions = {
  ...END_TO_END_DEFAULTS,
  requests: 50,
  warmupRequests: 10,
  timeoutMs: 60_000,
};

const TARGETS = [
  { user: 'alice', instance: FIXTURE.instances.acmeWeb.uuid },
  { user: 'alice', instance: FIXTURE.instances.acmeDb.uuid },
  { user: 'carol', instance: FIXTURE.instances.globexApp.uuid },
] as const;

interface Sample {
  readonly at: number;
  readonly active: number;
  readonly waiting: number;
  readonly delayed: number;
  /** Requests whose watched Storware task is running. */
  readonly running: number;
  /** Of those, how many have their run job active (holding a worker slot). */
  readonly holding: number;
  /** Ticket-update jobs waiting for a worker (the outbox's backlog). */
  readonly ticketUpdatesWaiting: number;
}

export interface EndToEndRun {
  readonly requests: number;
  readonly succeeded: number;
  readonly otherOutcomes: Record<string, number>;
  readonly rejectedOrders: number;
  readonly makespanMs: number;
  readonly orderSpanMs: number;
  readonly completedPerSecond: number;
  readonly slots: number;
  readonly slotHoldingIdealPerSecond: number;
  readonly activeSlotSecondsPerRequest: number;
  readonly p4IdealPerSecond: number;
  readonly latencyMs: ReturnType<typeof distribution>;
  readonly ticketLagMs: ReturnType<typeof distribution>;
  readonly directTicketWriteMs: number;
  readonly storwareCallsPerRequest: number;
  /** The same flow with a per-task poller: its calls minus the shared poller's, plus one GET per task phase per interval. */
  readonly perTaskPollingCallsPerRequest: number;
  readonly servicenowCallsPerRequest: number;
  readonly storwareCalls: Record<string, number>;
  readonly servicenowCalls: Record<string, number>;
  /** Pages per adoption search (GET /tasks?protected-entity&type), first and last tenth of the searches. */
  readonly adoptionListCalls: { readonly firstTenth: number; readonly lastTenth: number };
  /**
   * Sampled while watched Storware tasks run: how many run (requests waiting on a task), how many
   * of those requests have their job active, i.e. hold a worker slot while waiting, and how many
   * jobs are active at all.
   */
  readonly whileTasksRun: {
    readonly samples: number;
    readonly meanRunning: number;
    readonly meanHolding: number;
    readonly meanActive: number;
  };
  readonly meanActiveOverall: number;
  /** Ticket-update jobs waiting for a worker, sampled: the closing PATCH queues behind these. */
  readonly ticketUpdatesWaiting: { readonly max: number; readonly mean: number };
}

function route(method: string, path: string, query: Record<string, string>): string {
  const template = path
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':guid')
    .replace(/\/[0-9a-f]{32}(?=\/|$)/g, '/:sys_id');
  const keys = Object.keys(query)
    .filter(
      (k) =>
        ![
          'page',
          'size',
          'sysparm_limit',
          'sysparm_offset',
          'sysparm_display_value',
          'sysparm_fields',
          'sysparm_exclude_reference_link',
          'sysparm_no_count',
          'sysparm_suppress_pagination_header',
        ].includes(k),
    )
    .sort();
  return `${method} ${template}${keys.length > 0 ? `?${keys.join('&')}` : ''}`;
}

function tally(
  calls: ReadonlyArray<{ method: string; path: string; query: Record<string, string> }>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const call of calls) {
    const key = route(call.method, call.path, call.query);
    out[key] = (out[key] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}

function eventAt(
  entry: LedgerEntry,
  predicate: (type: string, message: string) => boolean,
): number | undefined {
  return entry.timeline.find((e) => predicate(e.type, e.message))?.at;
}

async function oneRun(
  ctx: BenchContext,
  options: EndToEndOptions,
  n: number,
  label: string,
): Promise<EndToEndRun> {
  const prefix = `${ctx.root}:b3-${label}`;
  const logger = benchLogger(ctx.logLevel);
  const stack: LocalStack = await startLocalStack({
    redisUrl: ctx.redis.url,
    prefix,
    logger,
    connectorYaml: localConnectorYaml({
      pollIntervalSeconds: options.pollIntervalSeconds,
      serviceNowHourlyBudget: 1_000_000_000,
    }),
    storware: { taskDurationMs: options.taskDurationMs, maxRunningTasks: options.maxRunningTasks },
  });
  const workers = stack.workers!;
  const keys = ledgerKeys(prefix);
  const redis = ctx.redis.admin;
  const samples: Sample[] = [];
  let sampling = true;
  try {
    const slots = stack.config.workers.concurrency;
    const orderedAt = new Array<number>(n).fill(0);
    const sysIds = new Array<string>(n).fill('');
    let rejectedOrders = 0;
    const t0 = Date.now();

    // Every 250 ms the queue's counts; every other tick also which watched Storware tasks are
    // running and whether their request's job holds a worker slot meanwhile.
    const sampler = (async () => {
      let tick = 0;
      while (sampling) {
        const [counts, tickets] = await Promise.all([
          workers.deps.queues.requests.getJobCounts('active', 'waiting', 'delayed', 'prioritized'),
          workers.deps.queues['ticket-updates'].getJobCounts('waiting', 'prioritized'),
        ]);
        let running = samples[samples.length - 1]?.running ?? 0;
        let holding = samples[samples.length - 1]?.holding ?? 0;
        if (tick % 2 === 0) {
          const [watch, active] = await Promise.all([
            redis.hgetall(`${prefix}:tasks:watch`),
            workers.deps.queues.requests.getActive(0, slots),
          ]);
          const owners = new Map(
            Object.entries(watch).map(([guid, raw]) => [
              guid,
              (JSON.parse(raw) as { requestId: string }).requestId,
            ]),
          );
          const waitingOn = new Set(
            stack.storware.state
              .tasks()
              .filter((t) => t.state === 'RUNNING' && owners.has(t.guid))
              .map((t) => owners.get(t.guid)!),
          );
          running = waitingOn.size;
          holding = active.filter((job) =>
            waitingOn.has((job.data as { requestId: string }).requestId),
          ).length;
        }
        samples.push({
          at: Date.now(),
          active: counts.active ?? 0,
          waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
          delayed: counts.delayed ?? 0,
          running,
          holding,
          ticketUpdatesWaiting: (tickets.waiting ?? 0) + (tickets.prioritized ?? 0),
        });
        tick += 1;
        await sleep(250);
      }
    })();

    await runPool(n, options.orderConcurrency, async (i) => {
      const target = TARGETS[i % TARGETS.length]!;
      orderedAt[i] = Date.now();
      const result = await stack.servicenow.requester.order('storware_backup_now', {
        requestedFor: target.user,
        variables: { instance_id: target.instance, backup_type: 'FULL', priority: 50 },
      });
      sysIds[i] = result.ritm.sysId;
      if (result.deliveries.some((d) => d.status !== 202)) {
        rejectedOrders += 1;
      }
    });
    const orderSpanMs = Date.now() - t0;
    ctx.log(`B3 ${label}: ${n} ordered in ${(orderSpanMs / 1000).toFixed(1)} s`);

    const terminalKeys = ['succeeded', 'failed', 'rejected', 'cancelled', 'expired'].map((s) =>
      keys.stateIndex(s),
    );
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const pipeline = redis.pipeline();
      terminalKeys.forEach((k) => pipeline.zcard(k));
      pipeline.scard(`${prefix}:outbox:tickets`);
      const counts = ((await pipeline.exec()) ?? []).map(([, v]) => Number(v));
      const terminal = counts.slice(0, terminalKeys.length).reduce((a, b) => a + b, 0);
      const pendingTickets = counts[terminalKeys.length] ?? 0;
      if (terminal >= n && pendingTickets === 0) {
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `B3 ${label}: only ${terminal} of ${n} requests finished (${pendingTickets} tickets pending) within ${options.timeoutMs} ms`,
        );
      }
      await sleep(100);
    }
    sampling = false;
    await sampler;

    const entries = await Promise.all(sysIds.map((sysId) => workers.deps.ledger.getByRitm(sysId)));
    const outcomes: Record<string, number> = {};
    const latencies: number[] = [];
    const lags: number[] = [];
    let lastDone = t0;
    entries.forEach((entry, i) => {
      const state = entry?.state ?? 'missing';
      outcomes[state] = (outcomes[state] ?? 0) + 1;
      if (!entry) {
        return;
      }
      const done = eventAt(entry, (type) => type === `request.${entry.state}`);
      const ticket = eventAt(
        entry,
        (type, message) => type === 'ticket.updated' && /set to [34]$/.test(message),
      );
      if (done !== undefined) {
        latencies.push(done - orderedAt[i]!);
        lastDone = Math.max(lastDone, done);
        if (ticket !== undefined) {
          lags.push(ticket - done);
        }
      }
    });
    const makespanMs = lastDone - t0;
    const succeeded = outcomes.succeeded ?? 0;
    const { succeeded: _s, ...otherOutcomes } = outcomes;

    // Active slot time: the sampled active count integrated over the run.
    let slotMs = 0;
    for (let i = 1; i < samples.length; i += 1) {
      slotMs += samples[i - 1]!.active * (samples[i]!.at - samples[i - 1]!.at);
    }
    const withTasks = samples.filter((s) => s.running > 0);
    const during = samples.filter((s) => s.at <= lastDone);

    const storwareCalls = stack.storware.server.calls();
    const servicenowCalls = stack.servicenow.http.calls();
    // Adoption searches list the instance's EXPORT tasks page by page (a call without a page or
    // with page 0 starts one search). Pages per search, early in the run and late in it.
    const adoption = storwareCalls.filter(
      (c) => c.method === 'GET' && c.path === '/api/tasks' && c.query['protected-entity'] !== undefined,
    );
    const pagesPerSearch = (calls: typeof adoption) =>
      calls.length / Math.max(1, calls.filter((c) => (c.query.page ?? '0') === '0').length);
    const tenth = Math.max(1, Math.floor(adoption.length / 10));
    const adoptionListCalls = {
      firstTenth: pagesPerSearch(adoption.slice(0, tenth)),
      lastTenth: pagesPerSearch(adoption.slice(adoption.length - tenth)),
    };

    // The floor of a ticket update: one state read and one PATCH from the connector's client.
    const probe = sysIds[0]!;
    const writes: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const started = performance.now();
      await workers.deps.servicenow.getRequestItem(probe);
      await workers.deps.servicenow.updateRequestItem(probe, { work_notes: `bench probe ${i}` });
      writes.push(performance.now() - started);
    }

    const activeSlotSecondsPerRequest = slotMs / 1000 / n;
    return {
      requests: n,
      succeeded,
      otherOutcomes,
      rejectedOrders,
      makespanMs,
      orderSpanMs,
      completedPerSecond: (succeeded / makespanMs) * 1000,
      slots,
      slotHoldingIdealPerSecond: slots / ((2 * options.taskDurationMs) / 1000),
      activeSlotSecondsPerRequest,
      p4IdealPerSecond: slots / activeSlotSecondsPerRequest,
      latencyMs: distribution(latencies),
      ticketLagMs: distribution(lags),
      directTicketWriteMs: median(writes),
      storwareCallsPerRequest: storwareCalls.length / n,
      perTaskPollingCallsPerRequest:
        storwareCalls.filter(
          (c) =>
            !(
              c.method === 'GET' &&
              (c.path === '/api/tasks' ? c.query.states !== undefined : /^\/api\/tasks\/[^/]+$/.test(c.path))
            ),
        ).length /
          n +
        2 * Math.ceil(options.taskDurationMs / (options.pollIntervalSeconds * 1000)),
      servicenowCallsPerRequest: servicenowCalls.length / n,
      storwareCalls: tally(storwareCalls),
      servicenowCalls: tally(servicenowCalls),
      adoptionListCalls,
      whileTasksRun: {
        samples: withTasks.length,
        meanHolding: withTasks.reduce((a, s) => a + s.holding, 0) / Math.max(1, withTasks.length),
        meanRunning: withTasks.reduce((a, s) => a + s.running, 0) / Math.max(1, withTasks.length),
        meanActive: withTasks.reduce((a, s) => a + s.active, 0) / Math.max(1, withTasks.length),
      },
      meanActiveOverall: during.reduce((a, s) => a + s.active, 0) / Math.max(1, during.length),
      ticketUpdatesWaiting: {
        max: Math.max(0, ...during.map((s) => s.ticketUpdatesWaiting)),
        mean: during.reduce((a, s) => a + s.ticketUpdatesWaiting, 0) / Math.max(1, during.length),
      },
    };
  } finally {
    sampling = false;
    await stack.close();
    await deleteByPrefix(redis, prefix);
  }
}

export async function benchEndToEnd(ctx: BenchContext, options: EndToEndOptions): Promise<ScenarioResult> {
  ctx.log(`B3 warm-up (${options.warmupRequests} requests)`);
  await oneRun(ctx, options, options.warmupRequests, 'warm');
  const runs: EndToEndRun[] = [];
  for (let r = 0; r < ctx.runs; r += 1) {
    const run = await oneRun(ctx, options, options.requests, `r${r}`);
    runs.push(run);
    ctx.log(
      `B3 run ${r + 1}: ${run.completedPerSecond.toFixed(1)} req/s (${run.succeeded}/${run.requests} ok), ` +
        `latency p95 ${Math.round(run.latencyMs.p95)} ms, ticket lag p95 ${Math.round(run.ticketLagMs.p95)} ms, ` +
        `${run.storwareCallsPerRequest.toFixed(1)} Storware + ${run.servicenowCallsPerRequest.toFixed(1)} ServiceNow calls/req, ` +
        `slots held while tasks run ${run.whileTasksRun.meanHolding.toFixed(2)} of ${run.whileTasksRun.meanRunning.toFixed(0)} running`,
    );
  }
  const pick = (f: (r: EndToEndRun) => number) => runs.map(f);
  const fig = (
    id: string,
    metric: string,
    unit: string,
    value: (r: EndToEndRun) => number,
    baselineLabel: string | undefined,
    baseline?: (r: EndToEndRun) => number,
    extra: Partial<Figure> = {},
  ): Figure => {
    const values = pick(value);
    const baselines = baseline ? pick(baseline) : undefined;
    return {
      id,
      metric,
      unit,
      value: median(values),
      ...(baselines && baselineLabel
        ? {
            baseline: { label: baselineLabel, value: median(baselines) },
            ratio: median(values.map((v, i) => ratio(v, baselines[i]!))),
            baselineRuns: baselines,
          }
        : {}),
      runs: values,
      ...extra,
    };
  };
  const backupSeconds = (2 * options.taskDurationMs) / 1000;
  const failures = runs.reduce((n, r) => n + (r.requests - r.succeeded) + r.rejectedOrders, 0);
  return {
    id: 'B3',
    title: `B3 end to end (${options.requests} backups, ${options.taskDurationMs} ms EXPORT + ${options.taskDurationMs} ms STORE, poll ${options.pollIntervalSeconds} s)`,
    params: { ...options, runs: ctx.runs },
    figures: [
      fig(
        'B3.throughput',
        'completed backup requests/s',
        'req/s',
        (r) => r.completedPerSecond,
        `slot-holding design: slots ÷ ${backupSeconds} s backup`,
        (r) => r.slotHoldingIdealPerSecond,
      ),
      fig(
        'B3.p4',
        'throughput vs slots ÷ active slot time per request',
        'req/s',
        (r) => r.completedPerSecond,
        'P4 ideal: slots ÷ measured active time per request',
        (r) => r.p4IdealPerSecond,
        {
          goal: { id: 'P4', on: 'ratio', op: '>=', threshold: 0.9, text: 'ratio ≥ 0.9' },
        },
      ),
      fig(
        'B3.slots',
        'worker slots held per running Storware task',
        'slots',
        (r) =>
          r.whileTasksRun.samples === 0
            ? Number.NaN
            : r.whileTasksRun.meanHolding / Math.max(1e-9, r.whileTasksRun.meanRunning),
        'slot-holding design (1 slot per running task)',
        () => 1,
        {
          goal: { id: 'P4', on: 'value', op: '<=', threshold: 0.1, text: '≈ 0 (≤ 0.1)' },
          note: 'sampled: requests whose task runs in Storware and whose job is active at that moment',
        },
      ),
      fig(
        'B3.latency.p95',
        'request latency p95 (order → succeeded)',
        'ms',
        (r) => r.latencyMs.p95,
        'backup duration in Storware',
        () => 2 * options.taskDurationMs,
      ),
      fig(
        'B3.lag.p95',
        'ticket-update lag p95 (succeeded → state 3)',
        'ms',
        (r) => r.ticketLagMs.p95,
        'one direct state read + PATCH',
        (r) => r.directTicketWriteMs,
        {
          goal: { id: 'P6', on: 'value', op: '<=', threshold: 2_000, text: '≤ 2000 ms' },
        },
      ),
      fig(
        'B3.lag.p99',
        'ticket-update lag p99',
        'ms',
        (r) => r.ticketLagMs.p99,
        'one direct state read + PATCH',
        (r) => r.directTicketWriteMs,
        {
          goal: { id: 'P6', on: 'value', op: '<=', threshold: 5_000, text: '≤ 5000 ms' },
        },
      ),
      fig(
        'B3.storware',
        'Storware calls per request',
        'calls',
        (r) => r.storwareCallsPerRequest,
        'per-task polling: own calls + 1 GET per task per poll interval',
        (r) => r.perTaskPollingCallsPerRequest,
      ),
      fig(
        'B3.adoption',
        'pages per adoption search, last tenth of the run',
        'pages',
        (r) => r.adoptionListCalls.lastTenth,
        'same, first tenth of the run',
        (r) => r.adoptionListCalls.firstTenth,
        {
          note: 'ensureTask lists every EXPORT task of the instance before creating one',
        },
      ),
      fig(
        'B3.servicenow',
        'ServiceNow calls per request',
        'calls',
        (r) => r.servicenowCallsPerRequest,
        'contract minimum: 3 reads + 2 state writes',
        () => 5,
      ),
      {
        id: 'B3.failures',
        metric: 'requests not succeeded + webhooks not 202, all runs',
        unit: 'count',
        value: failures,
        goal: { id: 'L1', on: 'value', op: '<=', threshold: 0, text: '0' },
      },
    ],
    details: { runs },
  };
}
