/**
 * B5 memory: Redis used_memory per request in flight — ledger entry, run job and dedupe keys —
 * after N deliveries were accepted through the intake service (no workers, so nothing is
 * processed), against a raw BullMQ job with the same payload and the connector's job options
 * measured the same way in the same run (the calibration's ≈ 810 B/job). Then the requests are
 * completed as a worker would leave them (ledger turned terminal with the configured retention,
 * which sets the TTLs; jobs removed with the queue's clean) and retention runs, compressed (the
 * TTLs restarted at 1 second through a short-retention ledger, then `prune()`). The leak check
 * counts the keys under the prefix that have no TTL and belong to one request.
 */
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import type { IntakeInput } from '../src/intake/intake';
import { requestJobId, requestJobName } from '../src/jobs/catalog';
import { defaultJobOptions } from '../src/jobs/queues';
import { createLedger } from '../src/ledger';
import { createRedis } from '../src/redis/connection';
import { benchConfig, benchLogger, intakePieces, newWebhookSecret, runPool } from './lib/connector';
import type { BenchContext } from './lib/context';
import { signedDeliveries } from './lib/deliveries';
import { deleteByPrefix, keyCensus, scanKeys, usedMemory, type KeyCensus } from './lib/redis';
import type { Figure, ScenarioResult } from './lib/result';
import { median, ratio, sleep } from './lib/stats';

export interface MemoryOptions {
  readonly requests: number;
  readonly inFlight: number;
  /** Retention used to let the TTLs run out during the benchmark. */
  readonly retentionSeconds: number;
  readonly warmupRequests: number;
}

export const MEMORY_DEFAULTS: MemoryOptions = {
  requests: 10_000,
  inFlight: 64,
  retentionSeconds: 1,
  warmupRequests: 500,
};

export const MEMORY_QUICK: MemoryOptions = { ...MEMORY_DEFAULTS, requests: 500, warmupRequests: 50 };

/** Key families that exist once per request; any of them without a TTL after completion leaks. */
const PER_REQUEST = [
  'ledger entry (hash)',
  'ledger entry data (hash)',
  'ledger timeline (list)',
  'ledger lookups (ritm, number)',
  'intake dedupe keys',
  'ticket outbox',
  'BullMQ job hashes',
  'BullMQ per-job extras',
];

export interface MemoryRun {
  readonly requests: number;
  readonly rawJobBytes: number;
  /** Sum of MEMORY USAGE over the raw queue's keys, per job. */
  readonly rawJobCensusBytes: number;
  readonly inFlightBytes: number;
  readonly inFlightCensus: KeyCensus;
  readonly jobFamilyBytes: number;
  readonly afterCompletionBytes: number;
  readonly afterCompletionCensus: KeyCensus;
  readonly afterRetentionBytes: number;
  readonly afterRetentionCensus: KeyCensus;
  readonly perRequestKeysWithoutTtl: number;
  readonly notAccepted: number;
}

async function settle(): Promise<void> {
  // Let lazy frees and the allocator catch up before reading used_memory.
  await sleep(200);
}

function perRequestWithoutTtl(census: KeyCensus): number {
  return PER_REQUEST.reduce((n, name) => n + (census.families[name]?.withoutTtl ?? 0), 0);
}

async function rawJobBytes(
  ctx: BenchContext,
  n: number,
  inFlight: number,
  label: string,
  options: ReturnType<typeof defaultJobOptions>,
): Promise<{ usedMemory: number; census: number }> {
  const prefix = `${ctx.root}:b5raw-${label}`;
  const connection = createRedis(ctx.redis.url, 'producer', 'bench-raw');
  await new Promise<void>((resolve) =>
    connection.status === 'ready' ? resolve() : connection.once('ready', () => resolve()),
  );
  const queue = new Queue('raw', { connection, prefix, defaultJobOptions: options });
  queue.on('error', () => undefined);
  try {
    await queue.waitUntilReady();
    await settle();
    const before = await usedMemory(ctx.redis.admin);
    await runPool(n, inFlight, async () => {
      const id = `r-${randomBytes(16).toString('hex')}`;
      await queue.add(
        requestJobName('storware_backup_now'),
        {
          requestId: id,
          ritmSysId: randomBytes(16).toString('hex'),
          number: `RITM${String(randomBytes(4).readUInt32BE(0)).padStart(10, '0')}`,
          item: 'storware_backup_now',
        },
        { jobId: requestJobId(id) },
      );
    });
    await settle();
    const bytes = ((await usedMemory(ctx.redis.admin)) - before) / n;
    return { usedMemory: bytes, census: (await keyCensus(ctx.redis.admin, prefix)).bytes / n };
  } finally {
    await queue.close();
    await connection.quit().catch(() => connection.disconnect());
    await deleteByPrefix(ctx.redis.admin, prefix);
  }
}

