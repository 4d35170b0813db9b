/**
 * B1 intake: signed, valid webhooks with unique ids against the real route (startApi: verify,
 * validate, dedupe, ledger, enqueue) versus a bare express route in the same process that only
 * parses JSON and runs the same validation (src/intake/webhook-body.ts). The load generator is a
 * separate process (lib/load-child.ts). Closed loop at a fixed concurrency for throughput and
 * latency, then a fixed arrival rate (autocannon `overallRate`) for latency at a realistic load.
 * Runs alternate between the two routes so drift on a noisy machine hits both.
 */
import express from 'express';
import { startApi } from '../src/processes/api';
import { closeAll } from '../src/processes/shutdown';
import { listen } from '../src/http/server';
import { checkWebhookBody } from '../src/intake/webhook-body';
import { benchConfig, benchLogger, newWebhookSecret, variables } from './lib/connector';
import type { BenchContext } from './lib/context';
import { startLoadGenerator, type LoadRequest, type LoadResult } from './lib/load';
import { deleteByPrefix } from './lib/redis';
import type { Figure, ScenarioResult } from './lib/result';
import { median, ratio } from './lib/stats';

export interface IntakeOptions {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly rate: number;
  readonly rateConnections: number;
  readonly rateDurationSeconds: number;
  /** Closed-loop rate to sign deliveries for (each must be unique); more are reused as duplicates. */
  readonly expectedRate: number;
}

export const INTAKE_DEFAULTS: IntakeOptions = {
  connections: 50,
  durationSeconds: 4,
  warmupSeconds: 2,
  rate: 200,
  rateConnections: 10,
  rateDurationSeconds: 4,
  expectedRate: 6_000,
};

export const INTAKE_QUICK: IntakeOptions = {
  connections: 20,
  durationSeconds: 1,
  warmupSeconds: 1,
  rate: 100,
  rateConnections: 5,
  rateDurationSeconds: 1,
  expectedRate: 3_000,
};

const PATH = '/webhooks/servicenow';

/** The comparison route: JSON parsing and the intake's own body validation, nothing else. */
async function startBareRoute(maxBodyBytes: number) {
  const app = express();
  app.disable('x-powered-by');
  app.post(PATH, express.json({ limit: maxBodyBytes }), (req, res) => {
    const checked = checkWebhookBody(req.body, variables());
    if (checked.ok) {
      res.status(202).json({ ticket: checked.body.number, status: 'queued' });
    } else {
      res.status(checked.status).json({ error: { code: checked.code, message: checked.message } });
    }
  });
  return listen(app, 0, '127.0.0.1');
}

function pool(result: { expected: number }): number {
  return Math.ceil(result.expected * 1.3) + 200;
}

