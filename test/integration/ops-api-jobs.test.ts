/**
 * Ops on failed work through the service API, on a real Redis and real BullMQ queues (no workers
 * run here, so a replayed job stays where the replay put it): listing and reading jobs with every
 * attempt's error, replay with a reason, abandon that closes the ticket through the outbox, bulk
 * replay with a dry run, cancel, and the audit trail of all of it.
 */
import request from 'supertest';
import { requestJobId } from '../../src/jobs/catalog';
import { bearer, startOpsApp, type OpsApp } from '../helpers/ops-app';
import type { ErrorBody } from '../../src/errors';
import { loadConnectorOpenApi } from '../helpers/openapi';

const openapi = loadConnectorOpenApi();

function documented(path: string, method: string, res: request.Response): void {
  expect(openapi.responseErrors(path, method, res.status, res.body)).toEqual([]);
}

/** The parameters or fields an error body names. */
function detailPaths(res: request.Response): string[] {
  return (res.body as ErrorBody).error.details.map((d) => d.path ?? '');
}

describe('jobs API', () => {
  let app: OpsApp;

  beforeAll(async () => {
    app = await startOpsApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  const get = (path: string, token = app.tokens.agent) => request(app.url).get(path).set(bearer(token));
  const post = (path: string, body: unknown, token = app.tokens.ops) =>
    request(app.url)
      .post(path)
      .set(bearer(token))
      .send(body as object);

  it('when a request job has failed, then it is listed with its ticket and shown with every attempt and the request', async () => {
    const entry = await app.seedRequest({
      patch: {
        state: 'running',
        tenant: 'acme',
        lastError: {
          code: 'storware_unavailable',
          message: 'Storware answered 503',
          retryable: true,
          at: Date.now(),
        },
      },
      event: { type: 'request.attempts_exhausted', message: 'Attempt 1 of 1 failed: Storware answered 503' },
    });
    await app.failRequestJob(entry, 'Storware answered 503 on listTasks');

    const list = await get('/api/jobs?state=failed&queue=requests');
    expect(list.status).toBe(200);
    documented('/api/jobs', 'get', list);
    expect(list.body.items).toContainEqual(
      expect.objectContaining({
        id: requestJobId(entry.requestId),
        queue: 'requests',
        state: 'failed',
        ticket: entry.number,
        requestId: entry.requestId,
        attemptsMade: 1,
        failedReason: 'Storware answered 503 on listTasks',
      }),
    );

    const detail = await get(`/api/jobs/${requestJobId(entry.requestId)}`);
    expect(detail.status).toBe(200);
    documented('/api/jobs/{id}', 'get', detail);
    expect(detail.body.attempts).toEqual([
      expect.objectContaining({ attempt: 1, error: 'Storware answered 503 on listTasks' }),
    ]);
    expect(detail.body.request).toMatchObject({
      ticket: entry.number,
      state: 'running',
      lastError: { code: 'storware_unavailable', explanation: expect.stringContaining('retries by itself') },
    });
    expect((detail.body as { history: Array<{ type: string }> }).history.map((e) => e.type)).toEqual([
      'request.attempts_exhausted',
    ]);

    const inQueue = await get(`/api/jobs/requests/${requestJobId(entry.requestId)}`);
    expect(inQueue.status).toBe(200);
    documented('/api/jobs/{queue}/{id}', 'get', inQueue);
  });

  it.each([
    ['no state', '/api/jobs', 'state'],
    ['an unknown state', '/api/jobs?state=dead', 'state'],
    ['an unknown queue', '/api/jobs?state=failed&queue=other', 'queue'],
    ['a limit of 0', '/api/jobs?state=failed&limit=0', 'limit'],
    ['an unknown parameter', '/api/jobs?state=failed&sort=asc', 'sort'],
    ['a forged cursor', '/api/jobs?state=failed&cursor=bm9wZQ', 'cursor'],
  ])('when the job list is asked with %s, then 400 names the parameter', async (_label, path, parameter) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_query');
    expect(detailPaths(res)).toContain(parameter);
    documented('/api/jobs', 'get', res);
  });

  it('when a job does not exist, then 404 job_not_found; a bad queue in the path is 400', async () => {
    const missing = await get('/api/jobs/run-r-ffffffffffffffffffffffffffffffff');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('job_not_found');
    documented('/api/jobs/{id}', 'get', missing);
    const badQueue = await get('/api/jobs/nowhere/run-r-ffffffffffffffffffffffffffffffff');
    expect(badQueue.status).toBe(400);
    expect(badQueue.body.error.details[0].path).toBe('queue');
  });

  it('when ops replays a failed request job with a reason, then it waits again with fresh attempts, and the ticket, timeline and audit say who and why', async () => {
    const entry = await app.seedRequest({ patch: { state: 'running', tenant: 'acme' } });
    const job = await app.failRequestJob(entry);

    const res = await post(`/api/jobs/${job.id}/replay`, { reason: 'Storware is back after maintenance' });
    expect(res.status).toBe(202);
    documented('/api/jobs/{id}/replay', 'post', res);
    expect(res.body).toMatchObject({
      action: 'replay',
      jobId: job.id,
      queue: 'requests',
      requestId: entry.requestId,
      ticket: entry.number,
    });

    const after = (await app.queues.requests.getJob(job.id!))!;
    expect(await after.getState()).toBe('waiting');
    expect(after.attemptsMade).toBe(0);
    const timeline = (await app.ledger.get(entry.requestId))!.timeline;
    expect(timeline.at(-1)).toMatchObject({
      type: 'ops.replayed',
      message: `Job ${job.id} replayed by oncall: Storware is back after maintenance`,
    });
    const pending = await app.outbox.pending(entry.requestId);
    expect(pending.at(-1)?.workNote).toMatch(
      /^Replay requested by oncall \(ops\): Storware is back after maintenance\./,
    );

    const audit = await get('/api/audit?actor=oncall');
    expect(audit.body.items[0]).toMatchObject({
      id: res.body.auditId,
      actor: 'oncall',
      role: 'ops',
      action: 'replay',
      outcome: 'done',
      reason: 'Storware is back after maintenance',
      target: { jobId: job.id, queue: 'requests', requestId: entry.requestId, ticket: entry.number },
    });
  });

  it('when ops replays a job that is not failed, then 409 says why and the refusal is audited', async () => {
    const entry = await app.seedRequest({ patch: { state: 'waiting_window' } });
    const job = await app.queues.requests.add(
      'request.backup-now',
      { requestId: entry.requestId, ritmSysId: entry.ritmSysId, number: entry.number, item: entry.item },
      { jobId: requestJobId(entry.requestId), delay: 60_000 },
    );
    const res = await post(`/api/jobs/${job.id}/replay`, { reason: 'try it' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'job_not_failed',
      message: `Job ${job.id} is delayed, not failed; only failed jobs can be replayed`,
    });
    documented('/api/jobs/{id}/replay', 'post', res);
    const audit = await get('/api/audit?limit=1');
    expect(audit.body.items[0]).toMatchObject({
      action: 'replay',
      outcome: 'refused',
      target: { jobId: job.id },
    });
  });

  it.each([
    ['no body', undefined],
    ['an empty reason', { reason: '   ' }],
    ['a reason over 500 characters', { reason: 'x'.repeat(501) }],
    ['an unknown field', { reason: 'ok', force: true }],
  ])('when a replay comes with %s, then 422 names the field', async (_label, body) => {
    const res = await post('/api/jobs/run-r-00000000000000000000000000000000/replay', body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_body');
    expect(res.body.error.details.length).toBeGreaterThan(0);
    documented('/api/jobs/{id}/replay', 'post', res);
  });

  it('when ops abandons a failed request job, then the request fails as abandoned, the closing update is queued and the job is gone', async () => {
    const entry = await app.seedRequest({ patch: { state: 'running', tenant: 'globex' } });
    const job = await app.failRequestJob(entry);

    const res = await post(`/api/jobs/${job.id}/abandon`, { reason: 'Instance was deleted by the tenant' });
    expect(res.status).toBe(202);
    documented('/api/jobs/{id}/abandon', 'post', res);

    const after = (await app.ledger.get(entry.requestId))!;
    expect(after.state).toBe('failed');
    expect(after.lastError).toMatchObject({
      code: 'abandoned',
      message: 'Abandoned by oncall: Instance was deleted by the tenant',
    });
    expect(after.timeline.at(-1)).toMatchObject({ type: 'ops.abandoned' });
    const closing = (await app.outbox.pending(entry.requestId)).at(-1)!;
    expect(closing.state).toBe(4);
    expect(closing.comment).toMatch(/could not complete your backup request.*service desk will contact you/);
    expect(closing.workNote).toContain('Abandoned by oncall (ops): Instance was deleted by the tenant.');
    expect(await app.queues.requests.getJob(job.id!)).toBeUndefined();

    const again = await post(`/api/jobs/${job.id}/abandon`, { reason: 'twice' });
    expect(again.status).toBe(404);
  });

  it('when ops abandons a ticket-update job, then 409 explains that only request jobs can be abandoned', async () => {
    const entry = await app.seedRequest();
    const [job] = await app.failJobs('ticket-updates', [
      {
        name: 'ticket.update',
        id: `tu-${entry.requestId}-1`,
        data: { requestId: entry.requestId, ritmSysId: entry.ritmSysId },
      },
    ]);
    const res = await post(`/api/jobs/${job!.id}/abandon`, { reason: 'no' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('not_a_request_job');
    // Ticket-update jobs are replayed instead.
    const replay = await post(`/api/jobs/${job!.id}/replay`, { reason: 'ServiceNow is reachable again' });
    expect(replay.status).toBe(202);
    expect(replay.body.queue).toBe('ticket-updates');
  });

  it('when ops asks for a bulk replay, then a dry run lists what matches and the real run replays it once', async () => {
    const acme = await app.seedRequest({
      patch: { state: 'running', tenant: 'acme' },
      item: 'storware_protect_vm',
    });
    const globex = await app.seedRequest({
      patch: { state: 'running', tenant: 'globex' },
      item: 'storware_protect_vm',
    });
    const acmeJob = await app.failRequestJob(acme);
    await app.failRequestJob(globex);

    const body = {
      reason: 'Storware outage over',
      limit: 10,
      filter: { tenant: 'acme', item: 'storware_protect_vm' },
    };
    const dry = await post('/api/jobs/replay', { ...body, dryRun: true });
    expect(dry.status).toBe(200);
    documented('/api/jobs/replay', 'post', dry);
    expect(dry.body).toMatchObject({
      dryRun: true,
      matched: 1,
      replayed: [{ jobId: acmeJob.id, ticket: acme.number }],
    });
    expect(await acmeJob.getState()).toBe('failed');

    const real = await post('/api/jobs/replay', body);
    expect(real.status).toBe(202);
    documented('/api/jobs/replay', 'post', real);
    expect((real.body as { replayed: Array<{ jobId: string }> }).replayed.map((r) => r.jobId)).toEqual([
      acmeJob.id,
    ]);
    expect(await (await app.queues.requests.getJob(acmeJob.id!))!.getState()).toBe('waiting');
    const audit = await get(`/api/audit?limit=1`);
    expect(audit.body.items[0]).toMatchObject({
      action: 'bulk-replay',
      outcome: 'done',
      target: { jobIds: [acmeJob.id], count: 1 },
    });
  });

  it.each([
    ['no limit', { reason: 'x' }, 'limit'],
    ['a limit over 500', { reason: 'x', limit: 501 }, 'limit'],
    ['no reason', { limit: 5 }, 'reason'],
    ['an unknown filter', { reason: 'x', limit: 5, filter: { state: 'failed' } }, 'filter.state'],
  ])('when a bulk replay has %s, then 422 names it', async (_label, body, field) => {
    const res = await post('/api/jobs/replay', body);
    expect(res.status).toBe(422);
    expect(detailPaths(res)).toContain(field);
  });

  it('when ops cancels an open request, then it is marked, its job is woken and a finished one answers 409', async () => {
    const entry = await app.seedRequest({ patch: { state: 'waiting_approval' } });
    await app.queues.requests.add(
      'request.backup-now',
      { requestId: entry.requestId, ritmSysId: entry.ritmSysId, number: entry.number, item: entry.item },
      { jobId: requestJobId(entry.requestId), delay: 3_600_000 },
    );
    const res = await post(`/api/requests/${entry.number}/cancel`, { reason: 'Requester asked by phone' });
    expect(res.status).toBe(202);
    documented('/api/requests/{number}/cancel', 'post', res);
    expect(res.body).toMatchObject({ action: 'cancel', ticket: entry.number, job: 'woken' });
    expect((await app.ledger.get(entry.requestId))!.cancelRequested).toBe(true);
    expect(await (await app.queues.requests.getJob(requestJobId(entry.requestId)))!.getState()).toBe(
      'waiting',
    );
    expect((await app.outbox.pending(entry.requestId)).at(-1)?.workNote).toBe(
      'Cancellation requested by oncall (ops): Requester asked by phone.',
    );

    const done = await app.seedRequest({ patch: { state: 'succeeded' } });
    const refused = await post(`/api/requests/${done.number}/cancel`, { reason: 'too late' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('request_finished');
  });

  it('when the audit trail is read with filters, then since and actor narrow it and a forged cursor is 400', async () => {
    const all = await get('/api/audit?limit=500');
    expect(all.status).toBe(200);
    documented('/api/audit', 'get', all);
    expect(all.body.items.length).toBeGreaterThan(3);
    expect((await get('/api/audit?actor=desk')).body.items).toEqual([]);
    const future = await get(`/api/audit?since=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(future.body.items).toEqual([]);
    const page = await get('/api/audit?limit=1');
    expect(page.body.nextCursor).toEqual(page.body.items[0].id);
    const next = await get(`/api/audit?limit=1&cursor=${page.body.nextCursor}`);
    expect(next.body.items[0].id < page.body.items[0].id).toBe(true);
    expect((await get('/api/audit?cursor=abc')).status).toBe(400);
    expect((await get('/api/audit?since=yesterday')).body.error.details[0].path).toBe('since');
  });
});
