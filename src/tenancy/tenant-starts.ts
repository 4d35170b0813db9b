/**
 * Per-tenant start throttle (OWASP API4, unrestricted resource consumption): how many requests of
 * one tenant may start — make their first Storware call — per minute, across every worker process.
 * One tenant's burst of orders cannot monopolise Storware; the others' requests start as usual.
 *
 * A request over the limit does not fail: it waits its turn in a line per tenant, first come first
 * served, and is admitted exactly once. Admission is one Lua script (atomic, one round trip) over
 * keys under the configured prefix (a Redis Cluster hash tag, so they share one slot):
 *
 *   P:tenant-starts:<tenant>            zset  requestId → admission time; the sliding window
 *   P:tenant-starts:<tenant>:line       zset  requestId → when it first had to wait (the order)
 *   P:tenant-starts:<tenant>:deadline   zset  requestId → when a waiter that has not asked again
 *                                             counts as gone (cancelled, abandoned, crashed)
 *   P:ledger:req:<requestId>:data       hash  field `tenantAdmittedAt` (see below)
 *
 * Why a line and not only the window: when a slot frees, whichever request asks first would take
 * it, so a newcomer could overtake a request that has been waiting for minutes. A request is
 * admitted only when the requests ahead of it in the line leave fewer waiters than there are free
 * slots. Its place is kept across reruns: it joins the line with the time it first waited (from
 * its timeline), so even a waiter dropped as gone (a worker outage longer than its deadline) comes
 * back to the same place.
 *
 * Why the mark in the ledger entry: the window forgets an admission after a minute, but a request
 * may sit between admission and its first Storware task much longer (a new instance not yet in
 * the inventory, retries with backoff, an ops replay days later). The mark lives as long as the
 * entry, so such a rerun is never throttled again and never takes a second slot. The script
 * writes it in the same step as the admission; the ledger's own readers ignore the field.
 *
 * Times are the callers' clocks (as in the ledger). Worker clocks that disagree by a few hundred
 * milliseconds shift a slot's release by as much, which a per-minute limit does not notice.
 */
import type { Redis } from 'ioredis';
import type { ConnectorFile, TenantConfig } from '../config';
import { ledgerKeys } from '../ledger/codec';
import { luaScript } from '../redis/lua-script';

/** The window the limit counts in: "per minute". Tests pass a shorter one through the deps. */
export const TENANT_START_WINDOW_MS = 60_000;

/** Field of the ledger entry's :data hash that records the admission (epoch ms). */
export const ADMITTED_FIELD = 'tenantAdmittedAt';

/**
 * Starts per minute for a tenant; 0 = no limit. The tenant's own `startsPerMinute` wins, 0
 * included (a tenant exempted from a global limit), else `tuning.tenantStartsPerMinute`.
 */
export function startsPerMinuteFor(file: ConnectorFile, tenant: TenantConfig): number {
  return tenant.startsPerMinute ?? file.tuning.tenantStartsPerMinute;
}

export function tenantStartKeys(prefix: string, tenantId: string) {
  const base = `${prefix}:tenant-starts:${tenantId}`;
  return { window: base, line: `${base}:line`, deadline: `${base}:deadline` };
}

export interface AdmissionInput {
  readonly tenantId: string;
  readonly requestId: string;
  /** Starts per window; at least 1 (0 means no limit: do not ask). */
  readonly limit: number;
  /** Epoch ms. */
  readonly now: number;
  /** Length of the sliding window (default one minute). */
  readonly windowMs?: number;
  /** When this request first had to wait, to keep its place in the line; default `now`. */
  readonly queuedAt?: number;
}

export type Admission =
  | {
      readonly admitted: true;
      /** When the request was admitted (this call or an earlier one). */
      readonly admittedAt: number;
      /** True when this call took the slot; false for a rerun of an admitted request. */
      readonly fresh: boolean;
    }
  | {
      readonly admitted: false;
      /** When a slot should be free for this request (epoch ms, after `now`). */
      readonly retryAt: number;
      /** Requests ahead of it in the tenant's line. */
      readonly ahead: number;
    };

