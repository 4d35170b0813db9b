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
import { loadScript } from '../redis/lua-script';

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

// KEYS, ARGV and the reply are described in the script's header.
const admitScript = loadScript(__dirname, 'lua/admit-tenant-start.lua', { keys: 5 });

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
