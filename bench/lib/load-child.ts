/**
 * The load generator, in its own process so that it does not share the event loop of the server
 * under test (it still shares the machine's cores: read ratios, not capacity). Driven by the
 * parent over IPC (see load.ts): for each run it signs a fresh pool of deliveries before the clock
 * starts, then autocannon sends one per request, each with its own webhook-id and RITM.
 */
import autocannon from 'autocannon';
import { signedDeliveries } from './deliveries';
import type { LoadRequest, LoadResult, ChildMessage } from './load';

async function run(request: LoadRequest): Promise<LoadResult> {
  const pool = signedDeliveries(request.secret, request.pool);
  let next = 0;
  const result = await autocannon({
    url: request.url,
    connections: request.connections,
    duration: request.durationSeconds,
    ...(request.overallRate === undefined ? {} : { overallRate: request.overallRate }),
    requests: [
      {
        method: 'POST',
        path: request.path,
        setupRequest: (req) => {
          const delivery = pool[next % pool.length]!;
          next += 1;
          return {
            ...req,
            method: 'POST',
            path: request.path,
            headers: delivery.headers,
            body: delivery.body,
          };
        },
      },
    ],
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
    statusCodes[code] = stat.count ?? 0;
  }
  return {
    label: request.label,
    completed: result.requests.total,
    durationSeconds: result.duration,
    throughput: result.requests.total / result.duration,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.mean,
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    built: next,
    reused: Math.max(0, next - pool.length),
  };
}

process.on('message', (message: ChildMessage) => {
  if (message.type === 'stop') {
    process.exit(0);
  }
  run(message.request).then(
    (result) => process.send?.({ type: 'result', id: message.id, result }),
    (error: unknown) => process.send?.({ type: 'error', id: message.id, message: String(error) }),
  );
});
process.send?.({ type: 'ready' });
