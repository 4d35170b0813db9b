/**
 * Found by the combined chaos run: a run job that BullMQ failed by itself ("job stalled more than
 * allowable limit" after its workers were killed or frozen again and again) never reached the
 * request's own failure handling, so the ledger said `running`, the ticket said nothing and nobody
 * was told. The reconciler now tells: the ledger gets the error, the ticket the technical-delay
 * note, once; the job stays in the failed set for ops. (The stall budget itself is now
 * WORKER_MAX_STALLED_COUNT, 10 by default, so a few crashes no longer fail a job.)
 */
import { UnrecoverableError, Worker } from 'bullmq';
import { requestJobId } from '../../src/jobs/catalog';
import { reconcile } from '../../src/reconcile/sweep';
import { TECHNICAL_DELAY } from '../../src/requests/wording';
import { FIXTURE } from '../../src/simulators/fixture-ids';
import { startTestStack, waitFor, type TestStack } from '../helpers/stack';

jest.setTimeout(60_000);

describe('a run job failed by BullMQ itself', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('when its stalls ran out, then the reconciler records it and tells the ticket once', async () => {
    const requests = stack.workers!.pool.workers.get('requests')!;
    await requests.pause();
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: FIXTURE.instances.acmeWeb.uuid },
    });
    const entry = await stack.waitForEntry(ritm.sysId, (e) => e.state === 'queued');
    // What BullMQ does to a job that stalled more often than maxStalledCount allows.
    const taker = new Worker('requests', null, {
      connection: stack.redis,
      prefix: stack.prefix,
      autorun: false,
    });
    let jobId: string | undefined;
    try {
      const job = await waitFor(() => taker.getNextJob('chaos-token'), 5_000, 'the run job');
      jobId = job.id;
      expect(job.id).toBe(requestJobId(entry.requestId));
      await job.moveToFailed(
        new UnrecoverableError('job stalled more than allowable limit'),
        'chaos-token',
        false,
      );
    } finally {
      await taker.close();
    }
    const job = { id: jobId };
    expect(await (await stack.workers!.deps.queues.requests.getJob(job.id!))?.getState()).toBe('failed');

    await reconcile(stack.workers!.deps, stack.redis);
    await reconcile(stack.workers!.deps, stack.redis);
    const after = await stack.entryFor(ritm.sysId);
    expect(after?.lastError).toMatchObject({ code: 'job_failed' });
    expect(after?.timeline.filter((e) => e.type === 'request.job_failed')).toHaveLength(1);
    await waitFor(
      () => stack.notes(ritm.sysId, 'comments').includes(TECHNICAL_DELAY) || undefined,
      10_000,
      'the note',
    );
    expect(stack.notes(ritm.sysId, 'comments').filter((c) => c === TECHNICAL_DELAY)).toHaveLength(1);
    expect(stack.notes(ritm.sysId, 'work_notes').join('\n')).toMatch(
      /job stalled more than allowable limit.*failed set/s,
    );
    void requests.resume();
  });
});
