/**
 * The chaos environment: both simulators in the test process, a fault proxy in front of Storware,
 * a balancer in front of the API processes, and the connector as real processes on a real Redis
 * (or Redis Cluster). The ServiceNow simulator's requester side drives it with a seeded workload,
 * and the invariants of docs/reliability.md §4.2 are checked against what the simulators and Redis
 * hold afterwards:
 *   I1  every request whose webhook was acknowledged (2xx) reaches a closed ticket;
 *   I2  at most one Storware task per request step: every task the connector created belongs to
 *       exactly one request's ledger, and no request has a task nobody recorded (an orphan);
 *   I3  the ticket's final state is the expected one (and a backup reports its own backup point);
 *   I4  nothing stays active once faults stop: no active job, no open ledger entry, no pending
 *       ticket update.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { localConnectorYaml } from '../../src/cli/local-stack';
import { formatDateTime } from '../../src/clients/servicenow';
import type { CatalogItemKey } from '../../src/items/definitions';
import { createLedger, isTerminalState, type Ledger, type LedgerEntry } from '../../src/ledger';
import { createRedis } from '../../src/redis/connection';
import { preferredTag, tagKeys } from '../../src/requests/tasks';
import { FIXTURE } from '../../src/simulators/fixture-ids';
import {
  SIM_DEFAULT_CREDENTIALS,
  startServiceNowSimulator,
  type DeliveryOptions,
  type ServiceNowSimulator,
} from '../../src/simulators/servicenow';
import {
  DEFAULT_STORWARE_USERS,
  startStorwareSimulator,
  type SimTask,
  type StorwareSimulator,
} from '../../src/simulators/storware';
import { createTicketOutbox, type TicketOutbox } from '../../src/ticket-updates/outbox';
import { startConnectorProcess, type ConnectorProcess } from './chaos-processes';
import { startBalancer, startFaultProxy, type Balancer, type FaultProxy } from './chaos-proxy';

// ---------------------------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------------------------

/** mulberry32: small, fast, good enough for choosing faults and workloads reproducibly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Workload
// ---------------------------------------------------------------------------------------------

export type RequestKind =
  'backup' | 'backup-foreign' | 'backup-cancel' | 'restore-approve' | 'restore-reject' | 'protect';

export const REQUEST_KINDS: readonly RequestKind[] = [
  'backup',
  'backup-foreign',
  'backup-cancel',
  'restore-approve',
  'restore-reject',
  'protect',
];

export interface PlannedRequest {
  readonly kind: RequestKind;
  readonly item: CatalogItemKey;
  readonly requestedFor: string;
  readonly variables: Record<string, string | number | boolean>;
}

let restoreCounter = 0;

/**
 * One request of the given kind, with choices drawn from `rand`. Restores name an explicit backup
 * point (`backupPoint`), as a requester copying the ID from an earlier backup would: "latest" moves
 * while backups run, and an approval is bound to the exact point, so it would ask again.
 */
export function planRequest(
  kind: RequestKind,
  rand: () => number,
  backupPoint: (instanceUuid: string) => string = () => 'latest',
): PlannedRequest {
  const own = pick(rand, [
    { user: 'alice', instance: FIXTURE.instances.acmeWeb.uuid },
    { user: 'alice', instance: FIXTURE.instances.acmeDb.uuid },
    { user: 'carol', instance: FIXTURE.instances.globexApp.uuid },
  ]);
  switch (kind) {
    case 'backup':
      return {
        kind,
        item: 'storware_backup_now',
        requestedFor: own.user,
        variables: { instance_id: own.instance, backup_type: 'FULL', priority: 1 + Math.floor(rand() * 99) },
      };
    case 'backup-cancel':
      // Not before a minute from now: the requester cancels while it waits for its window. (A
      // cancel that lands while the connector writes its own closing update is a known race,
      // pinned by its own test in test/chaos/faults.test.ts.)
      return {
        kind,
        item: 'storware_backup_now',
        requestedFor: own.user,
        variables: {
          instance_id: own.instance,
          backup_type: 'FULL',
          priority: 50,
          window_start: formatDateTime(Date.now() + 60_000),
        },
      };
    case 'backup-foreign':
      return {
        kind,
        item: 'storware_backup_now',
        requestedFor: 'alice',
        variables: { instance_id: FIXTURE.instances.globexApp.uuid, backup_type: 'FULL', priority: 50 },
      };
    case 'restore-approve':
    case 'restore-reject':
      restoreCounter += 1;
      return {
        kind,
        item: 'storware_restore_point',
        requestedFor: own.user,
        variables: {
          instance_id: own.instance,
          backup_point: backupPoint(own.instance),
          overwrite: false,
          target_name: `chaos-restore-${restoreCounter}-${Math.floor(rand() * 1e6)}`,
        },
      };
    case 'protect':
      return {
        kind,
        item: 'storware_protect_vm',
        requestedFor: own.user,
        variables: {
          instance_id: own.instance,
          policy_tier: pick(rand, ['gold', 'silver', 'bronze']),
          first_backup: rand() < 0.3,
        },
      };
  }
}

