/**
 * What request processing needs, built once per worker process and handed to every processor.
 * Ports, not imports: tests build the same object around simulators and a real Redis.
 */
import type { Redis } from 'ioredis';
import type { Catalog } from '../catalog/definitions';
import type { VariableParser } from '../catalog/variables';
import type { ServiceNowClient } from '../clients/servicenow';
import type { StorwareClient } from '../clients/storware';
import type { Config } from '../config';
import type { Queues } from '../jobs/queues';
import type { Ledger } from '../ledger';
import type { Logger } from '../logger';
import type { TicketOutbox } from '../ticket-updates/outbox';
import type { TaskWatch } from './task-watch';
import type { ProjectDirectory } from './project-directory';

export interface RequestDeps {
  readonly config: Config;
  readonly logger: Logger;
  /** The worker's Redis connection, for the request run's own keys (locks, create intents, claims). */
  readonly redis: Redis;
  readonly ledger: Ledger;
  readonly outbox: TicketOutbox;
  readonly queues: Queues;
  readonly storware: StorwareClient;
  readonly servicenow: ServiceNowClient;
  readonly catalog: Catalog;
  readonly variables: VariableParser;
  readonly watch: TaskWatch;
  readonly projects: ProjectDirectory;
  readonly now: () => number;
  /** Window of the per-tenant start throttle (src/tenancy/tenant-starts.ts); one minute unless a
   * test shortens it. Not a config field: the limit is "per minute" by contract. */
  readonly tenantStartWindowMs?: number;
}
