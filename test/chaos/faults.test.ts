/**
 * The fault matrix R1–R15 (docs/reliability.md §4.2), one fault at a time, against the connector
 * as real processes: one API process and three worker processes (`start.ts api|worker`) on a private
 * redis-server with AOF, both simulators in this process, a fault proxy in front of Storware. Each
 * scenario orders a batch through the ServiceNow simulator's requester side (seeded), injects its
 * fault, stops it, and then checks the invariants on what the simulators and Redis hold:
 * I1 acknowledged → closed ticket, I2 ≤ 1 Storware task per request step, I3 expected final state,
 * I4 nothing active or open once faults stop. R7 puts a Toxiproxy-like TCP link
 * (helpers/chaos-tcp-proxy.ts) between the worker processes and Redis: latency past the lock, then
 * connection resets.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signWebhook } from '../../src/intake/standard-webhooks';
import {
  failures,
  planRequest,
  seededRandom,
  sleep,
  startChaosEnv,
  type ChaosEnv,
  type InvariantReport,
  type PlannedRequest,
  type RequestKind,
  type TrackedRequest,
} from '../helpers/chaos-env';
import {
  activeRequestJobs,
  addPoisonJobs,
  evictedKeys,
  logOffsets,
  loseRunJob,
  stalledEvents,
  topUpWorkers,
  waitUntil,
  withEvent,
} from '../helpers/chaos-faults';
import type { ConnectorProcess } from '../helpers/chaos-processes';
import { startRedisServer, type RedisServer } from '../helpers/chaos-redis';
import { startTcpProxy } from '../helpers/chaos-tcp-proxy';

jest.setTimeout(240_000);

const SEED = Number(process.env.CHAOS_SEED ?? 1128);
const WORKERS = 3;
const LOCK_MS = 5_000;

interface Row {
  readonly fault: string;
  readonly report: InvariantReport;
  note: string;
}

describe('chaos: the fault matrix, one fault at a time', () => {
  let redis: RedisServer;
  let env: ChaosEnv;
  let decider: { stop(): Promise<void> };
  const rand = seededRandom(SEED);
  const rows: Row[] = [];
  const poison = new Set<string>();
  const logDir = mkdtempSync(join(tmpdir(), 'sic-chaos-faults-'));

  const plans = (n: number, kinds: readonly RequestKind[] = ['backup']): PlannedRequest[] =>
    Array.from({ length: n }, (_, i) =>
      planRequest(kinds[i % kinds.length]!, rand, (u) => env.backupPoint(u)),
    );
  const exportsSince = (since: number) =>
    env.storware.state.tasks().filter((t) => t.type === 'EXPORT' && t.createdAt >= since).length;

  async function verify(fault: string, batch: readonly TrackedRequest[], since: number, note = '') {
    await env.settle(batch, 150_000);
    const report = await env.check(batch, since, { allowedFailed: poison });
    rows.push({ fault, report, note });
    const c = report.counts;
    process.stdout.write(
      `[chaos] ${fault}: ${c.of} requests, ${c.ofAcknowledged} acknowledged; I1 ${c.I1}/${c.of} I2 ${c.I2}/${c.of} I3 ${c.I3}/${c.of} I4 ${report.I4.ok ? 'held' : 'VIOLATED'}${note ? `; ${note}` : ''}\n`,
    );
    expect(failures(report)).toBe('');
    return report;
  }

  beforeAll(async () => {
    redis = await startRedisServer({ appendonly: true });
    env = await startChaosEnv({
      redisUrl: redis.url,
      logDir,
      seed: SEED,
      env: { WORKER_LOCK_DURATION_MS: String(LOCK_MS) },
    });
    await Promise.all([env.startApi(), ...Array.from({ length: WORKERS }, () => env.startWorker())]);
    decider = env.startDecider();
  });

  afterAll(async () => {
    await decider?.stop();
    await env?.close();
    await redis?.destroy();
    const table = [
      '| fault | requests | acknowledged | I1 | I2 | I3 | I4 | note |',
      '|---|---|---|---|---|---|---|---|',
      ...rows.map(({ fault, report: r, note }) => {
        const c = r.counts;
        return `| ${fault} | ${c.of} | ${c.ofAcknowledged} | ${c.I1}/${c.of} | ${c.I2}/${c.of} | ${c.I3}/${c.of} | ${r.I4.ok ? 'held' : 'VIOLATED'} | ${note} |`;
      }),
    ].join('\n');
    process.stdout.write(`\n[chaos] faults × invariants (seed ${SEED}, logs in ${logDir})\n${table}\n`);
  });

  it('R1: a worker SIGKILLed before its Storware call: the jobs return after the lock and run once', async () => {
    const since = Date.now();
    await Promise.all(env.liveWorkers().map((w) => w.stop()));
    const victim = await env.startWorker();
    // Every run stops in "hydrate" (reading the variables), before any Storware call.
    env.servicenow.http.addFault({
      method: 'GET',
      path: '^/api/now/table/sc_item_option_mtom$',
      delayMs: 4_000,
    });
    await env.beginFault('R1');
    const batch = await env.submitAll(plans(8));
    await waitUntil(async () => (await activeRequestJobs(env)) >= 8, 20_000, 'the victim to hold every job');
    await victim.kill();
    expect(exportsSince(since)).toBe(0);
    env.servicenow.http.clearFaults();
    await topUpWorkers(env, WORKERS);
    env.endFault('R1');
    await verify('R1 SIGKILL before the Storware call', batch, since);
    expect(exportsSince(since)).toBe(8);
  });

  it('R2: a worker SIGKILLed after Storware created the task, before it was recorded: the retry adopts it', async () => {
    const since = Date.now();
    await Promise.all(env.liveWorkers().map((w) => w.stop()));
    const victim = await env.startWorker();
    // Storware creates each export at once; its answer is held back, so the worker never learns it.
    env.proxy.addRule({ method: 'POST', path: '^/api/tasks/export$', delayResponseMs: 6_000 });
    await env.beginFault('R2');
    const batch = await env.submitAll(plans(6));
    await waitUntil(() => exportsSince(since) >= 6, 20_000, 'Storware to create the six exports');
    await victim.kill();
    env.proxy.clearRules();
    await topUpWorkers(env, WORKERS);
    env.endFault('R2');
    await verify('R2 SIGKILL after the Storware call', batch, since);
    expect(exportsSince(since)).toBe(6);
    expect(await withEvent(env, batch, 'task.adopted')).toBe(6);
  });

  it('R3: SIGTERM during work: the worker drains and exits 0, nothing stalls', async () => {
    const since = Date.now();
    await topUpWorkers(env, WORKERS);
    const offsets = logOffsets(env.workers);
    env.servicenow.http.addFault({
      method: 'GET',
      path: '^/api/now/table/sc_item_option_mtom$',
      delayMs: 1_500,
    });
    await env.beginFault('R3');
    const pending = env.submitAll(plans(15, ['backup', 'protect', 'restore-approve']));
    await waitUntil(async () => (await activeRequestJobs(env)) >= 5, 20_000, 'jobs in flight');
    const victim = env.liveWorkers()[0]!;
    const started = Date.now();
    const exit = await victim.stop(30_000);
    const drainMs = Date.now() - started;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(victim.log()).toContain('shutting down');
    env.servicenow.http.clearFaults();
    const batch = await pending;
    await topUpWorkers(env, WORKERS);
    env.endFault('R3');
    await verify('R3 SIGTERM during work', batch, since, `drained in ${drainMs} ms`);
    expect(stalledEvents(env.workers, offsets)).toBe(0);
  });

  it('R4: a worker frozen (SIGSTOP) longer than its lock while creating exports: taken over, still one task each', async () => {
    const since = Date.now();
    await Promise.all(env.liveWorkers().map((w) => w.stop()));
    const victim = await env.startWorker();
    // Long exports, so the tasks still run when the frozen worker wakes up and acts on stale facts.
    env.storware.setTaskDuration({ EXPORT: 12_000, STORE: 300 });
    env.proxy.addRule({ method: 'POST', path: '^/api/tasks/export$', delayResponseMs: 2_000 });
    await env.beginFault('R4');
    const batch = await env.submitAll(plans(6));
    await waitUntil(() => exportsSince(since) >= 3, 20_000, 'Storware to create exports');
    victim.signal('SIGSTOP');
    env.proxy.clearRules();
    await topUpWorkers(env, WORKERS + 1);
    await sleep(2 * LOCK_MS + 4_000);
    victim.signal('SIGCONT');
    env.endFault('R4');
    const report = await verify('R4 SIGSTOP longer than the lock', batch, since);
    env.storware.setTaskDuration(150);
    await victim.stop();
    expect(report.orphanTasks).toEqual([]);
    expect(exportsSince(since)).toBe(6);
  });

  it('R5: Redis killed mid-burst and restarted from its AOF: repaired, workers resume without a restart', async () => {
    const since = Date.now();
    await topUpWorkers(env, WORKERS);
    const pids = env.liveWorkers().map((w) => w.pid);
    const burst = env.submitAll(plans(60, ['backup', 'backup', 'protect', 'restore-approve']), {
      parallel: 3,
      paceMs: 150,
      resend: 5,
    });
    await sleep(2_000);
    await env.beginFault('R5');
    await redis.crash();
    await sleep(2_000);
    await redis.start();
    env.endFault('R5');
    const batch = await burst;
    const refused = batch.filter((r) => r.statuses.some((s) => s >= 500)).length;
    await verify('R5 Redis crash + AOF restart mid-burst', batch, since);
    const repaired =
      (await withEvent(env, batch, 'request.reconciled')) + (await withEvent(env, batch, 'request.requeued'));
    rows.at(-1)!.note =
      `${refused} orders refused (503) while Redis was down, then resent; ${repaired} repaired by the reconciler`;
    expect(refused).toBeGreaterThan(0);
    expect(env.liveWorkers().map((w) => w.pid)).toEqual(pids);
  });

  it('R5b: a failover loses the last seconds of acknowledged writes after Storware created the tasks: rebuilt from ServiceNow, tasks adopted', async () => {
    await sleep(1_500); // everything so far is fsynced (appendfsync everysec)
    const snapshot = redis.snapshotAof();
    const since = Date.now();
    env.storware.setTaskDuration({ EXPORT: 6_000, STORE: 300 });
    const batch = await env.submitAll(plans(6));
    await waitUntil(() => exportsSince(since) >= 6, 20_000, 'Storware to create the exports');
    await env.beginFault('R5b');
    // Redis comes back without the ledger entries, jobs, dedupe keys and task claims of the batch.
    await redis.restartFromAof(snapshot);
    env.storware.setTaskDuration(150);
    const lost = (await Promise.all(batch.map((r) => env.ledger.getByRitm(r.ritmSysId)))).filter(
      (e) => e === undefined,
    ).length;
    env.endFault('R5b');
    await verify('R5b failover loses acknowledged writes', batch, since, `${lost} of 6 ledger entries lost`);
    expect(lost).toBe(6);
    expect(exportsSince(since)).toBe(6);
  });

  it('R6: Redis unreachable when the connector starts and for a while mid-run: 503 fast, then everything recovers', async () => {
    const since = Date.now();
    await Promise.all([...env.liveWorkers(), ...env.liveApis()].map((p) => p.stop()));
    await redis.shutdown();
    await env.beginFault('R6');
    const api = await env.startApi();
    const workers = await Promise.all([
      env.startWorker({}, false),
      env.startWorker({}, false),
      env.startWorker({}, false),
    ]);
    expect((await fetch(`${api.url}/readyz`)).status).toBe(503);
    const started = Date.now();
    const early = await env.submitAll(plans(4), { resend: 0, parallel: 4 });
    const answeredMs = Date.now() - started;
    expect(early.map((r) => r.statuses)).toEqual(early.map(() => [503]));
    expect(answeredMs).toBeLessThan(8_000);
    await sleep(5_000);
    await redis.start();
    await waitUntil(async () => (await fetch(`${api.url}/readyz`)).status === 200, 30_000, '/readyz 200');
    await Promise.all(workers.map((w) => w.waitForLog('workers running', 60_000)));
    // ServiceNow's retry of the refused deliveries.
    for (const request of early) {
      await waitUntil(() => env.redeliver(request), 20_000, 'a redelivery to be accepted');
    }
    // Mid-run: work in flight when Redis goes away for a while.
    const during = await env.submitAll(plans(10, ['backup', 'protect']));
    await redis.shutdown();
    const refused = await env.submitAll(plans(3), { resend: 0 });
    await sleep(6_000);
    await redis.start();
    env.endFault('R6');
    for (const request of refused) {
      await waitUntil(() => env.redeliver(request), 30_000, 'a redelivery to be accepted');
    }
    await verify(
      'R6 Redis down at start and mid-run',
      [...early, ...during, ...refused],
      since,
      `503 answered in ${answeredMs} ms for 4 deliveries`,
    );
  });

  it("R7: the workers' Redis link slowed (500 ms, then past the lock) and reset: locks lost, runs doubled, still one task each", async () => {
    const since = Date.now();
    await Promise.all(env.liveWorkers().map((w) => w.stop()));
    // Only the workers go through the link; the API and the test's observer talk to Redis directly.
    const link = await startTcpProxy(redis.port);
    const slowed: ConnectorProcess[] = [];
    try {
      slowed.push(
        ...(await Promise.all([
          env.startWorker({ REDIS_URL: link.url }),
          env.startWorker({ REDIS_URL: link.url }),
        ])),
      );
      const offsets = logOffsets(env.workers);
      await env.beginFault('R7');
      // The reference's 500 ms first, from before the batch arrives.
      link.setLatency(500);
      const batch = await env.submitAll(plans(12, ['backup', 'backup', 'restore-approve']));
      await sleep(6_000);
      // Renewals go every lock/4 … lock/2 and wait for their answer, so past about lock/4 a side
      // (a round trip past lock/2) they land after the lock expired: stalls, a second runner.
      link.setLatency(1_500);
      await sleep(6_000);
      link.setLatency(3_000);
      await sleep(10_000);
      // reset_peer while commands are in flight both ways: requests lost before Redis saw them and
      // answers lost after it ran them; the clients reconnect and send again.
      link.setLatency(500);
      await sleep(2_000);
      let resets = link.resetPeers();
      await sleep(4_000);
      resets += link.resetPeers();
      await sleep(4_000);
      link.setLatency(0);
      env.endFault('R7');
      await topUpWorkers(env, WORKERS + slowed.length);
      const backups = batch.filter((r) => r.plan.kind === 'backup').length;
      const restores = batch.length - backups;
      // Counted once the link healed and the stalled checks ran on it: the stalls are what R7 is
      // about (renewals landing after the lock expired), so there must be some.
      const stalled = stalledEvents(env.workers, offsets);
      const lockErrors = slowed
        .map(
          (w) =>
            w
              .log()
              .split('\n')
              .filter((l) => /could not renew lock|Missing lock/.test(l)).length,
        )
        .reduce((a, b) => a + b, 0);
      const report = await verify(
        'R7 Redis link: latency up to 3 s, connections reset',
        batch,
        since,
        `${stalled} stalled events, ${lockErrors} lock errors, ${resets} connections reset`,
      );
      rows.at(-1)!.note += '; I2 held';
      expect(stalled).toBeGreaterThan(0);
      expect(report.orphanTasks).toEqual([]);
      expect(exportsSince(since)).toBe(backups);
      expect(
        env.storware.state.tasks().filter((t) => t.type === 'RESTORE' && t.createdAt >= since).length,
      ).toBe(restores);
    } finally {
      link.setLatency(0);
      await Promise.all(slowed.map((w) => w.stop()));
      await link.close();
    }
  });

  it('R8: Storware 5xx, timeouts, 429 and slow answers: retried with backoff, nothing failed or doubled', async () => {
    const since = Date.now();
    await topUpWorkers(env, WORKERS);
    const server = env.storware.server;
    server.addFault({ method: 'POST', path: '^/api/tasks/export$', status: 503, times: 6 });
    server.addFault({ method: 'GET', path: '^/api/virtual-machines$', status: 500, times: 8 });
    server.addFault({
      method: 'GET',
      path: '^/api/tasks$',
      status: 429,
      headers: { 'Retry-After': '1' },
      times: 6,
    });
    server.addFault({ method: 'POST', path: '^/api/tasks/restore-and-import$', hang: true, times: 2 });
    server.addFault({ method: 'GET', path: '^/api/backups$', delayMs: 1_500, times: 10 });
    await env.beginFault('R8');
    const batch = await env.submitAll(plans(15, ['backup', 'backup', 'restore-approve']));
    await sleep(8_000);
    server.clearFaults();
    env.endFault('R8');
    await verify('R8 Storware 5xx / timeout / 429 / slow', batch, since);
  });

  it('R9: the answer to a create is lost after Storware made the task (reset, or no task in the answer): adopted, not doubled', async () => {
    const since = Date.now();
    env.proxy.addRule({ method: 'POST', path: '^/api/tasks/export$', resetAfterUpstream: true, times: 5 });
    await env.beginFault('R9');
    const lost = await env.submitAll(plans(5));
    await waitUntil(() => env.proxy.stats().reset >= 5 || undefined, 20_000, 'five lost answers');
    env.storware.setTaskAnswerShape('empty');
    const empty = await env.submitAll(plans(4));
    await waitUntil(() => exportsSince(since) >= 9, 30_000, 'all exports');
    env.storware.setTaskAnswerShape('auto');
    env.endFault('R9');
    await verify('R9 lost / empty create answer', [...lost, ...empty], since);
    expect(exportsSince(since)).toBe(9);
  });

  it('R10: ServiceNow 5xx, 429 and 401: retried, tickets end in the right state with each note once', async () => {
    const since = Date.now();
    const sn = env.servicenow.http;
    sn.addFault({ method: 'PATCH', path: '^/api/now/table/sc_req_item/', status: 503, times: 10 });
    sn.addFault({
      method: 'GET',
      path: '^/api/now/table/sc_req_item/',
      status: 429,
      headers: { 'Retry-After': '1' },
      times: 6,
    });
    sn.addFault({ method: 'GET', path: '^/api/now/table/sys_user/', status: 401, times: 5 });
    sn.addFault({
      method: 'PATCH',
      path: '^/api/now/table/sc_req_item/',
      status: 500,
      delayMs: 2_500,
      times: 3,
    });
    await env.beginFault('R10');
    const batch = await env.submitAll(plans(12, ['backup', 'restore-reject', 'protect', 'backup-foreign']));
    await sleep(6_000);
    sn.clearFaults();
    env.endFault('R10');
    await verify('R10 ServiceNow 5xx / 429 / 401', batch, since);
    for (const request of batch) {
      const markers = env.servicenow
        .journal(request.ritmSysId)
        .map((j) => /\[ref (r-[0-9a-f]+#\d+)\]/.exec(j.value)?.[1])
        .filter((m): m is string => m !== undefined);
      expect(markers.length).toBe(new Set(markers).size);
    }
  });

  it('R11: duplicate and out-of-order webhooks: one request, one task, the same answer', async () => {
    const since = Date.now();
    await env.beginFault('R11');
    const copiesSameId = await env.submitAll(plans(4), { webhook: { duplicates: 5, concurrent: true } });
    const copiesNewIds = await env.submitAll(plans(4), {
      webhook: { duplicates: 5, concurrent: true, duplicateIds: 'new' },
    });
    // Cancelled before the connector heard of the order: the cancel arrives first (lifo).
    const held = await env.submitAll(plans(3), { webhook: { mode: 'hold' } });
    for (const request of held) {
      await env.servicenow.requester.cancel(request.ritmSysId, { mode: 'hold' });
      request.decision = 'cancelled';
    }
    const released = await env.servicenow.webhooks.release({ order: 'lifo' });
    for (const d of released) {
      const request = held.find((r) => r.ritmSysId === d.payload.sys_id)!;
      if (d.payload.event === 'ritm.submitted') {
        request.statuses.push(d.status ?? 0);
        request.acknowledged ||= d.status !== undefined && d.status < 300;
      }
    }
    env.endFault('R11');
    const batch = [...copiesSameId, ...copiesNewIds, ...held];
    await verify('R11 duplicate + out-of-order webhooks', batch, since);
    for (const request of [...copiesSameId, ...copiesNewIds]) {
      const answers = env.servicenow.webhooks
        .deliveries({ sysId: request.ritmSysId, event: 'ritm.submitted' })
        .map((d) => JSON.parse(d.responseBody ?? '{}') as { requestId?: string });
      expect(new Set(answers.map((a) => a.requestId)).size).toBe(1);
    }
    // Nothing ran for the cancelled ones.
    for (const request of held) {
      const entry = await env.ledger.getByRitm(request.ritmSysId);
      expect(entry?.state).toBe('cancelled');
      expect(entry?.tasks).toEqual({});
    }
    // And again much later: a duplicate of a finished request changes nothing.
    const late = await env.redeliver(copiesSameId[0]!);
    expect(late).toBe(true);
    expect(copiesSameId[0]!.statuses.at(-1)).toBe(200);
  });

  it('R12: a run job lost from Redis: the reconciler re-queues it and the request resumes its task', async () => {
    const since = Date.now();
    env.storware.setTaskDuration({ EXPORT: 8_000, STORE: 300 });
    const batch = await env.submitAll(plans(8));
    const entries = await waitUntil(
      async () => {
        const all = await Promise.all(batch.map((r) => env.ledger.getByRitm(r.ritmSysId)));
        return all.every((e) => e?.tasks.export !== undefined) ? all : undefined;
      },
      30_000,
      'every export recorded',
    );
    await env.beginFault('R12');
    const lost = entries.slice(0, 5);
    for (const entry of lost) {
      await loseRunJob(env, entry!.requestId);
    }
    env.storware.setTaskDuration(150);
    env.endFault('R12');
    await verify('R12 run job lost from Redis', batch, since);
    expect(await withEvent(env, batch.slice(0, 5), 'request.requeued')).toBe(5);
    expect(exportsSince(since)).toBe(8);
  });

  it('R13: poison payloads land in the failed set at once; the others are unaffected', async () => {
    const since = Date.now();
    await env.beginFault('R13');
    const ids = await addPoisonJobs(env, 'r13');
    ids.forEach((id) => poison.add(id));
    const batch = await env.submitAll(plans(8, ['backup', 'protect']));
    env.endFault('R13');
    await verify('R13 poison payload', batch, since);
    for (const id of ids) {
      const job = await env.queues.requests.getJob(id);
      expect(await job?.getState()).toBe('failed');
      expect(job?.attemptsMade).toBe(1);
    }
  });

  it('R14: Redis at maxmemory (noeviction): intake answers 503, nothing is evicted, and all recovers', async () => {
    const since = Date.now();
    env.storware.setTaskDuration({ EXPORT: 4_000, STORE: 300 });
    const inFlight = await env.submitAll(plans(6));
    const evictedBefore = await evictedKeys(redis);
    await env.beginFault('R14');
    await redis.cli('CONFIG', 'SET', 'maxmemory', '1');
    const refused = await env.submitAll(plans(4), { resend: 0 });
    await sleep(4_000);
    await redis.cli('CONFIG', 'SET', 'maxmemory', '0');
    env.storware.setTaskDuration(150);
    env.endFault('R14');
    expect(refused.map((r) => r.statuses)).toEqual(refused.map(() => [503]));
    for (const request of refused) {
      await waitUntil(() => env.redeliver(request), 20_000, 'a redelivery to be accepted');
    }
    await verify('R14 Redis at maxmemory', [...inFlight, ...refused], since);
    expect(await evictedKeys(redis)).toBe(evictedBefore);
  });

  it('R15: clock skew of ±120 s is accepted; replayed (>300 s), tampered and wrongly signed deliveries get 401', async () => {
    const since = Date.now();
    const api = env.liveApis()[0]!;
    await env.beginFault('R15');
    const batch = await env.submitAll(plans(6), { webhook: { mode: 'drop' } });
    const post = async (request: TrackedRequest, skewSeconds: number, mutate?: 'tamper' | 'secret') => {
      const payload = env.servicenow.webhooks.deliveries({ sysId: request.ritmSysId })[0]!.payload;
      const body = JSON.stringify(payload);
      const secret =
        mutate === 'secret' ? `whsec_${Buffer.alloc(32, 7).toString('base64')}` : env.webhookSecret;
      const headers = signWebhook(
        [secret],
        `msg_r15_${request.seq}_${skewSeconds}`,
        body,
        Math.floor(Date.now() / 1000) + skewSeconds,
      );
      const sent = mutate === 'tamper' ? body.replace('"FULL"', '"INCREMENTAL"') : body;
      const res = await fetch(`${api.url}/webhooks/servicenow`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: sent,
      });
      const answer = (await res.json()) as { requestId?: string };
      request.statuses.push(res.status);
      if (res.status < 300) {
        request.acknowledged = true;
        request.requestId ??= answer.requestId;
      }
      return res.status;
    };
    const [ahead, behind, replayed, future, tampered, wrongSecret] = batch as [
      TrackedRequest,
      TrackedRequest,
      TrackedRequest,
      TrackedRequest,
      TrackedRequest,
      TrackedRequest,
    ];
    expect(await post(replayed, -301)).toBe(401);
    expect(await post(future, 301)).toBe(401);
    expect(await post(tampered, 0, 'tamper')).toBe(401);
    expect(await post(wrongSecret, 0, 'secret')).toBe(401);
    expect(await post(ahead, 120)).toBe(202);
    expect(await post(behind, -120)).toBe(202);
    env.endFault('R15');
    // The refused ones are still open RITMs in ServiceNow: the reconciler finds them (missed
    // webhooks), so they too end correctly; only the two accepted count as acknowledged.
    await verify('R15 skew ±120 s ok; replay / tamper / wrong secret 401', batch, since);
    expect(batch.filter((r) => r.acknowledged)).toEqual([ahead, behind]);
  });
});
