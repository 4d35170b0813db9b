/**
 * Request rate limits shared by every API process (OWASP API4; docs/reliability.md §4.3 S3).
 *
 * A sliding-window counter: one counter per fixed window, and the previous window's count weighted
 * by how much of it still overlaps the sliding window. It smooths the 2× burst a plain fixed window
 * allows at its edges, costs two small keys per subject and one round trip (a Lua script), and is
 * what large API gateways use. Both keys are passed as KEYS and carry the connector's hash-tagged
 * prefix, so the script is valid on Redis Cluster.
 *
 * Counting is best effort on purpose: if Redis cannot answer, the limiter lets the request through
 * (`allowed`, `degraded`). A limiter must not turn a Redis hiccup into refusals the caller cannot
 * tell from abuse; the routes that need Redis answer 503 on their own.
 */
import type { Redis, Cluster } from 'ioredis';
import { loadScript } from '../redis/lua-script';

export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly limit: number;
  /** Requests left in the current sliding window (0 when refused). */
  readonly remaining: number;
  /** When refused: whole seconds until a request would be let through (≥ 1). */
  readonly retryAfterSeconds: number;
  /** True when Redis could not be asked and the request was let through unchecked. */
  readonly degraded: boolean;
}

export interface RateLimiter {
  /** Counts one request of `subject` against `limit` per window; `limit` 0 means no limit. */
  hit(scope: string, subject: string, limit: number): Promise<RateLimitDecision>;
}

// KEYS, ARGV and the reply are described in the script's header.
const slidingWindowScript = loadScript(__dirname, 'lua/sliding-window.lua', { keys: 2 });

type Client = Redis | Cluster;

export interface RateLimiterOptions {
  /** Length of the sliding window; a minute unless a test shortens it. */
  readonly windowMs?: number;
  readonly now?: () => number;
  /** Told once per failure when Redis could not be asked. */
  readonly onDegraded?: (error: unknown) => void;
}

/** Keeps subjects short and free of anything that could alter the key's structure. */
function keyPart(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9_.:@-]/g, '_');
  return cleaned.length > 128 ? cleaned.slice(0, 128) : cleaned;
}

export function createRateLimiter(
  redis: Client,
  prefix: string,
  options: RateLimiterOptions = {},
): RateLimiter {
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  return {
    async hit(scope, subject, limit) {
      if (limit <= 0) {
        return {
          allowed: true,
          limit,
          remaining: Number.MAX_SAFE_INTEGER,
          retryAfterSeconds: 0,
          degraded: false,
        };
      }
      const at = now();
      const index = Math.floor(at / windowMs);
      const base = `${prefix}:ratelimit:${keyPart(scope)}:${keyPart(subject)}`;
      try {
        const [allowed, remaining, retryAfterMs] = (await slidingWindowScript.run(
          redis,
          [`${base}:${index}`, `${base}:${index - 1}`],
          [limit, windowMs, at - index * windowMs],
        )) as [number, number, number];
        return {
          allowed: allowed === 1,
          limit,
          remaining: Math.max(0, remaining),
          retryAfterSeconds: allowed === 1 ? 0 : Math.max(1, Math.ceil(retryAfterMs / 1000)),
          degraded: false,
        };
      } catch (error) {
        options.onDegraded?.(error);
        return { allowed: true, limit, remaining: 0, retryAfterSeconds: 0, degraded: true };
      }
    },
  };
}
