/**
 * Failed work, end to end (simulators, API, workers, real Redis), with two attempts per job so a
 * Storware outage exhausts them quickly:
 * - a backup whose Storware task was created, then Storware failed: ops replays it, the run
 *   resumes from the ledger and finishes with the same task, never a second one;
 * - a backup that never got going because Storware's inventory did not answer: ops abandons it,
 *   and the ticket closes incomplete with the requester told the service desk will contact them
 *   and the reason in the work notes;
 * then the audit trail and the metrics tell the story.
 */
import type { components } from '../../spec/generated/connector';
import { requestJobId } from '../../src/jobs/catalog';
import { localConnectorYaml } from '../../src/cli/local-stack';
import { FIXTURE } from '../../src/simulators/fixture-ids';
import { loadConnectorOpenApi } from '../helpers/openapi';
import { stackApi, type StackApi } from '../helpers/ops-stack';
import { startTestStack, waitFor, type TestStack } from '../helpers/stack';

jest.setTimeout(60_000);

const openapi = loadConnectorOpenApi();

type Schemas = components['schemas'];

describe('replay and abandon through the real stack', () => {
  let stack: TestStack;
  let api: StackApi;

  beforeAll(async () => {
    stack = await startTestStack({
      connectorYaml: localConnectorYaml({ jobAttempts: 2, maxBackoffSeconds: 1 }),
    });
    api = stackApi(stack);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function waitForFailedJob(requestId: string): Promise<Schemas['JobDetail']> {
    return waitFor(
      async () => {
        const res = await api.get<Schemas['JobDetail']>(`/api/jobs/${requestJobId(requestId)}`);
        return res.status === 200 && res.body.state === 'failed' ? res.body : undefined;
      },
      30_000,
      'the request job to land in the failed set',
    );
  }

  it('when Storware fails after the export was created and ops replays the failed job, then the backup completes with the one export task', async () => {
    stack.storware.server.addFault({
      method: 'GET',
      path: '^/api/backups$',
      status: 503,
      body: { message: 'maintenance' },
    });
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: FIXTURE.instances.acmeWeb.uuid, backup_type: 'FULL', priority: '50' },
    });
    const entry = await stack.waitForEntry(ritm.sysId, (e) => e.tasks.export !== undefined);
    const failed = await waitForFailedJob(entry.requestId);
    expect(openapi.responseErrors('/api/jobs/{id}', 'get', 200, failed)).toEqual([]);
    // One assertion over both, so a failure shows what each attempt ended with.
    expect({ attemptsMade: failed.attemptsMade, errors: failed.attempts.map((a) => a.error) }).toEqual({
      attemptsMade: 2,
      errors: [expect.stringContaining('503'), expect.stringContaining('503')],
    });
    expect(failed.request?.lastError?.code).toBe('storware_unavailable');

    stack.storware.server.clearFaults();
    const replay = await api.post(`/api/jobs/${requestJobId(entry.requestId)}/replay`, {
      reason: 'Storware maintenance is over',
    });
    expect(replay.status).toBe(202);
    expect(openapi.responseErrors('/api/jobs/{id}/replay', 'post', 202, replay.body)).toEqual([]);

    const done = await stack.waitForFinish(ritm.sysId, 30_000);
    expect(done.state).toBe('succeeded');
    await stack.waitForTicketState(ritm.sysId, '3');
    const vm = stack.storware.state.vmByInstanceUuid(FIXTURE.instances.acmeWeb.uuid)!;
    const exports = stack.storware.state.tasks().filter((t) => t.type === 'EXPORT' && t.vmGuid === vm.guid);
    expect(exports).toHaveLength(1);
    expect(done.tasks.export?.guid).toBe(exports[0]!.guid);
    expect(stack.storware.server.calls({ method: 'POST', path: '/api/tasks/export' })).toHaveLength(1);
    expect(stack.notes(ritm.sysId, 'work_notes').join('\n')).toContain(
      'Replay requested by oncall (ops): Storware maintenance is over.',
    );
    expect(done.timeline.map((e) => e.type)).toContain('ops.replayed');
  });

  it('when Storware never answers and ops abandons the job, then the ticket closes incomplete with the reason and who', async () => {
    stack.storware.server.addFault({ method: 'GET', path: '^/api/virtual-machines$', status: 503 });
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: FIXTURE.instances.acmeDb.uuid, backup_type: 'INCREMENTAL', priority: '50' },
    });
    const entry = await stack.waitForEntry(ritm.sysId, () => true);
    await waitForFailedJob(entry.requestId);
    stack.storware.server.clearFaults();

    const abandon = await api.post(`/api/jobs/${requestJobId(entry.requestId)}/abandon`, {
      reason: 'Tenant will re-order after the migration',
    });
    expect(abandon.status).toBe(202);
    expect(openapi.responseErrors('/api/jobs/{id}/abandon', 'post', 202, abandon.body)).toEqual([]);

    await stack.waitForTicketState(ritm.sysId, '4');
    expect(stack.notes(ritm.sysId, 'comments').at(-1)).toMatch(
      /could not complete your backup request.*The service desk will contact you/,
    );
    expect(stack.notes(ritm.sysId, 'work_notes').join('\n')).toContain(
      'Abandoned by oncall (ops): Tenant will re-order after the migration.',
    );
    const after = await api.get(`/api/requests/${ritm.number}`);
    expect(after.body).toMatchObject({ state: 'failed', ticketState: '4', lastError: { code: 'abandoned' } });
    expect((await api.get(`/api/jobs/${requestJobId(entry.requestId)}`)).status).toBe(404);
    const vm = stack.storware.state.vmByInstanceUuid(FIXTURE.instances.acmeDb.uuid)!;
    expect(stack.storware.state.tasks().filter((t) => t.vmGuid === vm.guid)).toHaveLength(0);
  });

  it('when ops reads the audit trail and Prometheus scrapes, then both tell what happened', async () => {
    const audit = await api.get<Schemas['AuditPage']>('/api/audit?actor=oncall');
    expect(audit.body.items.map((r) => `${r.action}:${r.outcome}`)).toEqual(['abandon:done', 'replay:done']);
    expect(audit.body.items[0]).toMatchObject({
      reason: 'Tenant will re-order after the migration',
      role: 'ops',
    });

    const metrics = await api.get('/metrics');
    const value = (series: string) =>
      Number(
        metrics.text
          .split('\n')
          .find((l) => l.startsWith(`${series} `))
          ?.split(' ')[1] ?? NaN,
      );
    expect(
      value('connector_upstream_errors_total{system="storware",operation="listBackups",kind="http_5xx"}'),
    ).toBe(2);
    expect(
      value(
        'connector_upstream_errors_total{system="storware",operation="listVirtualMachines",kind="http_5xx"}',
      ),
    ).toBe(2);
    expect(
      value(
        'connector_job_duration_seconds_count{queue="requests",job="request.backup-now",outcome="failed"}',
      ),
    ).toBe(2);
    expect(
      value(
        'connector_job_duration_seconds_count{queue="requests",job="request.backup-now",outcome="retry"}',
      ),
    ).toBe(2);
    expect(value('connector_intake_outcomes_total{outcome="accepted",reason="enqueued"}')).toBe(2);
    expect(value('connector_queue_jobs{queue="requests",state="failed"}')).toBe(0);
    expect(value('connector_ops_actions_total{action="replay",outcome="done"}')).toBe(1);
    expect(value('connector_ops_actions_total{action="abandon",outcome="done"}')).toBe(1);
    expect(
      value(
        'connector_upstream_request_duration_seconds_count{system="servicenow",operation="updateRequestItem",status_class="2xx"}',
      ),
    ).toBeGreaterThan(0);
  });
});
