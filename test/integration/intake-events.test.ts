import { requestJobId, requestJobName } from '../../src/jobs/catalog';
import type { IntakeOutcome } from '../../src/intake/intake';
import { startIntakeApp, type IntakeApp } from '../helpers/intake-app';
import { signedDelivery, validBody, type BodyFields } from '../helpers/webhook';

let app: IntakeApp;

async function deliver(body: BodyFields): Promise<IntakeOutcome> {
  const { headers, rawBody } = signedDelivery(body);
  return app.intake.accept({ headers, rawBody, contentType: 'application/json' });
}

function requestIdOf(outcome: IntakeOutcome): string {
  if (outcome.kind !== 'accepted' && outcome.kind !== 'duplicate') {
    throw new Error(`expected a request id, got ${outcome.kind}`);
  }
  return outcome.requestId;
}

/** What a worker does while it waits for an approval or a window: the run job sits delayed. */
async function parkRunJob(requestId: string, body: BodyFields): Promise<void> {
  const jobId = requestJobId(requestId);
  const job = await app.queues.requests.getJob(jobId);
  await job?.remove();
  await app.queues.requests.add(
    requestJobName('storware_backup_now'),
    { requestId, ritmSysId: body.sys_id, number: body.number, item: 'storware_backup_now' },
    { jobId, delay: 3_600_000 },
  );
}

beforeEach(async () => {
  app = await startIntakeApp();
});

afterEach(async () => {
  await app.close();
});

describe('ritm.updated', () => {
  it('when the run job is delayed (waiting for approval), then an update promotes it so it runs now', async () => {
    const body = validBody();
    const requestId = requestIdOf(await deliver(body));
    await parkRunJob(requestId, body);
    expect(await app.queues.requests.getJobState(requestJobId(requestId))).toBe('delayed');

    const outcome = await deliver({ ...body, event: 'ritm.updated', sys_updated_on: '2026-11-28 21:10:00' });

    expect(outcome).toMatchObject({ kind: 'accepted', requestId, action: 'woken' });
    expect(await app.queues.requests.getJobState(requestJobId(requestId))).toBe('waiting');
    const entry = await app.ledger.get(requestId);
    expect(entry?.timeline.at(-1)).toMatchObject({ type: 'ritm.updated', data: { action: 'woken' } });
  });

  it('when the run job is already waiting, then an update leaves it alone and still no second job exists', async () => {
    const body = validBody();
    const requestId = requestIdOf(await deliver(body));

    const outcome = await deliver({ ...body, event: 'ritm.updated', sys_updated_on: '2026-11-28 21:10:00' });

    expect(outcome).toMatchObject({ kind: 'accepted', action: 'already_scheduled' });
    expect(await app.queues.requests.getJobState(requestJobId(requestId))).toBe('waiting');
    expect(await app.queues.requests.getJobCountByTypes('waiting', 'delayed')).toBe(1);
  });

  it('when no submission was ever seen, then an update creates the entry and queues the run job', async () => {
    const body = validBody({ event: 'ritm.updated' });
    const outcome = await deliver(body);

    expect(outcome).toMatchObject({ kind: 'accepted', status: 'queued', action: 'enqueued' });
    const requestId = requestIdOf(outcome);
    expect(await app.queues.requests.getJobState(requestJobId(requestId))).toBe('waiting');
    expect((await app.ledger.getByRitm(body.sys_id))?.state).toBe('queued');
  });

  it('when the request already finished, then an update is answered as a duplicate and queues nothing', async () => {
    const body = validBody();
    const requestId = requestIdOf(await deliver(body));
    await app.ledger.update(requestId, { state: 'succeeded' });
    await app.queues.requests.remove(requestJobId(requestId));

    const outcome = await deliver({ ...body, event: 'ritm.updated', sys_updated_on: '2026-11-28 22:00:00' });

    expect(outcome).toMatchObject({ kind: 'duplicate', requestId, status: 'succeeded', reason: 'closed' });
    expect(await app.queues.requests.getJob(requestJobId(requestId))).toBeUndefined();
  });
});

describe('ritm.cancelled', () => {
  it('when a waiting request is cancelled, then cancelRequested is recorded and the parked job is woken to act on it', async () => {
    const body = validBody();
    const requestId = requestIdOf(await deliver(body));
    await app.ledger.update(requestId, { state: 'waiting_approval' });
    await parkRunJob(requestId, body);

    const outcome = await deliver({
      ...body,
      event: 'ritm.cancelled',
      sys_updated_on: '2026-11-28 21:30:00',
    });

    expect(outcome).toMatchObject({
      kind: 'accepted',
      requestId,
      action: 'cancel_requested',
      status: 'waiting_approval',
    });
    const entry = await app.ledger.get(requestId);
    expect(entry?.cancelRequested).toBe(true);
    expect(entry?.state).toBe('waiting_approval');
    expect(entry?.timeline.some((e) => e.type === 'cancel.requested')).toBe(true);
    expect(await app.queues.requests.getJobState(requestJobId(requestId))).toBe('waiting');
  });
});

describe('ritm.submitted', () => {
  it('when the run job was lost while the request is open, then a redelivery adds it again (repair)', async () => {
    const body = validBody();
    const requestId = requestIdOf(await deliver(body));
    await app.ledger.update(requestId, { state: 'running' });
    await app.queues.requests.remove(requestJobId(requestId));
    // The dedupe keys are what a sender retry after the retention would no longer find.
    for (const key of await app.redis.keys(`${app.prefix}:intake:seen:*`)) {
      await app.redis.del(key);
    }

    const outcome = await deliver(body);

    expect(outcome).toMatchObject({ kind: 'accepted', requestId, status: 'running' });
    expect(await app.queues.requests.getJobState(requestJobId(requestId))).toBe('waiting');
    // A worker already moved the request on; the late intake must not move it back to queued.
    expect((await app.ledger.get(requestId))?.state).toBe('running');
  });
});
