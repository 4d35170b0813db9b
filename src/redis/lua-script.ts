/**
 * A Lua script run with EVALSHA, falling back to EVAL once when the server does not know it yet
 * (after a restart or a failover, or on first use). Sending only the sha keeps each call small;
 * the fallback makes script loading invisible to callers. Works on the fail-fast producer
 * connection, where ioredis' own `defineCommand` would add dynamic, untyped methods.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export type LuaArg = string | number;

export interface LuaScript {
  readonly sha: string;
  run(redis: Redis, keys: readonly string[], args: readonly LuaArg[]): Promise<unknown>;
}

export function luaScript(source: string): LuaScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return {
    sha,
    async run(redis, keys, args) {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
          return redis.eval(source, keys.length, ...keys, ...args);
        }
        throw error;
      }
    },
  };
}
