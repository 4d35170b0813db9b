/**
 * The fast slice of the chaos tier (`npm run test:chaos` has the whole matrix and the combined
 * 2,000-request run): the connector as real processes — one API, two workers — on a private
 * redis-server, a handful of requests through the ServiceNow simulator, and the faults most likely
 * to regress: a worker SIGKILLed after Storware created its task (R2), Storware 5xx and 429 (R8),
 * ServiceNow 5xx (R10), duplicate and out-of-order webhooks (R11), a poison payload (R13) and a
 * Redis crash with AOF (R5). Then I1–I4.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  failures,
  faultTable,
  planRequest,
  seededRandom,
  sleep,
  startChaosEnv,
  type ChaosEnv,
  type TrackedRequest,
} from '../helpers/chaos-env';
import { addPoisonJobs, topUpWorkers, waitUntil } from '../helpers/chaos-faults';
import { startRedisServer, type RedisServer } from '../helpers/chaos-redis';

jest.setTimeout(120_000);

describe('chaos, fast slice: real processes under a few faults', () => {
  let redis: RedisServer;
  let env: ChaosEnv;
  const logDir = mkdtempSync(join(tmpdir(), 'sic-chaos-fast-'));
  const rand = seededRandom(31);

  beforeAll(async () => {
    redis = await startRedisServer({ appendonly: true });
    env = await startChaosEnv({
      redisUrl: redis.url,
      logDir,
      seed: 31,
      resendAttempts: 4,
      env: { WORKER_LOCK_DURATION_MS: '3000' },
    });
    await Promise.all([env.startApi(), env.startWorker(), env.startWorker()]);
  });

  afterAll(async () => {
    await env?.close();
    await redis?.destroy();
  });

  it('when workers die, upstreams fail, webhooks repeat and Redis restarts, then I1–I4 hold for every request', async () => {
    const since = Date.now();
    const decider = env.startDecider();
    const batch: TrackedRequest[] = [];
    const exportsSince = () =>
      env.storware.state.tasks().filter((t) => t.type === 'EXPORT' && t.createdAt >= since).length;

    // R2: Storware creates the exports, their answers are held, the worker holding them is killed.
    await env.beginFault('R2 worker SIGKILL after the Storware call');
    env.proxy.addRule({ method: 'POST', path: '^/api/tasks/export$', delayResponseMs: 4_000, times: 4 });
    batch.push(...(await env.submitAll(Array.from({ length: 4 }, () => planRequest('backup', rand)))));
    await waitUntil(() => exportsSince() >= 4, 15_000, 'the exports');
    await Promise.all(env.liveWorkers().map((w) => w.kill()));
    env.proxy.clearRules();
    await topUpWorkers(env, 2);
    env.endFault('R2 worker SIGKILL after the Storware call');

    // R8 + R10: Storware and ServiceNow fail for a while.
    await env.beginFault('R8 Storware 503/429');
    await env.beginFault('R10 ServiceNow 503');
    env.storware.server.addFault({ method: 'POST', path: '^/api/tasks/export$', status: 503, times: 3 });
    env.storware.server.addFault({
      method: 'GET',
      path: '^/api/tasks$',
      status: 429,
      headers: { 'Retry-After': '1' },
      times: 3,
    });
    env.servicenow.http.addFault({
      method: 'PATCH',
      path: '^/api/now/table/sc_req_item/',
      status: 503,
      times: 4,
    });
    batch.push(
      ...(await env.submitAll(
        (['backup', 'protect', 'restore-approve', 'backup-foreign'] as const).map((k) =>
          planRequest(k, rand, (u) => env.backupPoint(u)),
        ),
      )),
    );
    await sleep(2_000);
    env.storware.server.clearFaults();
    env.servicenow.http.clearFaults();
    env.endFault('R8 Storware 503/429');
    env.endFault('R10 ServiceNow 503');

    // R11: the same delivery five times at once; a cancel that overtakes its order (lifo).
    await env.beginFault('R11 duplicate / out-of-order webhooks');
    batch.push(
      ...(await env.submitAll([planRequest('backup', rand)], {
        webhook: { duplicates: 4, concurrent: true },
      })),
    );
    const [held] = await env.submitAll([planRequest('backup', rand)], { webhook: { mode: 'hold' } });
    await env.servicenow.requester.cancel(held!.ritmSysId, { mode: 'hold' });
    held!.decision = 'cancelled';
    for (const d of await env.servicenow.webhooks.release({ order: 'lifo' })) {
      if (d.payload.event === 'ritm.submitted') {
        held!.statuses.push(d.status ?? 0);
        held!.acknowledged ||= d.status !== undefined && d.status < 300;
      }
    }
    batch.push(held!);
    env.endFault('R11 duplicate / out-of-order webhooks');

    // R13: a job no build can run, next to ordinary work.
    await env.beginFault('R13 poison payload');
    const poison = new Set(await addPoisonJobs(env, 'fast'));
    env.endFault('R13 poison payload');

    // R5: Redis killed mid-burst, back from its AOF.
    await env.beginFault('R5 Redis crash + AOF restart');
    const burst = env.submitAll(
      Array.from({ length: 8 }, () => planRequest('backup', rand)),
      { parallel: 2, paceMs: 150 },
    );
    await sleep(500);
    await redis.crash();
    await sleep(1_000);
    await redis.start();
    batch.push(...(await burst));
    env.endFault('R5 Redis crash + AOF restart');

    await env.settle(batch, 60_000);
    await decider.stop();
    const report = await env.check(batch, since, { allowedFailed: poison });
    process.stdout.write(
      `\n[chaos fast slice] ${batch.length} requests\n${faultTable(report, [...new Set(batch.flatMap((r) => [...r.faults]))].sort())}\n`,
    );
    expect(failures(report)).toBe('');
    expect(report.counts.I1).toBe(batch.length);
    for (const id of poison) {
      expect(await (await env.queues.requests.getJob(id))?.getState()).toBe('failed');
    }
  });
});