export async function benchIntake(ctx: BenchContext, options: IntakeOptions): Promise<ScenarioResult> {
  const prefix = `${ctx.root}:b1`;
  const secret = newWebhookSecret();
  const config = benchConfig({ redisUrl: ctx.redis.url, prefix, secret, logLevel: ctx.logLevel });
  const logger = benchLogger(ctx.logLevel);
  const api = await startApi(config, logger, { host: '127.0.0.1' });
  const bare = await startBareRoute(config.webhook.maxBodyBytes);
  const load = await startLoadGenerator();
  const realUrl = `http://127.0.0.1:${api.http.port}`;
  const bareUrl = `http://127.0.0.1:${bare.port}`;
  // Enough fresh deliveries for the fastest rate seen on 2 cores, with room to spare.
  const closedPool = pool({ expected: options.durationSeconds * options.expectedRate });
  const request = (label: string, url: string, extra: Partial<LoadRequest> = {}): LoadRequest => ({
    label,
    url,
    path: PATH,
    secret,
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    pool: closedPool,
    ...extra,
  });

  const closed: { real: LoadResult[]; bare: LoadResult[] } = { real: [], bare: [] };
  const fixed: { real: LoadResult[]; bare: LoadResult[] } = { real: [], bare: [] };
  try {
    ctx.log(`B1 warm-up (${options.warmupSeconds} s per route)`);
    await load.run(request('warm-up bare', bareUrl, { durationSeconds: options.warmupSeconds }));
    await load.run(request('warm-up real', realUrl, { durationSeconds: options.warmupSeconds }));

    for (let run = 0; run < ctx.runs; run += 1) {
      const order = run % 2 === 0 ? (['bare', 'real'] as const) : (['real', 'bare'] as const);
      for (const which of order) {
        const result = await load.run(
          request(`c${options.connections} ${which}`, which === 'real' ? realUrl : bareUrl),
        );
        closed[which].push(result);
        ctx.log(
          `B1 run ${run + 1} ${which}: ${Math.round(result.throughput)} req/s, p99 ${result.latencyMs.p99} ms, non-2xx ${result.non2xx}`,
        );
      }
    }
    const ratePool = pool({ expected: options.rate * options.rateDurationSeconds });
    for (let run = 0; run < ctx.runs; run += 1) {
      const order = run % 2 === 0 ? (['bare', 'real'] as const) : (['real', 'bare'] as const);
      for (const which of order) {
        const result = await load.run(
          request(`${options.rate}/s ${which}`, which === 'real' ? realUrl : bareUrl, {
            connections: options.rateConnections,
            durationSeconds: options.rateDurationSeconds,
            overallRate: options.rate,
            pool: ratePool,
          }),
        );
        fixed[which].push(result);
        ctx.log(
          `B1 ${options.rate}/s run ${run + 1} ${which}: p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, max ${result.latencyMs.max} ms`,
        );
      }
    }
  } finally {
    await load.close();
    await bare.close();
    await closeAll(api.closers, logger, 10_000);
    await deleteByPrefix(ctx.redis.admin, prefix);
  }

  const paired = (
    id: string,
    metric: string,
    unit: string,
    set: { real: LoadResult[]; bare: LoadResult[] },
    pick: (r: LoadResult) => number,
    baselineLabel: string,
    extra: Partial<Figure> = {},
  ): Figure => {
    const runs = set.real.map(pick);
    const baselineRuns = set.bare.map(pick);
    return {
      id,
      metric,
      unit,
      value: median(runs),
      baseline: { label: baselineLabel, value: median(baselineRuns) },
      ratio: median(runs.map((v, i) => ratio(v, baselineRuns[i]!))),
      runs,
      baselineRuns,
      ...extra,
    };
  };
  const bareLabel = 'bare express route (JSON + same validation)';
  const c = options.connections;
  const rate = options.rate;
  const non2xx = [...closed.real, ...fixed.real].reduce((n, r) => n + r.non2xx + r.errors, 0);
  const bareNon2xx = [...closed.bare, ...fixed.bare].reduce((n, r) => n + r.non2xx + r.errors, 0);
  const reused = [...closed.real, ...fixed.real].reduce((n, r) => n + r.reused, 0);
  const figures: Figure[] = [
    paired('B1.throughput', `intake throughput, c${c}`, 'req/s', closed, (r) => r.throughput, bareLabel, {
      goal: { id: 'P1', on: 'ratio', op: '>=', threshold: 0.2, text: 'ratio ≥ 0.20 (2-vCPU, shared)' },
    }),
    paired('B1.p50', `latency p50, c${c}`, 'ms', closed, (r) => r.latencyMs.p50, bareLabel),
    paired('B1.p99', `latency p99, c${c}`, 'ms', closed, (r) => r.latencyMs.p99, bareLabel),
    paired('B1.rate.p50', `latency p50 at ${rate} req/s`, 'ms', fixed, (r) => r.latencyMs.p50, bareLabel, {
      goal: { id: 'P2', on: 'value', op: '<=', threshold: 10, text: '≤ 10 ms' },
    }),
    paired('B1.rate.p99', `latency p99 at ${rate} req/s`, 'ms', fixed, (r) => r.latencyMs.p99, bareLabel, {
      goal: { id: 'P2', on: 'value', op: '<=', threshold: 50, text: '≤ 50 ms' },
    }),
    paired('B1.rate.max', `latency max at ${rate} req/s`, 'ms', fixed, (r) => r.latencyMs.max, bareLabel, {
      goal: { id: 'P2', on: 'value', op: '<=', threshold: 250, text: '≤ 250 ms' },
    }),
    {
      id: 'B1.non2xx',
      metric: 'non-2xx answers + errors, all B1 runs',
      unit: 'count',
      value: non2xx,
      baseline: { label: bareLabel, value: bareNon2xx },
      goal: { id: 'P1', on: 'value', op: '<=', threshold: 0, text: '0' },
    },
  ];
  return {
    id: 'B1',
    title: 'B1 intake (HTTP, load generator in a separate process)',
    params: { ...options, runs: ctx.runs, logLevel: ctx.logLevel, nodeEnv: process.env.NODE_ENV ?? '' },
    figures,
    details: {
      deliveriesReused: reused,
      closedLoop: closed,
      fixedRate: fixed,
    },
  };
}
