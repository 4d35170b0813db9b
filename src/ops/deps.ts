/**
 * What the service-desk and ops operations need, built once by the API process (src/processes/api.ts) and
 * handed to the routes. Ports, not imports: tests build the same object on a real Redis.
 */
import type { Redis } from 'ioredis';
import type { Queues } from '../jobs/queues';
import type { Ledger } from '../ledger';
import type { Logger } from '../logger';
import type { TaskWatch } from '../requests/task-watch';
import type { TicketOutbox } from '../ticket-updates/outbox';
import type { AuditTrail } from './audit';

export interface OpsDeps {
  readonly ledger: Ledger;
  readonly queues: Queues;
  readonly outbox: TicketOutbox;
  readonly watch: TaskWatch;
  readonly audit: AuditTrail;
  /** The API's producer connection (action locks). */
  readonly redis: Redis;
  readonly prefix: string;
  readonly logger: Logger;
  readonly now: () => number;
}
