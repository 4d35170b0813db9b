/**
 * /metrics reads queue depths, open and waiting requests and pending ticket updates from Redis at
 * scrape time, and counts what the instrumented code reports. Each app has its own registry.
 */
import request from 'supertest';
import { startMetricsServer } from '../../src/http/ops/metrics-server';
import { silentLogger } from '../../src/logger';
import { closeAll } from '../../src/processes/shutdown';
import {
  reportIntakeOutcome,
  reportJobAttempt,
  reportReconcilerRepair,
  reportTicketUpdateLag,
  reportUpstreamCall,
} from '../../src/observability/events';
import { bearer, startOpsApp, type OpsApp } from '../helpers/ops-app';

function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics', () => {
  let app: OpsApp;
  let other: OpsApp;

  beforeAll(async () => {
    [app, other] = await Promise.all([startOpsApp(), startOpsApp()]);
  });

  afterAll(async () => {
    await Promise.all([app?.close(), other?.close()]);
  });

  const scrape = async (target = app) =>
    (await request(target.url).get('/metrics').set(bearer(target.tokens.agent))).text;

  it('when requests wait and jobs fail, then the scrape shows queue depths, open requests and what they wait for', async () => {
    await app.seedRequest({ patch: { state: 'waiting_approval' } });
    await app.seedRequest({ patch: { state: 'waiting_window' } });
    const stuck = await app.seedRequest({ patch: { state: 'running' } });
    await app.failRequestJob(stuck);
    await app.outbox.enqueue(stuck.requestId, stuck.ritmSysId, { workNote: 'pending note' });

    const text = await scrape();
    expect(value(text, 'connector_queue_jobs{queue="requests",state="failed"}')).toBe(1);
    // Ticket updates are prioritized jobs (closing updates first), so they wait in that state.
    expect(
      (value(text, 'connector_queue_jobs{queue="ticket-updates",state="waiting"}') ?? 0) +
        (value(text, 'connector_queue_jobs{queue="ticket-updates",state="prioritized"}') ?? 0),
    ).toBe(1);
    expect(value(text, 'connector_requests_open{state="running"}')).toBe(1);
    expect(value(text, 'connector_requests_waiting{reason="approval"}')).toBe(1);
    expect(value(text, 'connector_requests_waiting{reason="window"}')).toBe(1);
    expect(value(text, 'connector_requests_waiting{reason="inventory"}')).toBe(0);
    expect(value(text, 'connector_ticket_updates_pending_tickets')).toBe(1);
    expect(value(text, 'connector_ticket_update_oldest_pending_seconds')).toBeGreaterThanOrEqual(0);
    expect(value(text, 'connector_metrics_collect_errors_total{collector="queue_jobs"}')).toBeUndefined();
  });

  it('when the instrumented code reports, then counters and histograms move in every live registry', async () => {
    reportUpstreamCall({ system: 'storware', operation: 'listTasks', status: 503, durationMs: 120 });
    reportUpstreamCall({ system: 'storware', operation: 'listTasks', status: 200, durationMs: 30 });
    reportUpstreamCall({
      system: 'servicenow',
      operation: 'getRequestItem',
      errorCode: 'ECONNREFUSED',
      durationMs: 2,
    });
    reportUpstreamCall({
      system: 'servicenow',
      operation: 'updateRequestItem',
      errorCode: 'ECONNABORTED',
      durationMs: 5000,
    });
    reportJobAttempt({ queue: 'requests', name: 'request.backup-now', outcome: 'retry', durationMs: 250 });
    reportIntakeOutcome('accepted', 'enqueued');
    reportTicketUpdateLag(3);
    reportReconcilerRepair('missing_job', 2);

    for (const target of [app, other]) {
      const text = await scrape(target);
      expect(
        value(
          text,
          'connector_upstream_errors_total{system="storware",operation="listTasks",kind="http_5xx"}',
        ),
      ).toBe(1);
      expect(
        value(
          text,
          'connector_upstream_request_duration_seconds_count{system="storware",operation="listTasks",status_class="2xx"}',
        ),
      ).toBe(1);
      expect(
        value(
          text,
          'connector_upstream_errors_total{system="servicenow",operation="getRequestItem",kind="network"}',
        ),
      ).toBe(1);
      expect(
        value(
          text,
          'connector_upstream_errors_total{system="servicenow",operation="updateRequestItem",kind="timeout"}',
        ),
      ).toBe(1);
      expect(
        value(
          text,
          'connector_job_duration_seconds_count{queue="requests",job="request.backup-now",outcome="retry"}',
        ),
      ).toBe(1);
      expect(
        value(
          text,
          'connector_job_duration_seconds_sum{queue="requests",job="request.backup-now",outcome="retry"}',
        ),
      ).toBeCloseTo(0.25);
      expect(value(text, 'connector_intake_outcomes_total{outcome="accepted",reason="enqueued"}')).toBe(1);
      expect(value(text, 'connector_ticket_update_lag_seconds_bucket{le="5"}')).toBe(1);
      expect(value(text, 'connector_reconciler_repairs_total{kind="missing_job"}')).toBe(2);
    }
  });

  it('when a worker process serves its own metrics listener, then it answers with a token and reads the same queues', async () => {
    const server = await startMetricsServer(app.config, silentLogger(), { port: 0, host: '127.0.0.1' });
    try {
      const url = `http://127.0.0.1:${server.port}`;
      expect((await request(url).get('/metrics')).status).toBe(401);
      const res = await request(url).get('/metrics').set(bearer(app.tokens.ops));
      expect(res.status).toBe(200);
      expect(value(res.text, 'connector_queue_jobs{queue="requests",state="failed"}')).toBe(1);
      expect((await request(url).get('/readyz')).status).toBe(200);
    } finally {
      await closeAll(server.closers, silentLogger(), 5_000);
    }
  });
});
