/**
 * The job catalog: every queue, every job name, its payload schema and its default options.
 *
 * Queues are split by rate class, not one per job (style-anchors §4): `requests` drives Storware
 * work and is sized by Storware's capacity; `ticket-updates` is the outbox towards ServiceNow and is
 * rate limited by the instance's Table API budget; `maintenance` holds the periodic poller and
 * reconciler. Payloads carry ids only: job data is clear text in Redis and outlives deploys, so it
 * never holds a secret and is re-parsed by the processor.
 */
import { z } from 'zod';
import { CATALOG_ITEM_KEYS, type CatalogItemKey } from '../config';

export const QUEUE_NAMES = {
  requests: 'requests',
  ticketUpdates: 'ticket-updates',
  maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** One job per catalog item; the processor for each lives in its own file in workers/. */
export const REQUEST_JOB_BY_ITEM: Record<CatalogItemKey, string> = {
  storware_backup_now: 'request.backup-now',
  storware_restore_point: 'request.restore-point',
  storware_protect_vm: 'request.protect-vm',
};

export const JOB_NAMES = {
  backupNow: 'request.backup-now',
  restorePoint: 'request.restore-point',
  protectVm: 'request.protect-vm',
  ticketUpdate: 'ticket.update',
  pollTasks: 'tasks.poll',
  reconcile: 'reconcile.sweep',
} as const;
export type JobName = (typeof JOB_NAMES)[keyof typeof JOB_NAMES];

const REQUEST_ID = /^r-[0-9a-f]{32}$/;
const SYS_ID = /^[0-9a-f]{32}$/;

export const requestJobSchema = z
  .object({
    requestId: z.string().regex(REQUEST_ID),
    ritmSysId: z.string().regex(SYS_ID),
    number: z.string().min(1).max(40),
    item: z.enum(CATALOG_ITEM_KEYS),
  })
  .strict();
export type RequestJobData = z.infer<typeof requestJobSchema>;

export const maintenanceJobSchema = z.object({}).strict();

/** Which queue each job runs on; checked at worker start so a job without a processor fails fast. */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  'request.backup-now': 'requests',
  'request.restore-point': 'requests',
  'request.protect-vm': 'requests',
  'ticket.update': 'ticket-updates',
  'tasks.poll': 'maintenance',
  'reconcile.sweep': 'maintenance',
};

/** Request ids are opaque, unique per RITM, and safe as BullMQ job ids (no ':' and not all digits). */
export function isRequestId(value: string): boolean {
  return REQUEST_ID.test(value);
}

/** The run job of a request has a deterministic id: a second add while it exists is a no-op. */
export function requestJobId(requestId: string): string {
  return `run-${requestId}`;
}

export function requestJobName(item: CatalogItemKey): string {
  return REQUEST_JOB_BY_ITEM[item];
}
