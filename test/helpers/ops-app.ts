/**
 * The API process as src/processes/api.ts composes it (real Redis, real queues, the ops routes), without
 * workers, under a unique prefix; plus what tests need to arrange a situation: ledger entries,
 * jobs that failed, and fetch helpers with the test tokens.
 */
import { randomBytes } from 'node:crypto';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { startApi, type ApiProcess } from '../../src/processes/api';
import type { Config } from '../../src/config';
import type { CatalogItemKey } from '../../src/items/definitions';
import { requestJobId, requestJobName, type QueueName } from '../../src/jobs/catalog';
import { closeQueues, createQueues, type Queues } from '../../src/jobs/queues';
import { createLedger, type Ledger, type LedgerEntry, type LedgerPatch } from '../../src/ledger';
import { silentLogger } from '../../src/logger';
import type { OpsOptions } from '../../src/ops/options';
import { closeAll } from '../../src/processes/shutdown';
import { createTicketOutbox, type TicketOutbox } from '../../src/ticket-updates/outbox';
import { TEST_AGENT_TOKEN, TEST_OPS_TOKEN, testConfig } from './config';
import { deleteByPrefix, newRedis, uniquePrefix } from './redis';
import { waitFor } from './stack';

export interface OpsApp {
  readonly url: string;
  readonly prefix: string;
  readonly config: Config;
  readonly redis: Redis;
  readonly queues: Queues;
  readonly ledger: Ledger;
  readonly outbox: TicketOutbox;
  readonly tokens: { readonly agent: string; readonly ops: string };
  /** A request in the ledger, as intake and a worker would have left it. */
  seedRequest(input?: SeedInput): Promise<LedgerEntry>;
  /** Adds these jobs with one attempt and lets a worker fail each of them with `message`. */
  failJobs(
    queue: QueueName,
    jobs: ReadonlyArray<{ name: string; data: object; id: string }>,
    message?: string,
  ): Promise<Job[]>;
  /** Adds and fails the run job of a request. */
  failRequestJob(entry: LedgerEntry, message?: string): Promise<Job>;
  close(): Promise<void>;
}

export interface SeedInput {
  readonly item?: CatalogItemKey;
  readonly patch?: LedgerPatch;
  readonly event?: { type: string; message: string };
}

let counter = 0;

export async function startOpsApp(options: { ops?: Partial<OpsOptions> } = {}): Promise<OpsApp> {
  const prefix = uniquePrefix('ops');
  const config = testConfig({ QUEUE_PREFIX: prefix, PORT: '0' });
  const api: ApiProcess = await startApi(config, silentLogger(), { host: '127.0.0.1', ops: options.ops });
  const redis = newRedis();
  const tuning = config.connector.tuning;
  const queues = createQueues(redis, prefix, tuning);
  const ledger = createLedger(redis, prefix, { retentionDays: tuning.ledgerRetentionDays });
  const outbox = createTicketOutbox(redis, prefix, queues['ticket-updates'], {
    progressIntervalMs: 60_000,
    closedRetentionMs: 86_400_000,
  });

  async function failJobs(
    queue: QueueName,
    jobs: ReadonlyArray<{ name: string; data: object; id: string }>,
    message = 'Storware did not answer within 5000 ms',
  ): Promise<Job[]> {
    const added = await Promise.all(
      jobs.map((j) => queues[queue].add(j.name, j.data, { jobId: j.id, attempts: 1 })),
    );
    const connection = newRedis();
    const worker = new Worker(queue, () => Promise.reject(new Error(message)), {
      connection,
      prefix,
      concurrency: 10,
      // The queues' default backoff is the workers' custom strategy; this worker must know it too.
      settings: { backoffStrategy: () => 0 },
    });
    worker.on('error', () => undefined);
    try {
      await waitFor(
        async () => {
          const states = await Promise.all(added.map((job) => job.getState()));
          return states.every((s) => s === 'failed') ? true : undefined;
        },
        10_000,
        'jobs to fail',
      );
    } finally {
      await worker.close();
      connection.disconnect();
    }
    return Promise.all(added.map(async (job) => (await queues[queue].getJob(job.id!))!));
  }

  return {
    url: `http://127.0.0.1:${api.http.port}`,
    prefix,
    config,
    redis,
    queues,
    ledger,
    outbox,
    tokens: { agent: TEST_AGENT_TOKEN, ops: TEST_OPS_TOKEN },
    async seedRequest(input = {}) {
      counter += 1;
      const { entry } = await ledger.createOrGet({
        ritmSysId: randomBytes(16).toString('hex'),
        number: `RITM${String(Date.now() % 1e6).padStart(6, '0')}${counter}`,
        item: input.item ?? 'storware_backup_now',
        receivedEvent: { type: 'request.received', message: 'ServiceNow sent ritm.submitted' },
      });
      if (input.patch || input.event) {
        await ledger.update(entry.requestId, input.patch ?? {}, input.event);
      }
      return (await ledger.get(entry.requestId))!;
    },
    failJobs,
    async failRequestJob(entry, message) {
      const [job] = await failJobs(
        'requests',
        [
          {
            name: requestJobName(entry.item),
            id: requestJobId(entry.requestId),
            data: {
              requestId: entry.requestId,
              ritmSysId: entry.ritmSysId,
              number: entry.number,
              item: entry.item,
            },
          },
        ],
        message,
      );
      await ledger.addJobId(entry.requestId, requestJobId(entry.requestId));
      return job!;
    },
    async close() {
      await closeAll(api.closers, silentLogger(), 5_000);
      await closeQueues(queues);
      await deleteByPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}
