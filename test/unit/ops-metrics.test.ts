/**
 * The metrics registry without Redis: what the report functions feed, how upstream failures are
 * classified, that a scrape survives a Redis that does not answer, and that closing stops listening.
 */
import type { Redis } from 'ioredis';
import type { Queues } from '../../src/jobs/queues';
import {
  createConnectorMetrics,
  reportOpsAction,
  reportUpstreamCall,
  upstreamErrorKind,
  type MetricsDeps,
} from '../../src/observability/metrics';
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