async function oneRun(
  ctx: BenchContext,
  options: MemoryOptions,
  n: number,
  label: string,
): Promise<MemoryRun> {
  const prefix = `${ctx.root}:b5-${label}`;
  const secret = newWebhookSecret();
  const config = benchConfig({ redisUrl: ctx.redis.url, prefix, secret, logLevel: ctx.logLevel });
  const admin = ctx.redis.admin;
  const raw = await rawJobBytes(
    ctx,
    n,
    options.inFlight,
    label,
    defaultJobOptions('requests', config.connector.tuning),
  );
  const pieces = await intakePieces(config, benchLogger(ctx.logLevel));
  try {
    const inputs: IntakeInput[] = signedDeliveries(secret, n).map((d) => ({
      headers: d.headers,
      rawBody: Buffer.from(d.body, 'utf8'),
      contentType: d.headers['content-type'],
    }));
    await pieces.queues.requests.waitUntilReady();
    await settle();
    const before = await usedMemory(admin);
    const requestIds: string[] = [];
    let notAccepted = 0;
    await runPool(n, options.inFlight, async (i) => {
      const outcome = await pieces.intake.accept(inputs[i]!);
      if (outcome.kind === 'accepted') {
        requestIds.push(outcome.requestId);
      } else {
        notAccepted += 1;
      }
    });
    await settle();
    const inFlight = (await usedMemory(admin)) - before;
    const inFlightCensus = await keyCensus(admin, prefix);
    const jobFamilyBytes = ['BullMQ job hashes', 'BullMQ per-job extras', 'BullMQ queue structures'].reduce(
      (a, name) => a + (inFlightCensus.families[name]?.bytes ?? 0),
      0,
    );

    // Completion as a worker leaves it: terminal in the ledger with the configured retention (the
    // TTLs start), and the job gone (removeOnComplete in production; clean here, it never ran).
    await runPool(requestIds.length, options.inFlight, async (i) => {
      await pieces.ledger.update(
        requestIds[i]!,
        { state: 'succeeded', step: 'done', ticketState: '3' },
        { type: 'request.succeeded', message: 'bench: completed' },
      );
    });
    for (;;) {
      const removed = await pieces.queues.requests.clean(0, 5_000, 'wait');
      if (removed.length === 0) {
        break;
      }
    }
    await settle();
    const afterCompletion = (await usedMemory(admin)) - before;
    const afterCompletionCensus = await keyCensus(admin, prefix);

    // Retention running out, compressed: any write to a terminal entry restarts its TTLs, so one
    // more timeline line through a ledger with a 1-second retention makes them expire now; then
    // prune drops the index members of the expired entries.
    const shortLedger = createLedger(pieces.redis, prefix, {
      retentionDays: options.retentionSeconds / 86_400,
    });
    await runPool(requestIds.length, options.inFlight, async (i) => {
      await shortLedger.appendEvent(requestIds[i]!, { type: 'bench.retention', message: 'retention' });
    });
    await sleep(options.retentionSeconds * 1000 + 600);
    await scanKeys(admin, prefix); // SCAN expires what it meets.
    await shortLedger.prune();
    await settle();
    const afterRetention = (await usedMemory(admin)) - before;
    const afterRetentionCensus = await keyCensus(admin, prefix);
    return {
      requests: n,
      rawJobBytes: raw.usedMemory,
      rawJobCensusBytes: raw.census,
      inFlightBytes: inFlight / n,
      inFlightCensus,
      jobFamilyBytes: jobFamilyBytes / n,
      afterCompletionBytes: afterCompletion / n,
      afterCompletionCensus,
      afterRetentionBytes: afterRetention / n,
      afterRetentionCensus,
      perRequestKeysWithoutTtl: perRequestWithoutTtl(afterCompletionCensus),
      notAccepted,
    };
  } finally {
    await pieces.close();
    await deleteByPrefix(admin, prefix);
  }
}