/** A request as the driver saw it, and what became of it. */
export interface TrackedRequest {
  readonly seq: number;
  readonly plan: PlannedRequest;
  readonly ritmSysId: string;
  readonly number: string;
  readonly submittedAt: number;
  /** requestId from a 2xx answer (or from the ledger later). */
  requestId?: string;
  /** Some delivery of `ritm.submitted` was answered 2xx. */
  acknowledged: boolean;
  readonly statuses: number[];
  /** Approval given / rejection / cancellation done in ServiceNow. */
  decision?: 'approved' | 'rejected' | 'cancelled' | 'cancel-missed';
  /** Faults active at some point while the request was open. */
  readonly faults: Set<string>;
  finished?: boolean;
}

export interface ChaosEnvOptions {
  readonly redisUrl: string;
  readonly logDir: string;
  readonly seed?: number;
  readonly prefix?: string;
  readonly tuning?: Record<string, number | boolean | string>;
  /** Extra environment for every connector process. */
  readonly env?: Record<string, string>;
  readonly taskDurationMs?: number;
  readonly logLevel?: string;
  /** Deliveries the driver re-sends when not answered 2xx (ServiceNow's retry), 0 = none. */
  readonly resendAttempts?: number;
  /** Put a proxy in front of ServiceNow too (to record or fault what the workers send it). */
  readonly servicenowProxy?: boolean;
}

export interface QueueCounts {
  readonly requests: Record<string, number>;
  readonly ticketUpdates: Record<string, number>;
}

export interface RequestVerdict {
  readonly request: TrackedRequest;
  readonly entry: LedgerEntry | undefined;
  readonly ticketState: string;
  readonly I1: boolean;
  readonly I2: boolean;
  readonly I3: boolean;
  readonly problems: string[];
}

export interface InvariantReport {
  readonly total: number;
  readonly acknowledged: number;
  readonly verdicts: readonly RequestVerdict[];
  readonly orphanTasks: readonly string[];
  readonly sharedTasks: readonly string[];
  readonly I4: { readonly ok: boolean; readonly problems: string[] };
  readonly counts: { I1: number; I2: number; I3: number; of: number; ofAcknowledged: number };
}

export interface ChaosEnv {
  readonly prefix: string;
  readonly storware: StorwareSimulator;
  readonly servicenow: ServiceNowSimulator;
  readonly proxy: FaultProxy;
  /** In front of ServiceNow when `servicenowProxy` was asked for. */
  readonly servicenowProxy: FaultProxy | undefined;
  readonly balancer: Balancer;
  readonly env: Readonly<Record<string, string>>;
  readonly redis: Redis;
  readonly ledger: Ledger;
  readonly outbox: TicketOutbox;
  readonly queues: { readonly requests: Queue; readonly ticketUpdates: Queue; readonly maintenance: Queue };
  readonly webhookSecret: string;
  readonly tracked: TrackedRequest[];
  /** A successful backup point of the instance that existed when the environment started. */
  backupPoint(instanceUuid: string): string;
  readonly apis: ConnectorProcess[];
  readonly workers: ConnectorProcess[];
  startApi(extraEnv?: Record<string, string>, waitReady?: boolean): Promise<ConnectorProcess>;
  startWorker(extraEnv?: Record<string, string>, waitReady?: boolean): Promise<ConnectorProcess>;
  /** Processes still running. */
  liveWorkers(): ConnectorProcess[];
  liveApis(): ConnectorProcess[];
  /** Orders one request through the requester side; resolves once the first delivery answered. */
  submit(
    plan: PlannedRequest,
    webhook?: DeliveryOptions,
    options?: { readonly resend?: number },
  ): Promise<TrackedRequest>;
  /** ServiceNow sends `ritm.submitted` again (its retry after a failed delivery); true when 2xx. */
  redeliver(request: TrackedRequest): Promise<boolean>;
  /** Submits plans with at most `parallel` orders in flight; resolves with them in order. */
  submitAll(
    plans: readonly PlannedRequest[],
    options?: {
      readonly parallel?: number;
      readonly webhook?: DeliveryOptions;
      readonly resend?: number;
      /** Pause of each lane between two orders (a steady arrival rate instead of a burst). */
      readonly paceMs?: number;
    },
  ): Promise<TrackedRequest[]>;
  /** Approves / rejects / cancels what the workload asks for, until `stop()`. */
  startDecider(): { stop(): Promise<void> };
  /** Marks a fault as active on every open request (and on the ones submitted until `endFault`). */
  beginFault(name: string): Promise<void>;
  endFault(name: string): void;
  /** Waits until every acknowledged request is finished and closed, and no job is active. */
  settle(requests: readonly TrackedRequest[], timeoutMs: number): Promise<void>;
  /** `allowedFailed`: job ids expected in the failed set (poison payloads); any other is an I4 problem. */
  check(
    requests: readonly TrackedRequest[],
    since: number,
    options?: { readonly allowedFailed?: ReadonlySet<string> },
  ): Promise<InvariantReport>;
  queueCounts(): Promise<QueueCounts>;
  close(): Promise<void>;
}

