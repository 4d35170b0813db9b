/**
 * Job `reconcile.sweep`: runs on a schedule (`tuning.reconcileIntervalSeconds`) and repairs missed
 * webhooks, lost jobs and lost ticket updates (src/reconcile/sweep.ts).
 */
import type { Redis } from 'ioredis';
import type { RequestDeps } from '../src/requests/deps';
import { reconcile } from '../src/reconcile/sweep';

export function reconcileProcessor(deps: RequestDeps, redis: Redis) {
  return () => reconcile(deps, redis);
}
