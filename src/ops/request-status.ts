/**
 * Finding a request the way people refer to it (the RITM number on the ticket, the RITM's sys_id
 * in a ServiceNow URL, or the connector's request id in the ticket's correlation_id) and putting
 * together everything an agent needs about it: the ledger entry, the ticket updates still waiting
 * in the outbox, and the state of its jobs.
 */
import type { Job } from 'bullmq';
import { NotFoundError, ValidationError } from '../errors';
import type { LedgerEntry, ListQuery } from '../ledger';
import type { OpsDeps } from './deps';
import { queueOfJobId } from './jobs';
import {
  requestDetailView,
  requestSummaryView,
  type RequestDetailView,
  type RequestJobView,
  type RequestSummaryView,
} from './request-view';

const RITM_NUMBER = /^RITM\d{1,32}$/;
const SYS_ID = /^[0-9a-f]{32}$/;
const REQUEST_ID = /^r-[0-9a-f]{32}$/;

export function isRequestRef(value: string): boolean {
  return RITM_NUMBER.test(value) || SYS_ID.test(value) || REQUEST_ID.test(value);
}

/** Normalises what a person typed: trims, upper-cases a RITM number, lower-cases ids. */
export function normalizeRequestRef(value: string): string {
  const trimmed = value.trim();
  return /^ritm\d+$/i.test(trimmed) ? trimmed.toUpperCase() : trimmed.toLowerCase();
}

/** The entry for a RITM number, sys_id or request id; undefined when none. */
export async function findRequest(
  deps: Pick<OpsDeps, 'ledger'>,
  ref: string,
): Promise<LedgerEntry | undefined> {
  const value = normalizeRequestRef(ref);
  if (RITM_NUMBER.test(value)) {
    return deps.ledger.getByNumber(value);
  }
  if (SYS_ID.test(value)) {
    return deps.ledger.getByRitm(value);
  }
  if (REQUEST_ID.test(value)) {
    return deps.ledger.get(value);
  }
  throw new ValidationError(
    'Not a request reference',
    [{ path: 'number', message: 'give a RITM number (RITM0010001), a RITM sys_id or a request id (r-…)' }],
    'invalid_query',
    400,
  );
}

export async function requireRequest(deps: Pick<OpsDeps, 'ledger'>, ref: string): Promise<LedgerEntry> {
  const entry = await findRequest(deps, ref);
  if (!entry) {
    throw new NotFoundError(
      `No request ${ref.trim()} (finished requests are kept for the ledger's retention)`,
      'request_not_found',
    );
  }
  return entry;
}

async function jobsOf(deps: Pick<OpsDeps, 'queues'>, entry: LedgerEntry): Promise<RequestJobView[]> {
  return Promise.all(
    entry.jobIds.map(async (id): Promise<RequestJobView> => {
      const queue = queueOfJobId(id) ?? 'requests';
      const job = (await deps.queues[queue].getJob(id)) as Job | undefined;
      if (!job) {
        return { id, queue, state: 'missing', attemptsMade: 0 };
      }
      const view: RequestJobView = { id, queue, state: await job.getState(), attemptsMade: job.attemptsMade };
      return job.failedReason ? { ...view, failedReason: job.failedReason } : view;
    }),
  );
}

export async function requestDetail(
  deps: Pick<OpsDeps, 'ledger' | 'outbox' | 'queues'>,
  ref: string,
): Promise<RequestDetailView> {
  const entry = await requireRequest(deps, ref);
  const [pending, jobs] = await Promise.all([deps.outbox.pending(entry.requestId), jobsOf(deps, entry)]);
  return requestDetailView(entry, pending, jobs);
}

export async function listRequests(
  deps: Pick<OpsDeps, 'ledger'>,
  query: ListQuery,
): Promise<{ items: RequestSummaryView[]; nextCursor?: string }> {
  let page;
  try {
    page = await deps.ledger.list(query);
  } catch (error) {
    // The ledger refuses a cursor it did not issue as a body problem (422); here it is a query parameter.
    if (error instanceof ValidationError && error.details.some((d) => d.path === 'cursor')) {
      throw new ValidationError(error.message, error.details, 'invalid_query', 400);
    }
    throw error;
  }
  const items = page.items.map(requestSummaryView);
  return page.nextCursor === undefined ? { items } : { items, nextCursor: page.nextCursor };
}
