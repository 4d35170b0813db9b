/**
 * The Prometheus registry behind /metrics. `createConnectorMetrics` builds one per app instance
 * (not prom-client's global one, so tests can build several). It counts the events the
 * instrumented code reports (src/observability/events.ts) and adds gauges read from Redis at scrape
 * time: queue depths, open requests by state, waiting approvals and windows, pending ticket updates.
 *
 * Events are in-process. In `start all` and the local stack, workers share the API's process, so
 * the API's /metrics sees their job and client metrics too; a separate worker process publishes
 * into the void unless it serves its own registry (see the README, "Metrics").
 *
 * Labels are closed sets (operation names, job names, outcome words), never ids.
 */
import type { Redis } from 'ioredis';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { QUEUE_NAMES } from '../jobs/catalog';
import type { Queues } from '../jobs/queues';
import { ledgerKeys } from '../ledger/codec';
import { isTerminalState, REQUEST_STATES, type RequestState } from '../ledger';
import type { TicketOutbox } from '../ticket-updates/outbox';
import { subscribe, type UpstreamCallReport } from '../observability/events';

/** `http_5xx`, `timeout`, … for an upstream call, or undefined when it succeeded. */
export function upstreamErrorKind(report: UpstreamCallReport): string | undefined {
  if (report.status === undefined || report.status === 0) {
    const code = (report.errorCode ?? '').toUpperCase();
    return /TIMEOUT|TIMEDOUT|ECONNABORTED|ABORT|CANCELED/.test(code) ? 'timeout' : 'network';
  }
  if (report.status === 429) {
    return 'rate_limited';
  }
  if (report.status === 401 || report.status === 403) {
    return 'auth';
  }
  if (report.status >= 500) {
    return 'http_5xx';
  }
  if (report.status >= 400) {
    return 'http_4xx';
  }
  return undefined;
}

function statusClass(status: number | undefined): string {
  return status === undefined || status === 0 ? 'none' : `${Math.floor(status / 100)}xx`;
}

export interface MetricsDeps {
  readonly queues: Queues;
  readonly redis: Redis;
  readonly prefix: string;
  readonly outbox: TicketOutbox;
  /** Node process metrics (CPU, memory, event loop); on by default. */
  readonly processMetrics?: boolean;
  readonly now?: () => number;
}

export interface ConnectorMetrics {
  readonly registry: Registry;
  readonly contentType: string;
  /** The exposition text, after reading the scrape-time gauges. */
  render(): Promise<string>;
  /** Stops counting reported events. */
  close(): void;
}

const JOB_COUNT_STATES = [
  'waiting',
  'prioritized',
  'active',
  'delayed',
  'failed',
  'completed',
  'waiting-children',
] as const;

const OPEN_STATES: readonly RequestState[] = REQUEST_STATES.filter((s) => !isTerminalState(s));

const WAITING_REASON: Partial<Record<RequestState, string>> = {
  waiting_approval: 'approval',
  waiting_window: 'window',
  waiting_inventory: 'inventory',
};

/** Tickets looked at for the oldest pending update; beyond that the gauge is a lower bound. */
const OLDEST_PENDING_SAMPLE = 500;

