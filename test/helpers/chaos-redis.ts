/**
 * Real Redis servers for the chaos and scale-out suites, controlled the way an outage would be:
 * a private `redis-server` per run, in its own temporary directory, on a fixed port, so it can be
 * killed, shut down, restarted on the same port with its AOF, paused (SIGSTOP) or starved of
 * memory; and a local 3-master Redis Cluster. Everything binds 127.0.0.1 and is removed on
 * `destroy()`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/cli/local-redis';
import { redisReachable } from '../../src/redis/connection';

const SERVER = process.env.REDIS_SERVER_BIN ?? 'redis-server';
const CLI = process.env.REDIS_CLI_BIN ?? 'redis-cli';

export interface RedisServerOptions {
  /** AOF on (`appendfsync everysec`): what the operator guide asks for, and what R5 needs. */
  readonly appendonly?: boolean;
  /** Start as a cluster node (`cluster-enabled yes`). */
  readonly cluster?: boolean;
  /** Do not start yet (R6: Redis unreachable when the connector starts). */
  readonly deferStart?: boolean;
  readonly port?: number;
}

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  running(): boolean;
  /** (Re)starts on the same port and directory; resolves once it answers PING. */
  start(): Promise<void>;
  /** SIGKILL: a crash, the AOF keeps what it had fsynced (everysec: all but ≤ ~1 s). */
  crash(): Promise<void>;
  /** SHUTDOWN (AOF flushed): a planned stop. */
  shutdown(): Promise<void>;
  pause(): void;
  resume(): void;
  /** Copies the AOF as it is on disk now (fsynced every second); returns the copy's path. */
  snapshotAof(): string;
  /**
   * Crashes the server and restarts it from an earlier AOF copy: every write since the snapshot is
   * gone, as after a failover to a replica that lagged behind (docs/reliability.md §2.2).
   */
  restartFromAof(snapshot: string): Promise<void>;
  /** `redis-cli -p <port> …`, stdout trimmed. */
  cli(...args: string[]): Promise<string>;
  destroy(): Promise<void>;
}

export function redisCli(port: number, args: readonly string[], timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      CLI,
      ['-h', '127.0.0.1', '-p', String(port), ...args],
      { timeout: timeoutMs },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`redis-cli ${args.join(' ')} failed: ${stderr || error.message}`));
          return;
        }
        resolve(stdout.trim());
      },
    );
  });
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sic-chaos-redis-'));
  const port = options.port ?? (await freePort());
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    options.appendonly ? 'yes' : 'no',
    '--appendfsync',
    'everysec',
    '--maxmemory-policy',
    'noeviction',
    '--protected-mode',
    'no',
    ...(options.cluster
      ? ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000']
      : []),
  ];

  const server: RedisServer = {
    port,
    url,
    dir,
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    async start() {
      if (server.running()) {
        return;
      }
      const started = spawn(SERVER, args, { stdio: 'ignore' });
      child = started;
      exited = new Promise((resolve) => started.once('exit', () => resolve()));
      const spawnError = new Promise<boolean>((_, reject) => started.once('error', reject));
      await waitUntil(
        () => Promise.race([redisReachable(url, 300), spawnError]),
        10_000,
        `redis-server on ${port}`,
      );
    },
    async crash() {
      if (server.running()) {
        child!.kill('SIGCONT');
        child!.kill('SIGKILL');
      }
      await exited;
    },
    async shutdown() {
      if (!server.running()) {
        return;
      }
      child!.kill('SIGCONT');
      await redisCli(port, ['SHUTDOWN']).catch(() => child!.kill('SIGTERM'));
      await exited;
    },
    snapshotAof() {
      const copy = mkdtempSync(join(tmpdir(), 'sic-chaos-aof-'));
      cpSync(join(dir, 'appendonlydir'), join(copy, 'appendonlydir'), { recursive: true });
      return copy;
    },
    async restartFromAof(snapshot) {
      await server.crash();
      rmSync(join(dir, 'appendonlydir'), { recursive: true, force: true });
      cpSync(join(snapshot, 'appendonlydir'), join(dir, 'appendonlydir'), { recursive: true });
      rmSync(snapshot, { recursive: true, force: true });
      await server.start();
    },
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    cli: (...cliArgs) => redisCli(port, cliArgs),
    async destroy() {
      await server.crash();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  if (!options.deferStart) {
    await server.start();
  }
  return server;
}

export interface RedisClusterHandle {
  /** `redis+cluster://…`, what REDIS_URL is set to. */
  readonly url: string;
  readonly nodes: readonly RedisServer[];
  destroy(): Promise<void>;
}

/** Three masters, no replicas, all 16384 slots assigned; resolves once the cluster state is ok. */
export async function startRedisCluster(masters = 3): Promise<RedisClusterHandle> {
  const nodes: RedisServer[] = [];
  try {
    for (let i = 0; i < masters; i += 1) {
      nodes.push(await startRedisServer({ cluster: true }));
    }
    await redisCli(nodes[0]!.port, [
      '--cluster',
      'create',
      ...nodes.map((n) => `127.0.0.1:${n.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await waitUntil(
      async () => {
        const infos = await Promise.all(nodes.map((n) => n.cli('CLUSTER', 'INFO').catch(() => '')));
        return infos.every((info) => info.includes('cluster_state:ok'));
      },
      20_000,
      'cluster_state:ok on every node',
    );
  } catch (error) {
    await Promise.all(nodes.map((n) => n.destroy()));
    throw error;
  }
  return {
    url: `redis+cluster://${nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`,
    nodes,
    async destroy() {
      await Promise.all(nodes.map((n) => n.destroy()));
    },
  };
}

export interface RedisSentinelHandle {
  /** `redis+sentinel://…/<master>`, what REDIS_URL is set to. */
  readonly url: string;
  readonly primary: RedisServer;
  destroy(): Promise<void>;
}

/** A primary and one Sentinel watching it (quorum 1), as `redis-server --sentinel` runs it. */
export async function startRedisSentinel(masterName = 'sicmaster'): Promise<RedisSentinelHandle> {
  const primary = await startRedisServer({ appendonly: true });
  const dir = mkdtempSync(join(tmpdir(), 'sic-chaos-sentinel-'));
  const port = await freePort();
  writeFileSync(
    join(dir, 'sentinel.conf'),
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${masterName} 127.0.0.1 ${primary.port} 1`,
      `sentinel down-after-milliseconds ${masterName} 5000`,
      '',
    ].join('\n'),
  );
  const child = spawn(SERVER, [join(dir, 'sentinel.conf'), '--sentinel'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const destroy = async () => {
    child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
    await primary.destroy();
  };
  try {
    await waitUntil(
      async () =>
        (await redisCli(port, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName]).catch(() => '')).includes(
          String(primary.port),
        ),
      10_000,
      'the sentinel to know the primary',
    );
  } catch (error) {
    await destroy();
    throw error;
  }
  return { url: `redis+sentinel://127.0.0.1:${port}/${masterName}`, primary, destroy };
}
