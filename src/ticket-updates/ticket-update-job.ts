/**
 * Job `ticket.update`: flush a ticket's pending updates to ServiceNow (src/ticket-updates).
 *
 * Many jobs may exist for one ticket; whichever runs first writes everything pending, in order,
 * and the rest find nothing left. A ticket another flusher holds, or a progress note not yet due,
 * puts the job back as a delayed job instead of keeping a worker busy. A 429 from ServiceNow
 * pauses the whole queue for the time ServiceNow asked (see workers/worker-pool.ts).
 */
import { DelayedError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { ticketUpdateJobSchema } from '../jobs/catalog';
import type { Ledger } from '../ledger';
import type { Logger } from '../logger';
import { flushTicket, type TicketWriter } from './flush-ticket';
import type { TicketOutbox } from './outbox';
import { CONNECTOR_NAME } from '../requests/wording';
import { reportTicketUpdateLag } from '../observability/events';

export interface TicketUpdateDeps {
  readonly redis: Redis;
  readonly outbox: TicketOutbox;
  readonly writer: TicketWriter;
  readonly ledger: Ledger;
  readonly logger: Logger;
  readonly progressIntervalMs: number;
  readonly retentionMs: number;
  readonly fallbackStateField?: string;
  readonly now: () => number;
}

export function ticketUpdateProcessor(deps: TicketUpdateDeps) {
  return async (job: Job, token: string | undefined) => {
    const { requestId, ritmSysId } = ticketUpdateJobSchema.parse(job.data);
    const log = deps.logger.child({ requestId, jobId: job.id });
    const result = await flushTicket(deps.redis, deps.writer, {
      keys: deps.outbox.keys(requestId),
      requestId,
      ritmSysId,
      progressIntervalMs: deps.progressIntervalMs,
      closedRetentionMs: deps.retentionMs,
      fallbackStateField: deps.fallbackStateField,
      correlationDisplay: CONNECTOR_NAME,
      now: deps.now,
      onApplied: async (update, fields) => {
        reportTicketUpdateLag((deps.now() - update.createdAt) / 1000);
        if (fields.state !== undefined) {
          await deps.ledger.update(
            requestId,
            { ticketState: fields.state },
            {
              type: 'ticket.updated',
              message: `Ticket state set to ${fields.state}`,
              data: { update: update.id },
            },
          );
        }
      },
      onDropped: (update) => log.info({ update: update.id }, 'ticket already closed; late update dropped'),
      onStateRefused: async (update, error) => {
        log.warn(
          { update: update.id, status: error.status },
          'ServiceNow refused the state change; wrote notes instead',
        );
        await deps.ledger.appendEvent(requestId, {
          type: 'ticket.state_refused',
          message: `ServiceNow refused the state change (${error.remoteMessage ?? `HTTP ${error.status}`}); an agent must set it`,
        });
      },
    });
    switch (result.kind) {
      case 'done':
        return { applied: result.applied, dropped: result.dropped };
      case 'busy':
        await job.moveToDelayed(deps.now() + 500, token);
        throw new DelayedError();
      case 'wait':
        await job.moveToDelayed(result.until, token);
        throw new DelayedError();
    }
  };
}
