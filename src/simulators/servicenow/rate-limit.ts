/**
 * Inbound REST rate limiting (docs/servicenow.md §1 "Rate limits"): rules in requests per hour, here per
 * user (or one rule for all users). While a rule applies, every Table API answer carries
 * `X-RateLimit-Limit`, `X-RateLimit-Reset` (UNIX seconds) and `X-RateLimit-Rule` (the rule's
 * sys_id); over the limit the answer is 429 with `Retry-After` and the documented envelope.
 *
 * Windows are clock hours of the injected clock. The instance commits counts every 30 s per node,
 * so a real limit lags a little; the simulator counts exactly, which is the stricter case.
 */
import { json, type SimResponse } from '../http-kit';
import { namedSysId } from './ids';

const HOUR_MS = 3_600_000;
const ALL_USERS = '*';

export type RateLimitConfig = number | Readonly<Record<string, number>>;

export interface RateLimitDecision {
  /** Headers for the answer (empty when no rule applies). */
  readonly headers: Record<string, string>;
  /** Set when the call is refused. */
  readonly refusal?: SimResponse;
}

export interface RateLimiter {
  /** Counts one Table API call by `user` and decides. */
  hit(user: string): RateLimitDecision;
  /** Sets (or with undefined removes) the hourly limit for a user, or for everyone with `*`. */
  setLimit(user: string, perHour: number | undefined): void;
}

export function createRateLimiter(config: RateLimitConfig | undefined, now: () => number): RateLimiter {
  const limits = new Map<string, number>();
  if (typeof config === 'number') {
    limits.set(ALL_USERS, config);
  } else if (config !== undefined) {
    for (const [user, limit] of Object.entries(config)) {
      limits.set(user, limit);
    }
  }
  const counts = new Map<string, number>();

  return {
    hit(user) {
      const ruleKey = limits.has(user) ? user : ALL_USERS;
      const limit = limits.get(ruleKey);
      if (limit === undefined) {
        return { headers: {} };
      }
      const window = Math.floor(now() / HOUR_MS);
      const resetSeconds = ((window + 1) * HOUR_MS) / 1000;
      const headers = {
        'X-RateLimit-Limit': String(limit),
        'X-RateLimit-Reset': String(resetSeconds),
        'X-RateLimit-Rule': namedSysId(`sys_rate_limit_rules:${ruleKey}`),
      };
      const countKey = `${user}|${window}`;
      const used = counts.get(countKey) ?? 0;
      if (used >= limit) {
        const retryAfter = Math.max(1, Math.ceil(resetSeconds - now() / 1000));
        return {
          headers,
          refusal: json(
            429,
            {
              error: {
                message: 'Rate limit exceeded',
                detail: `Rate limit of ${limit} requests per hour for Table API exceeded`,
              },
              status: 'failure',
            },
            { ...headers, 'Retry-After': String(retryAfter) },
          ),
        };
      }
      counts.set(countKey, used + 1);
      return { headers };
    },
    setLimit(user, perHour) {
      if (perHour === undefined) {
        limits.delete(user);
      } else {
        limits.set(user, perHour);
      }
    },
  };
}
