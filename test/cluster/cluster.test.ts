/**
 * Scale-out on a Redis Cluster: three masters started locally (`redis-server --cluster-enabled yes`
 * + `redis-cli --cluster create`), the connector on REDIS_URL=redis+cluster://… as two API and three
 * worker processes behind one webhook URL. The same seeded workload runs on a single redis-server
 * first; the cluster run must give the identical outcome for every request, keep I1–I4, never hit
 * CROSSSLOT, keep every key of the connector in the one slot of its hash-tagged prefix, and spread
 * the work over the three workers.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  failures,
  planRequest,
  seededRandom,
  startChaosEnv,
  type ChaosEnv,
  type InvariantReport,
  type RequestKind,
} from '../helpers/chaos-env';
import { redisCli, startRedisCluster, startRedisSentinel, startRedisServer } from '../helpers/chaos-redis';

jest.setTimeout(600_000);

const SEED = Number(process.env.CLUSTER_SEED ?? 4242);
const REQUESTS = Number(process.env.CLUSTER_REQUESTS ?? 150);
const KINDS: readonly RequestKind[] = [
  'backup',
  'backup',
  'backup',
  'protect',
  'restore-approve',
  'restore-reject',
  'backup-foreign',
];

interface RunResult {
  readonly env: ChaosEnv;
  readonly report: InvariantReport;
  /** Per request, in order: what happened to it (item, outcome, ticket state, task types). */
  readonly outcomes: string[];
  readonly logs: string;
  readonly finishedPerWorker: number[];
  readonly acceptedPerApi: number[];
}

async function run(
  redisUrl: string,
  logDir: string,
  apis: number,
  workers: number,
  requestCount = REQUESTS,
): Promise<RunResult> {
  mkdirSync(logDir, { recursive: true });
  const env = await startChaosEnv({ redisUrl, logDir, seed: SEED, prefix: '{sic}' });
  try {
    await Promise.all([
      ...Array.from({ length: apis }, () => env.startApi()),
      ...Array.from({ length: workers }, () => env.startWorker()),
    ]);
    const rand = seededRandom(SEED);
    const plans = Array.from({ length: requestCount }, (_, i) =>
      planRequest(KINDS[Math.floor(rand() * KINDS.length)] ?? KINDS[i % KINDS.length]!, rand, (u) =>
        env.backupPoint(u),
      ),
    );
    const since = Date.now();
    const decider = env.startDecider();
    const requests = await env.submitAll(plans, { parallel: 6, resend: 4 });
    await env.settle(requests, 180_000);
    await decider.stop();
    const report = await env.check(requests, since);
    const tasks = new Map(env.storware.state.tasks().map((t) => [t.guid, t]));
    const outcomes = report.verdicts.map((v) => {
      const types = Object.values(v.entry?.tasks ?? {})
        .map((t) => tasks.get(t.guid)?.type ?? t.type)
        .sort()
        .join('+');
      return `${v.request.plan.kind} ${v.request.plan.item}: ${v.entry?.state ?? 'none'}, ticket ${v.ticketState}, tasks [${types}]`;
    });
    const logs = [...env.apis, ...env.workers].map((p) => p.log()).join('\n');
    const finishedPerWorker = env.workers.map(
      (w) =>
        w
          .log()
          .split('\n')
          .filter((l) => l.includes('"msg":"request finished"')).length,
    );
    const acceptedPerApi = env.apis.map(
      (a) =>
        a
          .log()
          .split('\n')
          .filter((l) => l.includes('"msg":"webhook accepted"')).length,
    );
    return { env, report, outcomes, logs, finishedPerWorker, acceptedPerApi };
  } catch (error) {
    await env.close();
    throw error;
  }
}

describe('scale-out: the same flow on a 3-master Redis Cluster', () => {
  const logDir = mkdtempSync(join(tmpdir(), 'sic-cluster-'));

  it('when 2 API and 3 worker processes run on a Redis Cluster, then the results equal the single-Redis run and every key stays in one slot', async () => {
    // Reference: one redis-server.
    const single = await startRedisServer({ appendonly: true });
    let reference: RunResult;
    try {
      reference = await run(single.url, join(logDir, 'single'), 1, 3);
      await reference.env.close();
    } finally {
      await single.destroy();
    }
    expect(failures(reference.report)).toBe('');

    const cluster = await startRedisCluster(3);
    try {
      const result = await run(cluster.url, join(logDir, 'cluster'), 2, 3);
      try {
        expect(failures(result.report)).toBe('');
        expect(result.report.I4.ok).toBe(true);
        expect(result.outcomes).toEqual(reference.outcomes);
        expect(result.logs).not.toMatch(/CROSSSLOT|non local key|Cross slot/i);
        // Work spread over the three worker processes.
        expect(result.finishedPerWorker.every((n) => n > 0)).toBe(true);
        expect(result.acceptedPerApi.every((n) => n > 0)).toBe(true);

        // Every key is the connector's, under its prefix, in the prefix's one slot, on one master.
        const slot = Number(await redisCli(cluster.nodes[0]!.port, ['CLUSTER', 'KEYSLOT', '{sic}']));
        const perNode: number[] = [];
        const slots = new Set<number>();
        for (const node of cluster.nodes) {
          const keys = (await redisCli(node.port, ['--scan', '--pattern', '*']))
            .split('\n')
            .filter((k) => k !== '');
          perNode.push(keys.length);
          for (const key of keys) {
            expect(key.startsWith('{sic}:')).toBe(true);
          }
          for (const key of keys.slice(0, 200)) {
            slots.add(Number(await redisCli(node.port, ['CLUSTER', 'KEYSLOT', key])));
          }
        }
        expect([...slots]).toEqual([slot]);
        expect(perNode.filter((n) => n > 0)).toHaveLength(1);

        process.stdout.write(
          [
            '',
            `[cluster] ${REQUESTS} requests (seed ${SEED}) on a 3-master Redis Cluster, 2 API + 3 worker processes`,
            `[cluster] I1 ${result.report.counts.I1}/${REQUESTS}, I2 ${result.report.counts.I2}/${REQUESTS}, I3 ${result.report.counts.I3}/${REQUESTS}, I4 ${result.report.I4.ok ? 'held' : 'VIOLATED'}; outcomes identical to the single-Redis run: ${result.outcomes.length}/${reference.outcomes.length}`,
            `[cluster] webhooks accepted per API process: ${result.acceptedPerApi.join(', ')}; requests finished per worker process: ${result.finishedPerWorker.join(', ')}; keys per master: ${perNode.join(', ')} (all in slot ${slot} of {sic}); CROSSSLOT errors: 0`,
            '',
          ].join('\n'),
        );
      } finally {
        await result.env.close();
      }
    } finally {
      await cluster.destroy();
    }
  });

  it('when the connector finds its Redis through Sentinel, then the same flow runs', async () => {
    const sentinel = await startRedisSentinel();
    try {
      const result = await run(sentinel.url, join(logDir, 'sentinel'), 1, 2, 40);
      try {
        expect(failures(result.report)).toBe('');
        expect(result.report.I4.ok).toBe(true);
        expect(result.logs).toContain('"redisTopology":"sentinel"');
        process.stdout.write(
          `[cluster] Sentinel: 40 requests through redis+sentinel://…, I1–I3 ${result.report.counts.I1}/${result.report.counts.I2}/${result.report.counts.I3} of 40, I4 ${result.report.I4.ok ? 'held' : 'VIOLATED'}\n`,
        );
      } finally {
        await result.env.close();
      }
    } finally {
      await sentinel.destroy();
    }
  });
});
