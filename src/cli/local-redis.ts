/**
 * Finding or starting a Redis for tests, the demo and the benchmarks (never production). A private server keeps
 * nothing on disk beyond its temporary directory and is configured like production for queues
 * (noeviction); AOF stays off because nothing here needs to survive the process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisReachable } from '../redis/connection';

export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export async function resolveTestRedis(candidate: string | undefined): Promise<string | undefined> {
  const url = candidate ?? 'redis://127.0.0.1:6379';
  return (await redisReachable(url, 1_000)) ? url : undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startPrivateRedis(
  binary = process.env.REDIS_SERVER_BIN ?? 'redis-server',
): Promise<PrivateRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'sic-redis-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: 'ignore', detached: false },
  );
  const url = `redis://127.0.0.1:${port}`;
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const ready = await Promise.race([redisReachable(url, 300), spawnError]);
    if (ready) {
      return {
        url,
        port,
        stop: async () => {
          child.kill('SIGTERM');
          await new Promise((resolve) => child.once('exit', resolve));
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`redis-server did not answer on port ${port} within 5 s`);
}
