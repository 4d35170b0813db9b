/** The machine and software a result was measured on, printed with every table. */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, platform, release } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';

export interface MachineInfo {
  readonly date: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly redis: string;
  readonly redisMode: string;
  readonly bullmq: string;
  readonly ioredis: string;
  readonly express: string;
  readonly autocannon: string;
  /** 1-minute load average when the run started: other work on the machine skews every figure. */
  readonly loadAverageAtStart: number;
}

function packageVersion(name: string): string {
  try {
    const file = join(__dirname, '..', '..', 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '?';
  } catch {
    return '?';
  }
}

export async function machineInfo(redis: Redis, redisMode: string): Promise<MachineInfo> {
  const server = await redis.info('server');
  const redisVersion = /redis_version:(\S+)/.exec(server)?.[1] ?? '?';
  const cpu = cpus();
  return {
    date: new Date().toISOString(),
    cpuModel: cpu[0]?.model.trim() ?? '?',
    cores: cpu.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
    redis: redisVersion,
    redisMode,
    bullmq: packageVersion('bullmq'),
    ioredis: packageVersion('ioredis'),
    express: packageVersion('express'),
    autocannon: packageVersion('autocannon'),
    loadAverageAtStart: Math.round(loadavg()[0]! * 100) / 100,
  };
}
