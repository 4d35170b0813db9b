/**
 * B2 enqueue: the connector's accept path without HTTP — intake.accept() on pre-signed deliveries
 * (verify, validate, dedupe claim, ledger createOrGet, queue.add with the deterministic job id,
 * ledger updates, dedupe finalise) — versus a raw BullMQ `queue.add` with a job id, 64 in flight.
 * In between, the connector's own queue.add (createQueues' default job options, `run-<requestId>`
 * ids) shows what the enqueue step alone costs (goal P3). Every run starts on an empty prefix.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { IntakeInput } from '../src/intake/intake';
import { requestJobId, requestJobName, type RequestJobData } from '../src/jobs/catalog';
import { createRedis } from '../src/redis/connection';
import { benchConfig, benchLogger, intakePieces, newWebhookSecret, runPool } from './lib/connector';
import type { BenchContext } from './lib/context';
import { signedDeliveries } from './lib/deliveries';
import { countCommands, deleteByPrefix } from './lib/redis';
import type { Figure, ScenarioResult } from './lib/result';
import { median, percentile, ratio } from './lib/stats';

export interface EnqueueOptions {
  /** Deliveries through the accept path per run. */
  readonly jobs: number;
  readonly inFlight: number;
  /**
   * Jobs per run for the two plain `queue.add` variants, which are about ten times faster: enough
   * to last about a second (P3 names 20k), so one GC pause does not decide the ratio.
   */
  readonly addJobsFactor: number;
}

export const ENQUEUE_DEFAULTS: EnqueueOptions = { jobs: 5_000, inFlight: 64, addJobsFactor: 4 };
export const ENQUEUE_QUICK: EnqueueOptions = { jobs: 300, inFlight: 64, addJobsFactor: 4 };

interface Measure {
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly commandsPerOp: number;
  readonly failures: number;
}

type Variant = 'accept' | 'connectorAdd' | 'rawAdd';

/** A payload of the size and shape the connector enqueues. */
function jobData(): RequestJobData & { requestId: string } {
  const id = randomBytes(16).toString('hex');
  return {
    requestId: `r-${id}`,
    ritmSysId: randomBytes(16).toString('hex'),
    number: `RITM${String(randomBytes(4).readUInt32BE(0)).padStart(10, '0')}`,
    item: 'storware_backup_now',
  };
}

async function timed(
  count: number,
  inFlight: number,
  op: (i: number) => Promise<boolean>,
  counter: { read(): number; reset(): void },
): Promise<Measure> {
  const latencies: number[] = new Array<number>(count);
  let failures = 0;
  counter.reset();
  const elapsed = await runPool(count, inFlight, async (i) => {
    const started = performance.now();
    if (!(await op(i))) {
      failures += 1;
    }
    latencies[i] = performance.now() - started;
  });
  return {
    perSecond: (count / elapsed) * 1000,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    commandsPerOp: counter.read() / count,
    failures,
  };
}

async function runVariant(
  ctx: BenchContext,
  variant: Variant,
  count: number,
  inFlight: number,
  label: string,
): Promise<Measure> {
  const prefix = `${ctx.root}:b2-${label}`;
  const secret = newWebhookSecret();
  const config = benchConfig({ redisUrl: ctx.redis.url, prefix, secret, logLevel: ctx.logLevel });
  try {
    if (variant === 'rawAdd') {
      const connection: Redis = createRedis(ctx.redis.url, 'producer', 'bench-raw');
      await new Promise<void>((resolve) =>
        connection.status === 'ready' ? resolve() : connection.once('ready', () => resolve()),
      );
      const queue = new Queue('raw', { connection, prefix });
      queue.on('error', () => undefined);
      const counter = countCommands(connection);
      const data = Array.from({ length: count }, jobData);
      try {
        return await timed(
          count,
          inFlight,
          async (i) => {
            const d = data[i]!;
            const job = await queue.add('request.backup-now', d, { jobId: requestJobId(d.requestId) });
            return job.id !== undefined;
          },
          counter,
        );
      } finally {
        await queue.close();
        await connection.quit().catch(() => connection.disconnect());
      }
    }
    const pieces = await intakePieces(config, benchLogger(ctx.logLevel));
    const counter = countCommands(pieces.redis);
    try {
      if (variant === 'connectorAdd') {
        const data = Array.from({ length: count }, jobData);
        return await timed(
          count,
          inFlight,
          async (i) => {
            const d = data[i]!;
            const job = await pieces.queues.requests.add(requestJobName(d.item), d, {
              jobId: requestJobId(d.requestId),
            });
            return job.id !== undefined;
          },
          counter,
        );
      }
      const inputs: IntakeInput[] = signedDeliveries(secret, count).map((d) => ({
        headers: d.headers,
        rawBody: Buffer.from(d.body, 'utf8'),
        contentType: d.headers['content-type'],
      }));
      return await timed(
        count,
        inFlight,
        async (i) => (await pieces.intake.accept(inputs[i]!)).kind === 'accepted',
        counter,
      );
    } finally {
      await pieces.close();
    }
  } finally {
    await deleteByPrefix(ctx.redis.admin, prefix);
  }
}

