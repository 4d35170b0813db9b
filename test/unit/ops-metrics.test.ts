/**
 * The event layer and the metrics registry without Redis: what the report functions publish, how
 * upstream failures are classified, that a scrape survives a Redis that does not answer, and that
 * closing stops listening.
 */
import type { Redis } from 'ioredis';
import type { Queues } from '../../src/jobs/queues';
import {
  publish,
  reportIntakeOutcome,
  reportOpsAction,
  reportReconcilerRepair,
  reportTicketUpdateLag,
  reportUpstreamCall,
  subscribe,
  type ConnectorEventName,
  type ConnectorEvents,
} from '../../src/observability/events';
import { createConnectorMetrics, upstreamErrorKind, type MetricsDeps } from '../../src/ops/metrics';
import type { TicketOutbox } from '../../src/ticket-updates/outbox';

const down = () => Promise.reject(new Error('Redis is down'));

/** Every Redis read fails, as when Redis is unreachable at scrape time. */
function deadDeps(): MetricsDeps {
  const queue = { getJobCounts: down };
  return {
    queues: { requests: queue, 'ticket-updates': queue, maintenance: queue } as unknown as Queues,
    redis: {
      pipeline: () => ({ zcard: () => undefined, lindex: () => undefined, exec: down }),
      hlen: down,
    } as unknown as Redis,
    prefix: '{unit}',
    outbox: { ticketsWithPending: down, keys: () => ({ pending: 'x' }) } as unknown as TicketOutbox,
    processMetrics: false,
  };
}

/** Collects the payloads of one event while `run` executes. */
function received<E extends ConnectorEventName>(name: E, run: () => void): Array<ConnectorEvents[E]> {
  const payloads: Array<ConnectorEvents[E]> = [];
  const stop = subscribe(name, (payload) => payloads.push(payload));
  try {
    run();
  } finally {
    stop();
  }
  return payloads;
}

describe('connector events', () => {
  it('when a report function is called, then its subscribers get the typed payload', () => {
    expect(received('intake.outcome', () => reportIntakeOutcome('accepted', 'enqueued'))).toEqual([
      { outcome: 'accepted', reason: 'enqueued' },
    ]);
    expect(received('reconciler.repair', () => reportReconcilerRepair('requeued_job'))).toEqual([
      { kind: 'requeued_job', count: 1 },
    ]);
    expect(
      received('upstream.call', () =>
        reportUpstreamCall({ system: 'servicenow', operation: 'getRequestItem', status: 200, durationMs: 4 }),
      ),
    ).toEqual([{ system: 'servicenow', operation: 'getRequestItem', status: 200, durationMs: 4 }]);
  });

  it('when a lag is negative or not a number, or a repair count is 0, then nothing is published', () => {
    expect(
      received('ticket.update_lag', () => {
        reportTicketUpdateLag(-1);
        reportTicketUpdateLag(Number.NaN);
        reportTicketUpdateLag(2);
      }),
    ).toEqual([{ seconds: 2 }]);
    expect(received('reconciler.repair', () => reportReconcilerRepair('closed_ticket', 0))).toEqual([]);
  });

  it('when a subscriber stops, then it gets no further events and other events never reach it', () => {
    const seen: string[] = [];
    const stop = subscribe('ops.action', ({ action, outcome }) => seen.push(`${action}:${outcome}`));
    publish('ops.action', { action: 'replay', outcome: 'done' });
    publish('tenant.throttled', { tenant: 'acme' });
    stop();
    publish('ops.action', { action: 'abandon', outcome: 'done' });
    expect(seen).toEqual(['replay:done']);
  });
});

describe('metrics registry', () => {
  it.each([
    [{ status: 200 }, undefined],
    [{ status: 404 }, 'http_4xx'],
    [{ status: 401 }, 'auth'],
    [{ status: 429 }, 'rate_limited'],
    [{ status: 502 }, 'http_5xx'],
    [{ errorCode: 'ETIMEDOUT' }, 'timeout'],
    [{ errorCode: 'ERR_CANCELED' }, 'timeout'],
    [{ errorCode: 'ECONNRESET' }, 'network'],
    [{}, 'network'],
  ])('when an upstream call ends with %j, then its error kind is %s', (outcome, kind) => {
    expect(upstreamErrorKind({ system: 'storware', operation: 'x', durationMs: 1, ...outcome })).toBe(kind);
  });

  it('when Redis does not answer at scrape time, then the scrape still renders and counts the failed reads', async () => {
    const metrics = createConnectorMetrics(deadDeps());
    try {
      const text = await metrics.render();
      expect(text).toContain('connector_metrics_collect_errors_total{collector="queue_jobs"} 1');
      expect(text).toContain('connector_metrics_collect_errors_total{collector="requests_open"} 1');
      expect(text).toContain('connector_metrics_collect_errors_total{collector="tasks_watched"} 1');
    } finally {
      metrics.close();
    }
  });

  it('when two registries live in one process, then both count; once one is closed, it stops', async () => {
    const first = createConnectorMetrics(deadDeps());
    const second = createConnectorMetrics(deadDeps());
    reportOpsAction('replay', 'done');
    first.close();
    reportOpsAction('replay', 'done');
    reportUpstreamCall({ system: 'storware', operation: 'login', status: 201, durationMs: 10 });
    const [a, b] = await Promise.all([first.render(), second.render()]);
    second.close();
    expect(a).toContain('connector_ops_actions_total{action="replay",outcome="done"} 1');
    expect(a).not.toContain('operation="login"');
    expect(b).toContain('connector_ops_actions_total{action="replay",outcome="done"} 2');
    expect(b).toContain(
      'connector_upstream_request_duration_seconds_count{system="storware",operation="login",status_class="2xx"} 1',
    );
  });
});
