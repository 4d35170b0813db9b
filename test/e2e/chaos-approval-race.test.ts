/**
 * Found by chaos R7 (Redis link slower than the lock): while a restore waited for approval, its job
 * was taken over by a second worker while the first still ran. Both posted the approval packet; the
 * later write moved the packet's time forward, so an approval given in between no longer counted and
 * the restore waited for a new one until the approval timeout. Now one claim per change decides who
 * posts, and the other runner uses the winner's time.
 *
 * Reproduced deterministically: two runs of the same job at once, each with its own (stale) token.
 */
import { Job } from 'bullmq';
import { requestJobId } from '../../src/jobs/catalog';
import { ITEM_FLOWS } from '../../src/items/flows';
import { runRequest } from '../../src/requests/run-request';
import { FIXTURE } from '../../src/simulators/fixture-ids';
import { startTestStack, type TestStack } from '../helpers/stack';

jest.setTimeout(60_000);

describe('two runners of one request at the approval gate', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('when both post at once, then one packet, one event, one time, and an approval given after it counts', async () => {
    const requests = stack.workers!.pool.workers.get('requests')!;
    await requests.pause();
    const { ritm } = await stack.servicenow.requester.order('storware_restore_point', {
      requestedFor: 'alice',
      variables: {
        instance_id: FIXTURE.instances.acmeWeb.uuid,
        backup_point: 'latest',
        target_name: 'race-copy',
      },
    });
    const entry = await stack.waitForEntry(ritm.sysId, () => true);
    const queue = stack.workers!.deps.queues.requests;
    const run = (job: Job, token: string) =>
      runRequest(ITEM_FLOWS.storware_restore_point, job, token, stack.workers!.deps);
    const id = requestJobId(entry.requestId);
    const [a, b] = await Promise.all([Job.fromId(queue, id), Job.fromId(queue, id)]);
    // Neither holds the lock, as for a runner whose lock was taken over: their moves fail, which is
    // the lost-lock path; what matters is what they wrote before that.
    const outcomes = await Promise.allSettled([run(a!, 'stale-token-a'), run(b!, 'stale-token-b')]);
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);

    const after = await stack.entryFor(ritm.sysId);
    const requested = after!.timeline.filter((e) => e.type === 'approval.requested');
    expect(requested).toHaveLength(1);
    const postedAt = (after!.approval as { postedAt: number }).postedAt;
    // The winner's time (taken when its run began), not a later one.
    expect(postedAt).toBeLessThanOrEqual(requested[0]!.at);
    expect(requested[0]!.at - postedAt).toBeLessThan(2_000);
    // A lost-lock run records no failure.
    expect(after!.timeline.filter((e) => e.type === 'request.retry')).toEqual([]);

    // A third run (the job's owner) finds the same time and counts an approval given after it.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await stack.servicenow.requester.approve(ritm.sysId, 'bob.acme');
    void requests.resume();
    await queue.promoteJobs();
    const done = await stack.waitForEntry(ritm.sysId, (e) => e.state === 'succeeded', 30_000);
    expect((done.approval as { postedAt: number }).postedAt).toBe(postedAt);
    expect(
      stack.notes(ritm.sysId, 'comments').filter((c) => c.includes('is waiting for approval')),
    ).toHaveLength(1);
  });
});
