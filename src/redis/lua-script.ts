/**
 * Every Lua script of the connector is a `.lua` file loaded through `loadScript`, in BullMQ's
 * form: a header comment saying what it does, its Input (KEYS and ARGV by name) and its Output,
 * then named locals unpacked from KEYS and ARGV. Files live in a `lua/` folder next to the module
 * that builds their KEYS and ARGV (the ledger's in src/ledger/lua, the lock's in src/redis/lua),
 * so the script and its one caller change together and src/redis stays free of other modules' key
 * layouts. `npm run build` copies them into dist/ (scripts/copy-lua.mjs); a script missing there
 * fails the process when its module is imported, not at first use. test/unit/lua-scripts.test.ts
 * holds every script to this form and fails on a script no module loads.
 *
 * A line `--- @include "includes/name"` (BullMQ's syntax) is replaced by `includes/name.lua` from
 * the script's folder, once per script: Redis has no modules, so shared helpers are inlined.
 *
 * Scripts run with EVALSHA, falling back to EVAL once when the server does not know the script
 * yet (after a restart or a failover, or on first use). Sending only the sha keeps each call
 * small; the fallback makes script loading invisible to callers. Works on the fail-fast producer
 * connection, where ioredis' own `defineCommand` would add dynamic, untyped methods.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Cluster, Redis } from 'ioredis';

export type LuaArg = string | number;

export interface LuaScript {
  /** Absolute path of the `.lua` file it was loaded from. */
  readonly file: string;
  readonly sha: string;
  run(redis: Redis | Cluster, keys: readonly string[], args: readonly LuaArg[]): Promise<unknown>;
}

export interface LoadScriptOptions {
  /**
   * How many KEYS every call passes; a call with another count is refused before it reaches
   * Redis. Leave it out for scripts that take a variable number of keys.
   */
  readonly keys?: number;
}

const INCLUDE = /^--- @include "([^"]+)"[ \t]*$/gm;

/** The script's text with its includes inlined (each at most once, as BullMQ does). */
function readWithIncludes(file: string, seen: Set<string>): string {
  const source = readFileSync(file, 'utf8');
  return source.replace(INCLUDE, (_line, name: string) => {
    const included = resolve(dirname(file), `${name}.lua`);
    if (seen.has(included)) {
      return '';
    }
    seen.add(included);
    return readWithIncludes(included, seen);
  });
}

const loaded = new Map<string, LuaScript>();

/**
 * Loads `file` (relative to `dir`, normally the caller's `__dirname`) once per process: later
 * calls for the same file get the same script and sha.
 */
export function loadScript(dir: string, file: string, options: LoadScriptOptions = {}): LuaScript {
  const path = join(dir, file);
  const cached = loaded.get(path);
  if (cached) {
    return cached;
  }
  const script = fromSource(path, readWithIncludes(path, new Set()), options.keys);
  loaded.set(path, script);
  return script;
}

/** The files loaded so far in this process (a test checks that none is orphaned). */
export function loadedScriptFiles(): string[] {
  return [...loaded.keys()];
}

function fromSource(file: string, source: string, keyCount: number | undefined): LuaScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return {
    file,
    sha,
    async run(redis, keys, args) {
      if (keyCount !== undefined && keys.length !== keyCount) {
        throw new TypeError(`${file} takes ${keyCount} keys, got ${keys.length}`);
      }
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