const TOP_LEVEL_TYPES = new Set(['EXPORT', 'RESTORE', 'INVENTORY_SYNC']);

export async function startChaosEnv(options: ChaosEnvOptions): Promise<ChaosEnv> {
  const seed = options.seed ?? 20_251_128;
  const prefix = options.prefix ?? `{chaos-${randomBytes(4).toString('hex')}}`;
  const webhookSecret = `whsec_${randomBytes(32).toString('base64')}`;
  const storware = await startStorwareSimulator({
    port: 0,
    seed,
    taskDurationMs: options.taskDurationMs ?? 150,
    maxRunningTasks: 10_000,
    inventorySyncDelayMs: 2_000,
  });
  const proxy = await startFaultProxy(storware.url);
  const servicenow = await startServiceNowSimulator({
    port: 0,
    seed,
    webhookSecrets: [webhookSecret],
    webhookTimeoutMs: 10_000,
  });
  const servicenowProxy = options.servicenowProxy ? await startFaultProxy(servicenow.url) : undefined;
  const balancer = await startBalancer();
  servicenow.webhooks.setConnectorUrl(balancer.url);

  const connectorYaml = localConnectorYaml({
    jobAttempts: 30,
    maxBackoffSeconds: 2,
    pollIntervalSeconds: 1,
    approvalRecheckSeconds: 1,
    inventoryRecheckSeconds: 1,
    progressNoteIntervalSeconds: 30,
    reconcileIntervalSeconds: 5,
    protectWaitMinutes: 1,
    ...options.tuning,
  });
  const configFile = join(options.logDir, `connector-${prefix.replace(/[{}]/g, '')}.yaml`);
  writeFileSync(configFile, connectorYaml);
  const storwareUser = DEFAULT_STORWARE_USERS[0]!;
  const env: Record<string, string> = {
    NODE_ENV: 'development',
    LOG_LEVEL: options.logLevel ?? 'info',
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: prefix,
    STORWARE_URL: `${proxy.url}/api`,
    STORWARE_USER: storwareUser.login,
    STORWARE_PASSWORD: storwareUser.password,
    STORWARE_TIMEOUT_MS: '2000',
    SERVICENOW_URL: servicenowProxy?.url ?? servicenow.url,
    SERVICENOW_USER: SIM_DEFAULT_CREDENTIALS.user,
    SERVICENOW_PASSWORD: SIM_DEFAULT_CREDENTIALS.password,
    SERVICENOW_TIMEOUT_MS: '2000',
    WEBHOOK_SECRETS: webhookSecret,
    API_TOKENS: `desk:agent:${randomBytes(18).toString('hex')},oncall:ops:${randomBytes(18).toString('hex')}`,
    CONNECTOR_CONFIG: configFile,
    WORKER_CONCURRENCY: '20',
    WORKER_LOCK_DURATION_MS: '5000',
    // Every delivery comes through one balancer address at a rate no instance sends; the chaos runs
    // are about faults, the limits have their own tests.
    RATE_LIMIT_WEBHOOK_PER_MINUTE: '1000000',
    ...options.env,
  };

  const redis = createRedis(options.redisUrl, 'worker', 'chaos-observer');
  const ledger = createLedger(redis, prefix, { retentionDays: 30 });
  const makeQueue = (name: string) => new Queue(name, { connection: redis, prefix });
  const queues = {
    requests: makeQueue('requests'),
    ticketUpdates: makeQueue('ticket-updates'),
    maintenance: makeQueue('maintenance'),
  };
  for (const q of Object.values(queues)) {
    q.on('error', () => undefined);
  }
  const outbox = createTicketOutbox(redis, prefix, queues.ticketUpdates, {
    progressIntervalMs: 30_000,
    closedRetentionMs: 86_400_000,
  });

  /** Every create call Storware answered, for telling where an orphan task came from. */
  const creations: Array<{ at: number; path: string; status: number; answer: string }> = [];
  proxy.record((x) => {
    if (x.method === 'POST' && /^\/api\/tasks\//.test(x.path)) {
      creations.push({
        at: Date.now(),
        path: x.path,
        status: x.status,
        answer: x.responseBody.toString('utf8').slice(0, 2_000),
      });
    }
  });
  const apis: ConnectorProcess[] = [];
  const workers: ConnectorProcess[] = [];
  const tracked: TrackedRequest[] = [];
  const activeFaults = new Set<string>();
  const refreshBalancer = () => balancer.setTargets(apis.filter((a) => a.alive()).map((a) => a.url!));
  let counter = 0;

  async function startProcess(
    role: 'api' | 'worker',
    extraEnv: Record<string, string> = {},
    waitReady = true,
  ): Promise<ConnectorProcess> {
    counter += 1;
    const proc = await startConnectorProcess(role, {
      env: { ...env, ...extraEnv },
      logDir: options.logDir,
      name: `${prefix.replace(/[{}]/g, '')}-${role}-${counter}`,
      waitReady,
    });
    (role === 'api' ? apis : workers).push(proc);
    if (role === 'api') {
      refreshBalancer();
      void proc.exited.then(refreshBalancer);
    }
    return proc;
  }

  function answerOf(body: string | undefined): string | undefined {
    try {
      return (JSON.parse(body ?? '') as { requestId?: string }).requestId;
    } catch {
      return undefined;
    }
  }

  async function resendUntilAcknowledged(request: TrackedRequest, attempts: number): Promise<void> {
    for (let attempt = 0; attempt < attempts && !request.acknowledged; attempt += 1) {
      await sleep(1_000 * 2 ** Math.min(attempt, 3));
      const { deliveries } = await servicenow.requester.resend(request.ritmSysId, 'ritm.submitted');
      for (const d of deliveries) {
        record(request, d.status, d.responseBody);
      }
    }
  }

  function record(request: TrackedRequest, status: number | undefined, body: string | undefined): void {
    request.statuses.push(status ?? 0);
    if (status !== undefined && status >= 200 && status < 300) {
      request.acknowledged = true;
      request.requestId ??= answerOf(body);
    }
  }

  async function entryOf(request: TrackedRequest): Promise<LedgerEntry | undefined> {
    if (request.requestId) {
      const entry = await ledger.get(request.requestId);
      if (entry) {
        return entry;
      }
    }
    const entry = await ledger.getByRitm(request.ritmSysId);
    if (entry) {
      request.requestId = entry.requestId;
    }
    return entry;
  }

  const ticketState = (request: TrackedRequest) =>
    String(servicenow.record('sc_req_item', request.ritmSysId)?.state ?? '');
  const ticketClosed = (request: TrackedRequest) => ['3', '4', '7'].includes(ticketState(request));

  async function refreshFinished(requests: readonly TrackedRequest[]): Promise<void> {
    const open = requests.filter((r) => !r.finished);
    for (let i = 0; i < open.length; i += 200) {
      await Promise.all(
        open.slice(i, i + 200).map(async (r) => {
          const state = r.requestId ? await ledger.getState(r.requestId) : (await entryOf(r))?.state;
          if (state && isTerminalState(state) && ticketClosed(r)) {
            r.finished = true;
          }
        }),
      );
    }
  }

  async function queueCounts(): Promise<QueueCounts> {
    const kinds = ['active', 'waiting', 'delayed', 'failed', 'completed', 'prioritized'] as const;
    return {
      requests: await queues.requests.getJobCounts(...kinds),
      ticketUpdates: await queues.ticketUpdates.getJobCounts(...kinds),
    };
  }

  const chaosEnv: ChaosEnv = {
    prefix,
    storware,
    servicenow,
    proxy,
    servicenowProxy,
    balancer,
    env,
    redis,
    ledger,
    outbox,
    queues,
    webhookSecret,
    tracked,
    backupPoint(instanceUuid) {
      const vm = storware.state.vmByInstanceUuid(instanceUuid);
      const backup = storware.state
        .backups(vm?.guid)
        .filter((b) => b.status === 'SUCCESS')
        .sort((a, b) => (a.backupTime ?? 0) - (b.backupTime ?? 0))[0];
      if (!backup) {
        throw new Error(`no fixture backup of ${instanceUuid}`);
      }
      return backup.guid;
    },
    apis,
    workers,
    startApi: (extraEnv, waitReady) => startProcess('api', extraEnv, waitReady),
    startWorker: (extraEnv, waitReady) => startProcess('worker', extraEnv, waitReady),
    liveWorkers: () => workers.filter((w) => w.alive()),
    liveApis: () => apis.filter((a) => a.alive()),

    async submit(plan, webhook, submitOptions) {
      const faults = new Set(activeFaults);
      // Restores get the requester's manager as approver (the simulator's default).
      const result = await servicenow.requester.order(plan.item, {
        requestedFor: plan.requestedFor,
        variables: plan.variables,
        webhook,
      });
      const request: TrackedRequest = {
        seq: tracked.length + 1,
        plan,
        ritmSysId: result.ritm.sysId,
        number: result.ritm.number,
        submittedAt: Date.now(),
        acknowledged: false,
        statuses: [],
        faults,
      };
      tracked.push(request);
      for (const d of result.deliveries) {
        if (d.state === 'answered' || d.state === 'failed') {
          record(request, d.status, d.responseBody);
        }
      }
      if (!request.acknowledged && (webhook?.mode ?? 'send') === 'send' && (webhook?.delayMs ?? 0) === 0) {
        await resendUntilAcknowledged(request, submitOptions?.resend ?? options.resendAttempts ?? 0);
      }
      return request;
    },

    async redeliver(request) {
      const { deliveries } = await servicenow.requester.resend(request.ritmSysId, 'ritm.submitted');
      for (const d of deliveries) {
        record(request, d.status, d.responseBody);
      }
      return deliveries.some((d) => d.status !== undefined && d.status >= 200 && d.status < 300);
    },

    async submitAll(plans, submitOptions = {}) {
      const out: TrackedRequest[] = new Array<TrackedRequest>(plans.length);
      let next = 0;
      const lane = async () => {
        while (next < plans.length) {
          const index = next++;
          out[index] = await chaosEnv.submit(plans[index]!, submitOptions.webhook, {
            resend: submitOptions.resend,
          });
          if (submitOptions.paceMs) {
            await sleep(submitOptions.paceMs);
          }
        }
      };
      await Promise.all(Array.from({ length: submitOptions.parallel ?? 8 }, lane));
      return out;
    },

    startDecider() {
      let running = true;
      const loop = (async () => {
        while (running) {
          const pending = tracked.filter(
            (r) =>
              r.decision === undefined &&
              (r.plan.kind === 'restore-approve' ||
                r.plan.kind === 'restore-reject' ||
                r.plan.kind === 'backup-cancel'),
          );
          for (const request of pending) {
            try {
              const entry = await entryOf(request);
              if (request.plan.kind === 'backup-cancel') {
                if (entry?.state !== 'waiting_window') {
                  continue;
                }
                const row = servicenow.record('sc_req_item', request.ritmSysId);
                if (row?.active !== 'true') {
                  request.decision = 'cancel-missed';
                  continue;
                }
                const { deliveries } = await servicenow.requester.cancel(request.ritmSysId);
                request.decision = 'cancelled';
                void deliveries;
                continue;
              }
              const approval = entry?.approval as { postedAt?: number } | undefined;
              if (entry?.state !== 'waiting_approval' || approval?.postedAt === undefined) {
                continue;
              }
              // An approval counts from the second after the packet was posted (whole seconds).
              if (Date.now() < (Math.floor(approval.postedAt / 1000) + 1) * 1000 + 20) {
                continue;
              }
              const approver = request.plan.requestedFor === 'carol' ? 'dave' : 'bob';
              if (request.plan.kind === 'restore-approve') {
                await servicenow.requester.approve(request.ritmSysId, approver, 'chaos: approved');
                request.decision = 'approved';
              } else {
                await servicenow.requester.reject(request.ritmSysId, approver, 'chaos: rejected');
                request.decision = 'rejected';
              }
            } catch (error) {
              if (/already closed|no pending approval/.test((error as Error).message)) {
                request.decision ??= request.plan.kind === 'backup-cancel' ? 'cancel-missed' : undefined;
              }
            }
          }
          await sleep(300);
        }
      })();
      return {
        async stop() {
          running = false;
          await loop;
        },
      };
    },

    async beginFault(name) {
      activeFaults.add(name);
      await refreshFinished(tracked);
      for (const request of tracked) {
        if (!request.finished) {
          request.faults.add(name);
        }
      }
    },

    endFault(name) {
      activeFaults.delete(name);
    },

    async settle(requests, timeoutMs) {
      // Every RITM still open in ServiceNow ends up processed (a webhook, a redelivery or the
      // reconciler's sweep), so wait for all of them, not only the acknowledged ones; then for the
      // queues and the ledger to be quiet.
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await refreshFinished(requests);
        const waiting = requests.filter((r) => !r.finished);
        const counts = await queueCounts().catch(() => undefined);
        const idle = counts !== undefined && !counts.requests.active && !counts.ticketUpdates.active;
        const open = waiting.length === 0 ? await ledger.openRequestIds(10).catch(() => ['?']) : ['?'];
        const pending = open.length === 0 ? await outbox.ticketsWithPending().catch(() => ['?']) : ['?'];
        if (waiting.length === 0 && idle && open.length === 0 && pending.length === 0) {
          return;
        }
        if (Date.now() > deadline) {
          process.stderr.write(
            `[chaos] settle gave up after ${timeoutMs} ms: ${waiting.length} unfinished (${waiting
              .slice(0, 5)
              .map((r) => r.number)
              .join(
                ', ',
              )}), active ${counts?.requests.active ?? '?'}/${counts?.ticketUpdates.active ?? '?'}, open ${open.join(',')}, pending ${pending.join(',')}\n`,
          );
          return;
        }
        await sleep(500);
      }
    },

    async check(requests, since, checkOptions = {}) {
      // Deliveries sent late (delayMs) or released after `submit` returned: their answers count.
      for (const request of requests.filter((r) => !r.acknowledged)) {
        for (const d of servicenow.webhooks.deliveries({
          sysId: request.ritmSysId,
          event: 'ritm.submitted',
        })) {
          if (d.status !== undefined && !request.statuses.includes(d.status)) {
            record(request, d.status, d.responseBody);
          }
        }
      }
      const tasks = storware.state.tasks().filter((t) => t.createdAt >= since - 1_000);
      const topLevel = tasks.filter((t) => TOP_LEVEL_TYPES.has(t.type) && t.parentTaskGuid === undefined);
      const taskByGuid = new Map(tasks.map((t) => [t.guid, t]));
      // Every tracked request's ledger (earlier batches too), by task guid: a task no ledger holds
      // is an orphan wherever it came from.
      const owners = new Map<string, string[]>();
      const entries = new Map<TrackedRequest, LedgerEntry | undefined>();
      const batch = new Set(requests);
      for (const request of tracked) {
        const entry = await entryOf(request);
        if (batch.has(request)) {
          entries.set(request, entry);
        }
        for (const task of Object.values(entry?.tasks ?? {})) {
          owners.set(task.guid, [...(owners.get(task.guid) ?? []), entry!.requestId]);
        }
      }
      const vmGuids = new Map<string, string | undefined>();
      const vmGuidOf = (uuid: string) => {
        if (!vmGuids.has(uuid)) {
          vmGuids.set(uuid, storware.state.vmByInstanceUuid(uuid)?.guid);
        }
        return vmGuids.get(uuid);
      };
      // Each request's tag on its instance, as the allocator handed it out (its preferred tag when
      // Redis lost the record): tags are unique per instance, so an orphan names one request.
      const tagOf = new Map<string, number>();
      const tagged = tracked.filter((r) => r.requestId !== undefined);
      const ownTags = tagged.length
        ? await redis.mget(
            ...tagged.map(
              (r) =>
                tagKeys(prefix, r.requestId!, vmGuidOf(String(r.plan.variables.instance_id)) ?? 'none').own,
            ),
          )
        : [];
      tagged.forEach((r, i) => tagOf.set(r.requestId!, Number(ownTags[i] ?? preferredTag(r.requestId!))));
      const describeOrphan = async (t: SimTask): Promise<string> => {
        const candidates = tracked.filter((r) => orphanCandidate(t, r, vmGuidOf, tagOf));
        const parts: string[] = [];
        for (const by of candidates.slice(0, 3)) {
          const entry = await entryOf(by);
          const events = entry?.timeline
            .filter((e) => e.type.startsWith('task.') || e.type.startsWith('request.'))
            .map((e) => `${e.at - since}:${e.type}`)
            .join(' ');
          parts.push(
            `${by.number} (${by.plan.kind}, ledger ${entry?.state}, tasks ${Object.values(entry?.tasks ?? {})
              .map((x) => x.guid)
              .join('/')}; ${events})`,
          );
        }
        const created = creations.find((c) => c.answer.includes(t.guid));
        const mentions = [...apis, ...workers].filter((p) => p.log().includes(t.guid)).map((p) => p.name);
        return `${t.type}:${t.guid}:${t.state}:${t.statusInfo ?? ''} created ${t.createdAt - since} ms into the run${created ? ` (create answered ${created.status} at ${created.at - since} ms)` : ''}; logged by [${mentions.join(', ')}]; tagged for [${parts.join('; ')}]`;
      };
      const allOpen = await ledger.openRequestIds(100_000);
      const orphanTasks = topLevel.filter((t) => !owners.has(t.guid));
      const sharedTasks = [...owners].filter(([, ids]) => new Set(ids).size > 1).map(([guid]) => guid);

      const verdicts: RequestVerdict[] = [];
      for (const request of requests) {
        const entry = entries.get(request);
        const problems: string[] = [];
        const state = ticketState(request);
        const closed = ['3', '4', '7'].includes(state);
        const terminal = entry !== undefined && isTerminalState(entry.state);
        // I1
        const i1 = !request.acknowledged || (closed && terminal);
        if (!i1) {
          problems.push(`I1: acknowledged but ticket ${state}, ledger ${entry?.state ?? 'missing'}`);
        }
        // I2
        const ownGuids = new Set(Object.values(entry?.tasks ?? {}).map((t) => t.guid));
        const suspects = orphanTasks.filter((t) => orphanCandidate(t, request, vmGuidOf, tagOf));
        let i2 = suspects.length === 0 && [...ownGuids].every((g) => !sharedTasks.includes(g));
        const topOwn = [...ownGuids]
          .map((g) => taskByGuid.get(g))
          .filter((t) => t && TOP_LEVEL_TYPES.has(t.type));
        const perType = new Map<string, number>();
        for (const t of topOwn) {
          perType.set(t!.type, (perType.get(t!.type) ?? 0) + 1);
        }
        if ([...perType.values()].some((n) => n > 1)) {
          i2 = false;
        }
        if (!i2) {
          problems.push(
            `I2: tasks ${[...ownGuids].join(',')}; orphans ${suspects.map((t) => `${t.type}:${t.guid}:${t.state}`).join(',')}`,
          );
        }
        // I3
        const expectation = expected(request, entry, taskByGuid);
        let i3 = true;
        if (entry !== undefined || request.acknowledged) {
          if (expectation.ticket !== undefined && state !== expectation.ticket) {
            i3 = false;
          }
          if (entry !== undefined && terminal && !expectation.ledger.includes(entry.state)) {
            i3 = false;
          }
          if (expectation.backupGuid !== undefined && entry?.result?.backupGuid !== expectation.backupGuid) {
            i3 = false;
            problems.push(
              `I3: reports backup ${String(entry?.result?.backupGuid)}, its export made ${expectation.backupGuid}`,
            );
          }
        }
        if (!i3 && problems.every((p) => !p.startsWith('I3'))) {
          const lastNote = servicenow.journal(request.ritmSysId, 'work_notes').at(-1)?.value ?? '';
          problems.push(
            `I3: ticket ${state} ledger ${entry?.state ?? 'missing'} (${entry?.lastError?.code ?? ''}); expected ticket ${expectation.ticket ?? 'any'} ledger ${expectation.ledger.join('|')}; last work note: ${lastNote.slice(0, 200)}`,
          );
        }
        verdicts.push({ request, entry, ticketState: state, I1: i1, I2: i2, I3: i3, problems });
      }

      // I4
      const i4Problems: string[] = [];
      const counts = await queueCounts();
      if ((counts.requests.active ?? 0) > 0 || (counts.ticketUpdates.active ?? 0) > 0) {
        i4Problems.push(
          `active jobs: requests ${counts.requests.active}, ticket-updates ${counts.ticketUpdates.active}`,
        );
      }
      if (allOpen.length > 0) {
        const sample = await Promise.all(allOpen.slice(0, 5).map((id) => ledger.get(id)));
        i4Problems.push(
          `open ledger entries: ${allOpen.length} (${sample.map((e) => `${e?.number}:${e?.state}`).join(', ')})`,
        );
      }
      const pending = await outbox.ticketsWithPending();
      if (pending.length > 0) {
        i4Problems.push(`tickets with pending updates: ${pending.length}`);
      }
      const failedJobs = [
        ...(await queues.requests.getJobs(['failed'], 0, 1_000)),
        ...(await queues.ticketUpdates.getJobs(['failed'], 0, 1_000)),
      ].filter((job) => job && !checkOptions.allowedFailed?.has(job.id ?? ''));
      if (failedJobs.length > 0) {
        i4Problems.push(
          `unexpected failed jobs: ${failedJobs
            .slice(0, 5)
            .map((j) => `${j.id} (${j.failedReason})`)
            .join(', ')}`,
        );
      }
      const acknowledged = requests.filter((r) => r.acknowledged);
      return {
        total: requests.length,
        acknowledged: acknowledged.length,
        verdicts,
        orphanTasks: await Promise.all(orphanTasks.map(describeOrphan)),
        sharedTasks,
        I4: { ok: i4Problems.length === 0, problems: i4Problems },
        counts: {
          I1: verdicts.filter((v) => v.I1).length,
          I2: verdicts.filter((v) => v.I2).length,
          I3: verdicts.filter((v) => v.I3).length,
          of: verdicts.length,
          ofAcknowledged: acknowledged.length,
        },
      };
    },

    queueCounts,

    async close() {
      await Promise.all([...apis, ...workers].map((p) => p.kill()));
      await Promise.all(Object.values(queues).map((q) => q.close().catch(() => undefined)));
      redis.disconnect();
      await balancer.close();
      await proxy.close();
      await servicenowProxy?.close();
      await servicenow.close();
      await storware.close();
    },
  };
  return chaosEnv;
}

