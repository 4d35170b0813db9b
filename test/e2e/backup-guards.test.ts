// Guards and failure handling of "back up now" through both simulators and a real Redis
// (issue: workers — foreign instance, unmapped tenant, windows, Storware 5xx, FAILED task,
// expired session, cancel while waiting and while running, a lost answer to the create call).
import { FIXTURE } from '../../src/simulators/fixture-ids';
import { formatDateTime } from '../../src/clients/servicenow';
import { startTestStack, waitFor, type TestStack } from '../helpers/stack';

jest.setTimeout(60_000);

const ACME_WEB = FIXTURE.instances.acmeWeb.uuid;
const ACME_DB = FIXTURE.instances.acmeDb.uuid;

describe('back up now: guards and failures', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ env: { STORWARE_TIMEOUT_MS: '700' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  afterEach(() => {
    stack.storware.server.clearFaults();
    stack.storware.setTaskDuration(300);
  });

  const exportsOf = (uuid: string) => {
    const vm = stack.storware.state.vmByInstanceUuid(uuid);
    return stack.storware.state.tasks().filter((t) => t.type === 'EXPORT' && t.vmGuid === vm?.guid);
  };

  it("when a tenant names another tenant's instance, then it is refused as not found and nothing runs", async () => {
    const before = stack.storware.state.tasks().length;
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: FIXTURE.instances.globexApp.uuid },
    });
    const entry = await stack.waitForFinish(ritm.sysId);
    expect(entry).toMatchObject({ state: 'failed', lastError: { code: 'instance_not_found' } });
    await stack.waitForTicketState(ritm.sysId, '4');
    const comments = stack.notes(ritm.sysId, 'comments').join('\n');
    expect(comments).toContain(`instance ${FIXTURE.instances.globexApp.uuid} was not found in your project`);
    expect(comments).not.toMatch(/globex/i);
    expect(stack.storware.state.tasks().length).toBe(before);
  });

  it('when the requester works for a company without a mapping, then it is refused with the same words', async () => {
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'erin',
      variables: { instance_id: FIXTURE.instances.initechFile.uuid },
    });
    const entry = await stack.waitForFinish(ritm.sysId);
    expect(entry.lastError?.code).toBe('instance_not_found');
    await stack.waitForTicketState(ritm.sysId, '4');
    expect(stack.notes(ritm.sysId, 'comments').join('\n')).toContain('was not found in your project');
  });

  it('when the requested window starts later, then the job waits, the ticket says when, and it runs then', async () => {
    const start = Date.now() + 3_000;
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: ACME_DB, window_start: formatDateTime(start) },
    });
    const waiting = await stack.waitForEntry(ritm.sysId, (e) => e.state === 'waiting_window');
    expect(waiting.tasks).toEqual({});
    await waitFor(
      () => stack.notes(ritm.sysId, 'comments').find((c) => c.includes('will start at')),
      10_000,
      'window comment',
    );
    const done = await stack.waitForFinish(ritm.sysId, 20_000);
    expect(done.state).toBe('succeeded');
    expect(done.tasks.export!.createdAt).toBeGreaterThanOrEqual(Math.floor(start / 1000) * 1000 - 1_000);
  });

  it('when the requested window is already over, then the ticket closes incomplete saying so', async () => {
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: {
        instance_id: ACME_DB,
        window_start: formatDateTime(Date.now() - 7_200_000),
        window_end: formatDateTime(Date.now() - 3_600_000),
      },
    });
    const entry = await stack.waitForFinish(ritm.sysId);
    expect(entry).toMatchObject({ state: 'expired', lastError: { code: 'requested_window_over' } });
    await stack.waitForTicketState(ritm.sysId, '4');
    expect(stack.notes(ritm.sysId, 'comments').join('\n')).toMatch(/time window you asked for ended/);
  });

  it('when Storware answers 503 twice, then the job retries and exactly one export runs', async () => {
    const before = exportsOf(ACME_WEB).length;
    stack.storware.server.addFault({ method: 'POST', path: '^/api/tasks/export$', status: 503, times: 2 });
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: ACME_WEB },
    });
    const entry = await stack.waitForFinish(ritm.sysId, 30_000);
    expect(entry.state).toBe('succeeded');
    expect(exportsOf(ACME_WEB).length).toBe(before + 1);
    expect(entry.timeline.some((e) => e.type === 'request.retry')).toBe(true);
  });

  it('when the answer to the create call is lost after Storware created the task, then the retry adopts it', async () => {
    const before = exportsOf(ACME_WEB).length;
    // The simulator creates the task after 1.5 s; the client gives up after 0.7 s.
    stack.storware.server.addFault({ method: 'POST', path: '^/api/tasks/export$', delayMs: 1_500, times: 1 });
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: ACME_WEB },
    });
    const entry = await stack.waitForFinish(ritm.sysId, 30_000);
    expect(entry.state).toBe('succeeded');
    expect(exportsOf(ACME_WEB).length).toBe(before + 1);
    expect(entry.timeline.some((e) => e.type === 'task.adopted')).toBe(true);
  });

  it("when the export task fails in Storware, then the ticket closes incomplete with Storware's reason", async () => {
    stack.storware.failNextTask('export', 'Not enough space on backup destination');
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: ACME_DB },
    });
    const entry = await stack.waitForFinish(ritm.sysId);
    expect(entry).toMatchObject({ state: 'failed', lastError: { code: 'task_failed' } });
    await stack.waitForTicketState(ritm.sysId, '4');
    expect(stack.notes(ritm.sysId, 'comments').join('\n')).toContain(
      'Not enough space on backup destination',
    );
  });

  it('when the Storware session has expired, then the client logs in again and the backup runs', async () => {
    stack.storware.expireSessions();
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: ACME_DB },
    });
    expect((await stack.waitForFinish(ritm.sysId)).state).toBe('succeeded');
  });

  it('when the request is cancelled while it waits for its window, then nothing runs and the job stops', async () => {
    const before = exportsOf(ACME_DB).length;
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: ACME_DB, window_start: formatDateTime(Date.now() + 3_600_000) },
    });
    await stack.waitForEntry(ritm.sysId, (e) => e.state === 'waiting_window');
    await stack.servicenow.requester.cancel(ritm.sysId);
    const entry = await stack.waitForFinish(ritm.sysId);
    expect(entry.state).toBe('cancelled');
    expect(exportsOf(ACME_DB).length).toBe(before);
    const job = await stack.workers!.deps.queues.requests.getJob(`run-${entry.requestId}`);
    expect(await job?.getState()).toBe('completed');
  });

  it('when the request is cancelled while its export runs, then Storware is asked to cancel the task', async () => {
    stack.storware.setTaskDuration(20_000);
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: ACME_WEB },
    });
    const running = await stack.waitForEntry(ritm.sysId, (e) => e.tasks.export !== undefined);
    await stack.servicenow.requester.cancel(ritm.sysId);
    const entry = await stack.waitForFinish(ritm.sysId);
    expect(entry.state).toBe('cancelled');
    expect(stack.storware.state.task(running.tasks.export!.guid)?.state).toBe('CANCELLED');
    await waitFor(
      () => stack.notes(ritm.sysId, 'work_notes').find((n) => n.includes('asked Storware to cancel')),
      10_000,
      'cancel note',
    );
  });
});
