/**
 * The job-name → processor table of the worker process. Its type has one entry per job of the
 * catalog (src/jobs/catalog.ts), so a job without a processor is a compile error; the request jobs
 * come from the catalog items, each running its item's flow through the shared request runner.
 */
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { CATALOG_ITEM_KEYS, ITEM_DEFINITIONS, type CatalogItemKey } from '../src/items/definitions';
import { ITEM_FLOWS } from '../src/items/flows';
import type { JobData, JobName } from '../src/jobs/catalog';
import { reconcile } from '../src/reconcile/sweep';
import type { RequestDeps } from '../src/requests/deps';
import { pollTasks } from '../src/requests/poll-tasks';
import { runRequest } from '../src/requests/run-request';
import { ticketUpdateProcessor, type TicketUpdateDeps } from '../src/ticket-updates/ticket-update-job';

/** Runs one attempt of a job whose data has been checked against the job's schema. */
export type Processor<N extends JobName = JobName> = (
  job: Job<JobData<N>>,
  token: string | undefined,
) => Promise<unknown>;

export type ProcessorTable = { readonly [N in JobName]: Processor<N> };

export interface ProcessorDeps {
  readonly requests: RequestDeps;
  readonly ticketUpdates: TicketUpdateDeps;
  /** The worker's Redis connection (the reconciler's sweep lock). */
  readonly redis: Redis;
}

function requestProcessor<K extends CatalogItemKey>(key: K, deps: RequestDeps): Processor {
  return (job, token) => runRequest(ITEM_FLOWS[key], job, token, deps);
}

export function createProcessors(deps: ProcessorDeps): ProcessorTable {
  const requestJobs = Object.fromEntries(
    CATALOG_ITEM_KEYS.map((key) => [ITEM_DEFINITIONS[key].job, requestProcessor(key, deps.requests)]),
  ) as { readonly [N in (typeof ITEM_DEFINITIONS)[CatalogItemKey]['job']]: Processor<N> };
  return {
    ...requestJobs,
    'ticket.update': ticketUpdateProcessor(deps.ticketUpdates),
    // Every `tuning.pollIntervalSeconds`: advances every request waiting on a Storware task from
    // one paged list call.
    'tasks.poll': async () => {
      const report = await pollTasks(deps.requests);
      if (report.watched > 0) {
        deps.requests.logger.debug(report, 'polled Storware tasks');
      }
      return report;
    },
    // Every `tuning.reconcileIntervalSeconds`: repairs missed webhooks, lost jobs and lost ticket
    // updates.
    'reconcile.sweep': () => reconcile(deps.requests, deps.redis),
  };
}