/**
 * Whether an orphan task (one no ledger records) may be this request's: an export on its instance
 * carrying its tag (windowStart's millisecond part, allocated per instance, see
 * src/requests/tasks.ts), a restore to its target name.
 */
function orphanCandidate(
  task: SimTask,
  request: TrackedRequest,
  vmGuidOf: (instanceUuid: string) => string | undefined,
  tagOf: ReadonlyMap<string, number>,
): boolean {
  if (task.type === 'RESTORE') {
    return task.restore?.restoredName === request.plan.variables.target_name;
  }
  if (task.type !== 'EXPORT' || request.requestId === undefined) {
    return false;
  }
  return (
    task.vmGuid === vmGuidOf(String(request.plan.variables.instance_id)) &&
    task.windowStart % 1000 === tagOf.get(request.requestId)
  );
}

interface Expectation {
  readonly ticket: string | undefined;
  readonly ledger: readonly string[];
  readonly backupGuid?: string;
}

function expected(
  request: TrackedRequest,
  entry: LedgerEntry | undefined,
  tasks: ReadonlyMap<string, SimTask>,
): Expectation {
  const own = Object.values(entry?.tasks ?? {})
    .map((t) => tasks.get(t.guid))
    .filter((t): t is SimTask => t !== undefined);
  const taskFailed = own.some((t) => t.state === 'FAILED' || t.state === 'CANCELLED');
  const success: Expectation = taskFailed
    ? { ticket: '4', ledger: ['failed'] }
    : { ticket: '3', ledger: ['succeeded'] };
  if (request.decision === 'cancelled') {
    // Cancelled in ServiceNow while open: the ticket is closed incomplete whatever the connector
    // had got to; the ledger says how far it got.
    return { ticket: '4', ledger: ['cancelled', 'succeeded', 'failed'] };
  }
  switch (request.plan.kind) {
    case 'backup': {
      const exportTask = own.find((t) => t.type === 'EXPORT');
      return !taskFailed && exportTask?.backupGuid
        ? { ...success, backupGuid: exportTask.backupGuid }
        : success;
    }
    case 'protect':
    case 'restore-approve':
      return success;
    case 'backup-foreign':
      return { ticket: '4', ledger: ['failed'] };
    case 'restore-reject':
      return { ticket: '4', ledger: ['rejected'] };
    case 'backup-cancel':
      return success;
  }
}

