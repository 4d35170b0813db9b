/**
 * Step 4c of a request run (runSteps in guards.ts): the tenant's start throttle. A request whose tenant has
 * used its starts for the minute waits its turn in line (src/tenancy/tenant-starts.ts); the first
 * wait is told once (timeline, work note, metric) and rechecks stay quiet.
 */
import type { CatalogItemKey } from '../items/definitions';
import type { LedgerEntry } from '../ledger';
import { reportTenantThrottled } from '../observability/events';
import { admitTenantStart, leaveTenantLine, startsPerMinuteFor } from '../tenancy/tenant-starts';
import type { RequestDeps } from './deps';
import type { ItemContext, StepResult } from './flow';
import { formatDuration, formatInstant } from './wording';

const THROTTLED_EVENT = 'tenant.throttled';

/**
 * Admits the request's first Storware call under its tenant's starts per minute, or puts it to
 * sleep until its turn (see src/tenancy/tenant-starts.ts). Waiting is `queued`: the request is
 * ready and in line, not waiting for anything the requester or an approver could change. The
 * first wait is told once (timeline, work note, metric); rechecks stay quiet.
 */
export async function tenantStartGate<K extends CatalogItemKey>(
  ctx: ItemContext<K>,
): Promise<StepResult | undefined> {
  const { deps, entry, tenant } = ctx;
  const limit = startsPerMinuteFor(deps.config.connector, tenant);
  if (limit === 0) {
    return undefined;
  }
  const throttled = entry.timeline.find((e) => e.type === THROTTLED_EVENT);
  const queuedAt = throttled?.data?.queuedAt;
  const now = deps.now();
  const admission = await admitTenantStart(deps.redis, deps.config.redis.prefix, {
    tenantId: tenant.id,
    requestId: entry.requestId,
    limit,
    now,
    windowMs: deps.tenantStartWindowMs,
    // The place in line this request took when it first waited, kept across reruns.
    queuedAt: typeof queuedAt === 'number' ? queuedAt : undefined,
  });
  if (admission.admitted) {
    if (admission.fresh && throttled) {
      await ctx.event(
        'tenant.admitted',
        `Admitted after waiting ${formatDuration(now - throttled.at)} for a Storware slot of tenant ${tenant.id}`,
      );
    }
    return undefined;
  }
  ctx.log.debug(
    { tenant: tenant.id, limit, ahead: admission.ahead, retryAt: admission.retryAt },
    'tenant start throttle: waiting for a slot',
  );
  if (!throttled) {
    // Queued before the timeline event is written (by runRequest, after this returns), so a
    // recheck that finds the event knows the note is out; a crash in between repeats the enqueue,
    // which `once` absorbs.
    reportTenantThrottled(tenant.id);
    await ctx.ticket(
      {
        workNote: `Waiting for a Storware slot: tenant ${tenant.id} may start ${limit} request(s) per minute; this one starts at about ${formatInstant(admission.retryAt)}.`,
      },
      'throttled',
    );
  }
  return {
    kind: 'wait',
    until: admission.retryAt,
    state: 'queued',
    event: throttled
      ? undefined
      : {
          type: THROTTLED_EVENT,
          message: `Tenant ${tenant.id} reached its ${limit} starts per minute; waiting for a Storware slot (${admission.ahead} ahead), about ${formatInstant(admission.retryAt)}`,
          data: { queuedAt: now, limit },
        },
  };
}

/** A request that ended while in line (cancelled, window expired) lets those behind it move up. */
export async function leaveTenantLineIfWaiting(deps: RequestDeps, entry: LedgerEntry): Promise<void> {
  if (entry.tenant && entry.timeline.some((e) => e.type === THROTTLED_EVENT)) {
    await leaveTenantLine(deps.redis, deps.config.redis.prefix, entry.tenant, entry.requestId);
  }
}