/**
 * KEYS: window zset, line zset, deadline zset, ledger entry hash, ledger entry :data hash.
 * ARGV: requestId, now, limit, windowMs, queuedAt, admitted field.
 * Returns {1, fresh, admittedAt} or {0, retryAt, ahead}.
 *
 * Numbers reach Redis commands through redis.call (formatted exactly); they are never
 * concatenated in Lua, whose tostring would write an epoch in ms as 1.7e+12.
 */
const admitScript = luaScript(`
local id = ARGV[1]
local now = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local window = tonumber(ARGV[4])
local queuedAt = tonumber(ARGV[5])
local field = ARGV[6]

-- Admitted before, however long ago: a rerun never counts again.
local marked = redis.call('HGET', KEYS[5], field)
if marked then
  return {1, 0, tonumber(marked)}
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local score = redis.call('ZSCORE', KEYS[1], id)
if score then
  return {1, 0, tonumber(score)}
end

-- Waiters that did not come back by their deadline are gone; they must not hold the line.
local gone = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[2], 'LIMIT', 0, 500)
if #gone > 0 then
  redis.call('ZREM', KEYS[2], unpack(gone))
  redis.call('ZREM', KEYS[3], unpack(gone))
end

local card = redis.call('ZCARD', KEYS[1])
local free = limit - card
redis.call('ZADD', KEYS[2], 'NX', queuedAt, id)
local rank = redis.call('ZRANK', KEYS[2], id)
if rank < free then
  redis.call('ZADD', KEYS[1], now, id)
  redis.call('PEXPIRE', KEYS[1], 2 * window)
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
  -- Only into an entry that exists: never leave a stray :data hash without its entry.
  if redis.call('EXISTS', KEYS[4]) == 1 then
    redis.call('HSET', KEYS[5], field, now)
  end
  return {1, 1, now}
end

-- Not yet: when does the slot for this place in the line free up? Releases, oldest first: the
-- admissions in the window (score + window), then the free slots the waiters ahead are about to
-- take (now + window). Beyond those, each slot is taken again when released and released one
-- window later, so the last 'limit' releases repeat with the window as period.
local k = rank - free
local n = math.max(card, limit)
local function release(i)
  if i < card then
    return tonumber(redis.call('ZRANGE', KEYS[1], i, i, 'WITHSCORES')[2]) + window
  end
  return now + window
end
local retryAt
if k < n then
  retryAt = release(k)
else
  local j = k - n
  retryAt = release(n - limit + j % limit) + (math.floor(j / limit) + 1) * window
end
local deadline = retryAt + window
redis.call('ZADD', KEYS[3], deadline, id)
local keep = deadline - now + window
for _, key in ipairs({KEYS[2], KEYS[3]}) do
  if redis.call('PTTL', key) < keep then
    redis.call('PEXPIRE', key, keep)
  end
end
return {0, retryAt, rank}
`);

/** Admits the request's start, or says when to ask again. Idempotent per request. */
export async function admitTenantStart(
  redis: Redis,
  prefix: string,
  input: AdmissionInput,
): Promise<Admission> {
  if (!Number.isInteger(input.limit) || input.limit < 1) {
    throw new RangeError(`tenant start limit must be a positive integer, got ${input.limit}`);
  }
  const windowMs = input.windowMs ?? TENANT_START_WINDOW_MS;
  const keys = tenantStartKeys(prefix, input.tenantId);
  const ledger = ledgerKeys(prefix);
  const [kind, value, extra] = (await admitScript.run(
    redis,
    [keys.window, keys.line, keys.deadline, ledger.entry(input.requestId), ledger.data(input.requestId)],
    [
      input.requestId,
      Math.trunc(input.now),
      input.limit,
      Math.max(1, Math.trunc(windowMs)),
      Math.trunc(input.queuedAt ?? input.now),
      ADMITTED_FIELD,
    ],
  )) as [number, number, number];
  if (kind === 1) {
    return { admitted: true, fresh: value === 1, admittedAt: extra };
  }
  return { admitted: false, retryAt: value, ahead: extra };
}

/**
 * Takes a finished request out of its tenant's line, so the requests behind it need not wait for
 * its deadline. Harmless when it is not in the line.
 */
export async function leaveTenantLine(
  redis: Redis,
  prefix: string,
  tenantId: string,
  requestId: string,
): Promise<void> {
  const keys = tenantStartKeys(prefix, tenantId);
  await redis.multi().zrem(keys.line, requestId).zrem(keys.deadline, requestId).exec();
}