// ---------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------

/** Faults × invariants: per fault, how many requests it touched and how many kept each invariant. */
export function faultTable(report: InvariantReport, faultNames: readonly string[]): string {
  const rows: string[][] = [['fault', 'requests', 'acknowledged', 'I1', 'I2', 'I3']];
  const line = (name: string, verdicts: readonly RequestVerdict[]) => {
    const acked = verdicts.filter((v) => v.request.acknowledged);
    rows.push([
      name,
      String(verdicts.length),
      String(acked.length),
      `${acked.filter((v) => v.I1).length}/${acked.length}`,
      `${verdicts.filter((v) => v.I2).length}/${verdicts.length}`,
      `${verdicts.filter((v) => v.I3).length}/${verdicts.length}`,
    ]);
  };
  for (const name of faultNames) {
    line(
      name,
      report.verdicts.filter((v) => v.request.faults.has(name)),
    );
  }
  line(
    '(no fault)',
    report.verdicts.filter((v) => v.request.faults.size === 0),
  );
  line('all requests', report.verdicts);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const format = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    format(rows[0]!),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.slice(1).map(format),
    '',
    `I4 (nothing active once faults stop): ${report.I4.ok ? 'held' : `VIOLATED: ${report.I4.problems.join('; ')}`}`,
    `orphan Storware tasks: ${report.orphanTasks.length}; tasks shared by two requests: ${report.sharedTasks.length}`,
  ].join('\n');
}

/** The problems of every failed verdict, for an assertion message. */
export function failures(report: InvariantReport, limit = 20): string {
  const bad = report.verdicts.filter((v) => !v.I1 || !v.I2 || !v.I3);
  return [
    ...bad
      .slice(0, limit)
      .map(
        (v) =>
          `${v.request.number} ${v.request.plan.kind} [${[...v.request.faults].join(',')}]: ${v.problems.join(' | ')}`,
      ),
    ...(bad.length > limit ? [`… and ${bad.length - limit} more`] : []),
    ...(report.orphanTasks.length > 0 ? [`orphans: ${report.orphanTasks.slice(0, 10).join(', ')}`] : []),
    ...(report.I4.ok ? [] : [`I4: ${report.I4.problems.join('; ')}`]),
  ].join('\n');
}