export async function benchEnqueue(ctx: BenchContext, options: EnqueueOptions): Promise<ScenarioResult> {
  const variants: Variant[] = ['rawAdd', 'connectorAdd', 'accept'];
  const warmup = Math.max(100, Math.min(1_000, Math.floor(options.jobs / 5)));
  ctx.log(`B2 warm-up (${warmup} per variant)`);
  const count = (variant: Variant, base: number) =>
    variant === 'accept' ? base : base * options.addJobsFactor;
  for (const variant of variants) {
    await runVariant(ctx, variant, count(variant, warmup), options.inFlight, `warm-${variant}`);
  }
  const results: Record<Variant, Measure[]> = { rawAdd: [], connectorAdd: [], accept: [] };
  for (let run = 0; run < ctx.runs; run += 1) {
    // Rotate the order so that drift does not always favour the same variant.
    const order = variants.map((_, i) => variants[(i + run) % variants.length]!);
    for (const variant of order) {
      const m = await runVariant(
        ctx,
        variant,
        count(variant, options.jobs),
        options.inFlight,
        `${variant}-${run}`,
      );
      results[variant].push(m);
      ctx.log(
        `B2 run ${run + 1} ${variant}: ${Math.round(m.perSecond)}/s, p99 ${m.p99Ms.toFixed(1)} ms, ${m.commandsPerOp.toFixed(1)} cmds/op, failures ${m.failures}`,
      );
    }
  }
  const raw = results.rawAdd;
  const against = (
    id: string,
    metric: string,
    unit: string,
    variant: Variant,
    pick: (m: Measure) => number,
    extra: Partial<Figure> = {},
  ): Figure => {
    const runs = results[variant].map(pick);
    const baselineRuns = raw.map(pick);
    return {
      id,
      metric,
      unit,
      value: median(runs),
      baseline: { label: 'raw BullMQ queue.add with a job id', value: median(baselineRuns) },
      ratio: median(runs.map((v, i) => ratio(v, baselineRuns[i]!))),
      runs,
      baselineRuns,
      ...extra,
    };
  };
  const failures = [...results.accept, ...results.connectorAdd].reduce((n, m) => n + m.failures, 0);
  return {
    id: 'B2',
    title: `B2 enqueue (${options.jobs} accepts and ${options.jobs * options.addJobsFactor} adds per run, ${options.inFlight} in flight)`,
    params: { ...options, runs: ctx.runs, warmup },
    figures: [
      against(
        'B2.add',
        'connector queue.add (job options, run-<id>)',
        'jobs/s',
        'connectorAdd',
        (m) => m.perSecond,
        {
          goal: { id: 'P3', on: 'ratio', op: '>=', threshold: 0.85, text: 'ratio ≥ 0.85' },
        },
      ),
      against('B2.accept', 'accept path (intake.accept, no HTTP)', 'req/s', 'accept', (m) => m.perSecond, {
        note: 'verify + validate + dedupe + ledger + enqueue: several Redis round trips by design',
      }),
      against('B2.accept.p99', 'accept path latency p99', 'ms', 'accept', (m) => m.p99Ms),
      against(
        'B2.accept.cmds',
        'Redis commands per accepted delivery',
        'cmds',
        'accept',
        (m) => m.commandsPerOp,
      ),
      {
        id: 'B2.failures',
        metric: 'accepts not `accepted` + adds without id',
        unit: 'count',
        value: failures,
        goal: { id: 'L1', on: 'value', op: '<=', threshold: 0, text: '0' },
      },
    ],
    details: results,
  };
}