export async function benchMemory(ctx: BenchContext, options: MemoryOptions): Promise<ScenarioResult> {
  ctx.log(`B5 warm-up (${options.warmupRequests} requests)`);
  await oneRun(ctx, options, options.warmupRequests, 'warm');
  const runs: MemoryRun[] = [];
  for (let r = 0; r < ctx.runs; r += 1) {
    const run = await oneRun(ctx, options, options.requests, `r${r}`);
    runs.push(run);
    ctx.log(
      `B5 run ${r + 1}: ${Math.round(run.inFlightBytes)} B/request in flight (raw job ${Math.round(run.rawJobBytes)} B), ` +
        `${Math.round(run.afterCompletionBytes)} B after completion, ${Math.round(run.afterRetentionBytes)} B after retention, ` +
        `${run.perRequestKeysWithoutTtl} per-request keys without TTL`,
    );
  }
  const fig = (
    id: string,
    metric: string,
    unit: string,
    value: (r: MemoryRun) => number,
    baselineLabel: string,
    baseline: (r: MemoryRun) => number,
    extra: Partial<Figure> = {},
  ): Figure => {
    const values = runs.map(value);
    const baselines = runs.map(baseline);
    return {
      id,
      metric,
      unit,
      value: median(values),
      baseline: { label: baselineLabel, value: median(baselines) },
      ratio: median(values.map((v, i) => ratio(v, baselines[i]!))),
      runs: values,
      baselineRuns: baselines,
      ...extra,
    };
  };
  const rawLabel = 'raw BullMQ job, same payload and job options (used_memory)';
  const p7 = (15 * 2 ** 20) / 10_000;
  return {
    id: 'B5',
    title: `B5 memory (${options.requests} requests accepted, no workers)`,
    params: { ...options, runs: ctx.runs },
    figures: [
      fig(
        'B5.inflight',
        'used_memory per request in flight (ledger + job + dedupe)',
        'B',
        (r) => r.inFlightBytes,
        rawLabel,
        (r) => r.rawJobBytes,
      ),
      fig(
        'B5.job',
        'queue keys per request (MEMORY USAGE)',
        'B',
        (r) => r.jobFamilyBytes,
        'raw BullMQ job, same payload and job options (MEMORY USAGE)',
        (r) => r.rawJobCensusBytes,
        {
          goal: {
            id: 'P7',
            on: 'value',
            op: '<=',
            threshold: Math.round(p7),
            text: `≤ ${Math.round(p7)} B (15 MiB per 10k)`,
          },
        },
      ),
      fig(
        'B5.completed',
        'used_memory per request after completion + clean',
        'B',
        (r) => r.afterCompletionBytes,
        'same, in flight',
        (r) => r.inFlightBytes,
      ),
      fig(
        'B5.retained',
        'used_memory per request after retention + prune',
        'B',
        (r) => r.afterRetentionBytes,
        'same, in flight',
        (r) => r.inFlightBytes,
        {
          note: 'what remains are the dedupe keys, which expire after dedupeRetentionDays',
        },
      ),
      fig(
        'B5.noTtl',
        'per-request keys without TTL after completion',
        'keys',
        (r) => r.perRequestKeysWithoutTtl,
        'requests completed',
        (r) => r.requests,
        {
          goal: { id: 'P7', on: 'value', op: '<=', threshold: 0, text: '0 (no leak)' },
        },
      ),
      {
        id: 'B5.notAccepted',
        metric: 'deliveries not accepted, all runs',
        unit: 'count',
        value: runs.reduce((a, r) => a + r.notAccepted, 0),
        goal: { id: 'L1', on: 'value', op: '<=', threshold: 0, text: '0' },
      },
    ],
    details: { runs },
  };
}
