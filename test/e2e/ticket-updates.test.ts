// Ticket updates and reconciliation end to end (issue: ServiceNow always ends up telling the
// truth): timelines as the requester and an agent read them, 429 honoured, finality, missed
// webhooks and lost updates repaired by the reconciler.
import { FIXTURE } from '../../src/simulators/fixture-ids';
import { reconcile } from '../../src/reconcile/sweep';
import { startTestStack, waitFor, type TestStack } from '../helpers/stack';

jest.setTimeout(60_000);

const ACME_WEB = FIXTURE.instances.acmeWeb.uuid;

describe('ticket updates and reconciliation', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  afterEach(() => {
    stack.servicenow.http.clearFaults();
  });

  const patches = (sysId: string) =>
    stack.servicenow.http.calls({ method: 'PATCH', path: new RegExp(`/sc_req_item/${sysId}$`) });

  it('when a backup runs, then the requester reads accepted → started → done, and agents get ids and evidence, in order', async () => {
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: ACME_WEB, backup_type: 'FULL' },
    });
    const entry = await stack.waitForFinish(ritm.sysId);
    await stack.waitForTicketState(ritm.sysId, '3');
    const comments = stack.notes(ritm.sysId, 'comments');
    expect(comments.map((c) => c.split(' ').slice(0, 4).join(' '))).toEqual([
      'We have received your',
      'Your full backup of',
      'Your backup of acme-web-01',
    ]);
    const notes = stack.notes(ritm.sysId, 'work_notes').join('\n');
    expect(notes).toContain(`request ${entry.requestId}`);
    expect(notes).toContain(entry.tasks.export!.guid);
    expect(notes).toContain(entry.tasks.store!.guid);
    // Exactly one state change per transition, never back.
    const states = patches(ritm.sysId)
      .map((c) => (c.body as { state?: string }).state)
      .filter(Boolean);
    expect(states).toEqual(['2', '3']);
  });

  it('when ServiceNow answers 429 with Retry-After, then no ticket write happens before it expires', async () => {
    stack.servicenow.http.addFault({
      method: 'PATCH',
      path: '^/api/now/table/sc_req_item/',
      status: 429,
      headers: { 'Retry-After': '2' },
      times: 1,
    });
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: ACME_WEB },
    });
    await stack.waitForFinish(ritm.sysId);
    await stack.waitForTicketState(ritm.sysId, '3');
    const all = stack.servicenow.http.calls({ method: 'PATCH', path: /sc_req_item/ });
    const limited = all.find((c) => c.status === 429)!;
    const after = all.filter((c) => c.at > limited.at);
    expect(after.length).toBeGreaterThan(0);
    expect(Math.min(...after.map((c) => c.at)) - limited.at).toBeGreaterThanOrEqual(1_900);
  });

  it('when a late or replayed update arrives after the ticket closed, then it never reopens the ticket', async () => {
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: ACME_WEB },
    });
    const entry = await stack.waitForFinish(ritm.sysId);
    await stack.waitForTicketState(ritm.sysId, '3');
    const outbox = stack.workers!.deps.outbox;
    await outbox.enqueue(entry.requestId, ritm.sysId, { state: 2, workNote: 'late accept' });
    await outbox.enqueue(entry.requestId, ritm.sysId, { state: 3, workNote: 'duplicate close' });
    await waitFor(
      async () => ((await outbox.pendingCount(entry.requestId)) === 0 ? true : undefined),
      10_000,
      'outbox drained',
    );
    expect(String(stack.ritm(ritm.sysId).state)).toBe('3');
    expect(stack.notes(ritm.sysId, 'work_notes').join('\n')).not.toMatch(/late accept|duplicate close/);
  });

  it('when the webhook never arrives, then the reconciler finds the ticket and the request runs', async () => {
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: ACME_WEB },
      webhook: { mode: 'drop' },
    });
    expect(await stack.entryFor(ritm.sysId)).toBeUndefined();
    const report = await reconcile(stack.workers!.deps, stack.redis);
    expect(report.missedWebhooks).toBe(1);
    const entry = await stack.waitForFinish(ritm.sysId);
    expect(entry.state).toBe('succeeded');
    expect(entry.timeline[0]?.type).toBe('request.reconciled');
    await stack.waitForTicketState(ritm.sysId, '3');
  });

  it('when the closing update is lost after the task finished, then the reconciler closes the ticket', async () => {
    // ServiceNow refuses every ticket write while the request runs to its end …
    stack.servicenow.http.addFault({ method: 'PATCH', path: '^/api/now/table/sc_req_item/', status: 503 });
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: ACME_WEB },
    });
    const entry = await stack.waitForFinish(ritm.sysId);
    // … and then the pending updates are lost (a Redis failover dropping them, say).
    const keys = stack.workers!.deps.outbox.keys(entry.requestId);
    await stack.redis.del(keys.pending);
    await stack.redis.srem(keys.tickets, entry.requestId);
    // A flusher that had already read the update must fail too (the fault is still on) before
    // ServiceNow recovers; otherwise the update was not lost, only late.
    const ticketQueue = stack.workers!.deps.queues['ticket-updates'];
    await waitFor(
      async () => ((await ticketQueue.getActiveCount()) === 0 ? true : undefined),
      15_000,
      'no active flush',
    );
    stack.servicenow.http.clearFaults();
    expect(String(stack.ritm(ritm.sysId).state)).not.toBe('3');

    const report = await reconcile(stack.workers!.deps, stack.redis, { graceMs: 0 });
    expect(report).toMatchObject({ closedTickets: 1 });
    await stack.waitForTicketState(ritm.sysId, '3');
    expect(stack.notes(ritm.sysId, 'work_notes').join('\n')).toMatch(/repaired by the reconciler/);
  });

  it('when the reconciler runs twice at once, then only one sweep works', async () => {
    const [a, b] = await Promise.all([
      reconcile(stack.workers!.deps, stack.redis),
      reconcile(stack.workers!.deps, stack.redis),
    ]);
    expect([a.skipped, b.skipped].filter((s) => s === 'locked')).toHaveLength(1);
  });
});