export function createConnectorMetrics(deps: MetricsDeps): ConnectorMetrics {
  const registry = new Registry();
  const now = deps.now ?? Date.now;
  const keys = ledgerKeys(deps.prefix);
  if (deps.processMetrics !== false) {
    collectDefaultMetrics({ register: registry });
  }

  const collectErrors = new Counter({
    name: 'connector_metrics_collect_errors_total',
    help: 'Scrape-time reads that failed (Redis unreachable); the affected gauges keep their last value.',
    labelNames: ['collector'],
    registers: [registry],
  });
  /** Runs a scrape-time read; a failure is counted and never fails the whole scrape. */
  async function guarded(collector: string, read: () => Promise<void>): Promise<void> {
    try {
      await read();
    } catch {
      collectErrors.inc({ collector });
    }
  }

  const intake = new Counter({
    name: 'connector_intake_outcomes_total',
    help: 'Webhook deliveries by outcome (accepted, duplicate, invalid, unauthenticated, unavailable) and its code or action.',
    labelNames: ['outcome', 'reason'],
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'connector_job_duration_seconds',
    help: 'Duration of job attempts by queue, job name and outcome (completed, delayed, retry, failed, rate_limited).',
    labelNames: ['queue', 'job', 'outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const upstreamDuration = new Histogram({
    name: 'connector_upstream_request_duration_seconds',
    help: 'Latency of calls to Storware and ServiceNow by operation and status class.',
    labelNames: ['system', 'operation', 'status_class'],
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const upstreamErrors = new Counter({
    name: 'connector_upstream_errors_total',
    help: 'Failed calls to Storware and ServiceNow by operation and kind (http_4xx, http_5xx, auth, rate_limited, timeout, network).',
    labelNames: ['system', 'operation', 'kind'],
    registers: [registry],
  });
  const ticketLag = new Histogram({
    name: 'connector_ticket_update_lag_seconds',
    help: 'Time from queueing a ticket update to ServiceNow accepting it.',
    buckets: [0.5, 1, 5, 15, 30, 60, 120, 300, 900, 3600],
    registers: [registry],
  });
  const repairs = new Counter({
    name: 'connector_reconciler_repairs_total',
    help: 'Repairs made by the reconciler, by kind.',
    labelNames: ['kind'],
    registers: [registry],
  });
  const opsActions = new Counter({
    name: 'connector_ops_actions_total',
    help: 'Ops actions (replay, bulk-replay, abandon, cancel, dashboard) by outcome (done, refused, failed).',
    labelNames: ['action', 'outcome'],
    registers: [registry],
  });

  const tenantThrottled = new Counter({
    name: 'connector_tenant_throttled_total',
    help: "Requests that had to wait for a Storware slot because their tenant reached its starts per minute (tuning.tenantStartsPerMinute, a tenant's startsPerMinute).",
    labelNames: ['tenant'],
    registers: [registry],
  });

  const queueJobs = new Gauge({
    name: 'connector_queue_jobs',
    help: 'Jobs per queue and state, read at scrape time.',
    labelNames: ['queue', 'state'],
    registers: [registry],
  });
  const requestsOpen = new Gauge({
    name: 'connector_requests_open',
    help: 'Requests not finished yet, by state (from the ledger at scrape time).',
    labelNames: ['state'],
    registers: [registry],
  });
  const requestsWaiting = new Gauge({
    name: 'connector_requests_waiting',
    help: 'Requests sleeping until something happens: an approval, their time window, or the instance in the inventory.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const pendingTickets = new Gauge({
    name: 'connector_ticket_updates_pending_tickets',
    help: 'Tickets with updates queued in the outbox and not yet written to ServiceNow.',
    registers: [registry],
  });
  const oldestPending = new Gauge({
    name: 'connector_ticket_update_oldest_pending_seconds',
    help: 'Age of the oldest ticket update still waiting in the outbox (0 when none).',
    registers: [registry],
  });
  const tasksWatched = new Gauge({
    name: 'connector_storware_tasks_watched',
    help: 'Running Storware tasks the poller follows.',
    registers: [registry],
  });

  /**
   * Reads everything the gauges show, in parallel, before the registry is serialised: prom-client
   * serialises metrics concurrently, so reads inside `collect` callbacks could not report their own
   * failures in the same scrape.
   */
  async function refresh(): Promise<void> {
    await Promise.all([
      guarded('queue_jobs', async () => {
        const perQueue = await Promise.all(
          Object.values(QUEUE_NAMES).map(async (name) => ({
            name,
            counts: await deps.queues[name].getJobCounts(...JOB_COUNT_STATES),
          })),
        );
        queueJobs.reset();
        for (const { name, counts } of perQueue) {
          for (const state of JOB_COUNT_STATES) {
            queueJobs.set({ queue: name, state }, counts[state] ?? 0);
          }
        }
      }),
      guarded('requests_open', async () => {
        const pipeline = deps.redis.pipeline();
        for (const state of OPEN_STATES) {
          pipeline.zcard(keys.stateIndex(state));
        }
        const results = (await pipeline.exec()) ?? [];
        OPEN_STATES.forEach((state, i) => {
          const [error, value] = results[i] ?? [new Error('missing result'), 0];
          if (error) {
            throw error;
          }
          requestsOpen.set({ state }, Number(value));
          const reason = WAITING_REASON[state];
          if (reason) {
            requestsWaiting.set({ reason }, Number(value));
          }
        });
      }),
      guarded('ticket_updates_pending', async () => {
        const tickets = await deps.outbox.ticketsWithPending();
        pendingTickets.set(tickets.length);
        const pipeline = deps.redis.pipeline();
        for (const requestId of tickets.slice(0, OLDEST_PENDING_SAMPLE)) {
          pipeline.lindex(deps.outbox.keys(requestId).pending, 0);
        }
        const heads = tickets.length === 0 ? [] : ((await pipeline.exec()) ?? []);
        let oldest = Infinity;
        for (const [, raw] of heads) {
          if (typeof raw === 'string') {
            const head: unknown = JSON.parse(raw);
            if (
              typeof head === 'object' &&
              head !== null &&
              'createdAt' in head &&
              typeof head.createdAt === 'number'
            ) {
              oldest = Math.min(oldest, head.createdAt);
            }
          }
        }
        oldestPending.set(oldest === Infinity ? 0 : Math.max(0, (now() - oldest) / 1000));
      }),
      guarded('tasks_watched', async () => {
        tasksWatched.set(await deps.redis.hlen(`${deps.prefix}:tasks:watch`));
      }),
    ]);
  }

  const unsubscribers = [
    subscribe('upstream.call', (report) => {
      upstreamDuration.observe(
        { system: report.system, operation: report.operation, status_class: statusClass(report.status) },
        report.durationMs / 1000,
      );
      const kind = upstreamErrorKind(report);
      if (kind) {
        upstreamErrors.inc({ system: report.system, operation: report.operation, kind });
      }
    }),
    subscribe('job.attempt', (report) => {
      jobDuration.observe(
        { queue: report.queue, job: report.name, outcome: report.outcome },
        report.durationMs / 1000,
      );
    }),
    subscribe('intake.outcome', ({ outcome, reason }) => intake.inc({ outcome, reason })),
    subscribe('ticket.update_lag', ({ seconds }) => ticketLag.observe(seconds)),
    subscribe('reconciler.repair', ({ kind, count }) => repairs.inc({ kind }, count)),
    subscribe('ops.action', ({ action, outcome }) => opsActions.inc({ action, outcome })),
    subscribe('tenant.throttled', ({ tenant }) => tenantThrottled.inc({ tenant })),
  ];

  return {
    registry,
    contentType: registry.contentType,
    async render() {
      await refresh();
      return registry.metrics();
    },
    close() {
      for (const unsubscribe of unsubscribers) {
        unsubscribe();
      }
    },
  };
}
