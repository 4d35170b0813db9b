/**
 * Parent side of the load generator: forks load-child.ts (through tsx) once and asks it for
 * autocannon runs, one at a time.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface LoadRequest {
  readonly label: string;
  readonly url: string;
  readonly path: string;
  readonly secret: string;
  readonly connections: number;
  readonly durationSeconds: number;
  /** Requests per second for all connections together (autocannon `overallRate`); closed loop when absent. */
  readonly overallRate?: number;
  /** Deliveries signed for the run; when autocannon needs more they are reused (duplicates). */
  readonly pool: number;
}

export interface LoadResult {
  readonly label: string;
  readonly completed: number;
  readonly durationSeconds: number;
  readonly throughput: number;
  readonly latencyMs: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
    readonly mean: number;
  };
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly statusCodes: Record<string, number>;
  /** Requests built, and how many of them reused a delivery of the pool. */
  readonly built: number;
  readonly reused: number;
}

export type ChildMessage = { type: 'run'; id: number; request: LoadRequest } | { type: 'stop' };

type ParentMessage =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: LoadResult }
  | { type: 'error'; id: number; message: string };

export interface LoadGenerator {
  run(request: LoadRequest): Promise<LoadResult>;
  close(): Promise<void>;
}

export async function startLoadGenerator(): Promise<LoadGenerator> {
  const child: ChildProcess = fork(join(__dirname, 'load-child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: ParentMessage) => {
      if (message.type === 'ready') {
        child.off('message', onMessage);
        resolve();
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`load generator exited with ${code} before it was ready`)));
  });
  child.on('message', (message: ParentMessage) => {
    if (message.type === 'ready') {
      return;
    }
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.type === 'result') {
      waiter?.resolve(message.result);
    } else {
      waiter?.reject(new Error(`load generator: ${message.message}`));
    }
  });
  child.on('exit', (code) => {
    for (const waiter of pending.values()) {
      waiter.reject(new Error(`load generator exited with ${code}`));
    }
    pending.clear();
  });
  return {
    run(request) {
      const id = nextId++;
      return new Promise<LoadResult>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ type: 'run', id, request } satisfies ChildMessage);
      });
    },
    async close() {
      if (child.exitCode !== null) {
        return;
      }
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' } satisfies ChildMessage);
      await exited;
    },
  };
}
