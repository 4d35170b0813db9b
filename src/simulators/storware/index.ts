/**
 * A faithful stand-in for Storware Backup & Recovery 7.x, for the tests, the demo and the
 * benchmarks. It answers under `/api` (so a client's base URL is `<url>/api`), follows
 * docs/storware-api.md rather than what the connector would like, and is deterministic for a seed and
 * a clock. Fault injection and call recording come from http-kit (`sim.server`); the hooks below
 * drive what http-kit cannot: task outcomes, session expiry, new instances, time.
 */
import { type SimServer, startSimServer, json } from '../http-kit';
import { SIM_TASK_TYPES, type SimTaskType, type TaskDurations } from './model';
import {
  defaultFailure,
  type SimSettings,
  storwareAdminRoutes,
  storwareRoutes,
  type TaskAnswerShape,
} from './routes';
import { createSeededRandom } from './random';
import { SessionStore, sessionTokenFrom, type SimUser } from './sessions';
import { StorwareWorld } from './state';
import { type EnumStyle, WireRenderer } from './wire';

export { createManualClock, type ManualClock } from './clock';
export type { SimUser } from './sessions';
export type { EnumStyle } from './wire';
export type { TaskAnswerShape } from './routes';
export type {
  SimBackup,
  SimPendingInstance,
  SimPolicy,
  SimProject,
  SimTask,
  SimTaskState,
  SimTaskType,
  SimVm,
} from './model';

/** The service account the simulator knows by default (matches test/helpers/config.ts). */
export const DEFAULT_STORWARE_USERS: readonly SimUser[] = [
  { login: 'svc-itsm', password: 'storware-pass-xyz' },
];

export interface StorwareSimulatorOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Seed for every generated guid, size and token; default 1. */
  readonly seed?: number;
  /** Idle time after which a session answers 401; default 30 min. */
  readonly sessionTtlMs?: number;
  /** How long each task runs (EXPORT and STORE each, RESTORE and IMPORT each); default 1000 ms. */
  readonly taskDurationMs?: number | Partial<Record<SimTaskType, number>>;
  /** When a newly provisioned instance appears without an inventory sync; default 60 s. */
  readonly inventorySyncDelayMs?: number;
  /** The clock; default `Date.now`. Tests pass a manual clock. */
  readonly now?: () => number;
  readonly users?: readonly SimUser[];
  /** Serve HTTPS with this PEM key and certificate. */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /** Tasks running at once (a node's task slots); default 4. */
  readonly maxRunningTasks?: number;
  /** windowEnd for tasks created without one; default 6 h. */
  readonly defaultWindowMs?: number;
  readonly taskAnswerShape?: TaskAnswerShape;
  readonly enumStyle?: EnumStyle;
}

export interface StorwareSimState {
  projects(): ReturnType<StorwareWorld['projectByGuid']>[];
  hypervisorManagerGuid(): string;
  vms(): ReturnType<StorwareWorld['vms']>;
  /** The Storware VM for a Nova instance UUID, once it is in the inventory. */
  vmByInstanceUuid(uuid: string): ReturnType<StorwareWorld['vm']>;
  pendingInstances(): ReturnType<StorwareWorld['pendingInstances']>;
  backups(vmGuid?: string): ReturnType<StorwareWorld['backups']>;
  tasks(): ReturnType<StorwareWorld['tasks']>;
  task(guid: string): ReturnType<StorwareWorld['task']>;
  policies(): ReturnType<StorwareWorld['policies']>;
  policyVmGuids(policyGuid: string): string[];
  sessionCount(): number;
}

export interface StorwareSimulator {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** What a client uses: `<url>/api`. */
  readonly baseUrl: string;
  /** Recorded calls and fault injection (`addFault({ path, status, hang, delayMs, times })`). */
  readonly server: SimServer;
  readonly users: readonly SimUser[];
  /** Snapshots of the simulated installation, brought up to the clock first. */
  readonly state: StorwareSimState;
  /** Processes everything due at the clock's now (requests do this themselves). */
  tick(): void;
  /** The next task of this type fails halfway with `statusInfo` (export, restore, …). */
  failNextTask(
    type: SimTaskType | 'export' | 'store' | 'restore' | 'import' | 'inventory-sync',
    statusInfo?: string,
  ): void;
  /** Every session ends; the next call answers 401. */
  expireSessions(): void;
  /** A new instance appears in OpenStack; Storware lists it after an inventory sync or the delay. */
  provisionInstance(spec: {
    name: string;
    projectUuid: string;
    uuid?: string;
  }): ReturnType<StorwareWorld['provisionInstance']>;
  setTaskDuration(ms: number | Partial<Record<SimTaskType, number>>): void;
  setTaskAnswerShape(shape: TaskAnswerShape): void;
  setEnumStyle(style: EnumStyle): void;
  close(): Promise<void>;
}

function durations(option: StorwareSimulatorOptions['taskDurationMs']): TaskDurations {
  const base = typeof option === 'number' ? option : 1000;
  const all = Object.fromEntries(SIM_TASK_TYPES.map((t) => [t, base])) as Record<SimTaskType, number>;
  return typeof option === 'object' ? { ...all, ...option } : all;
}

function taskType(type: string): SimTaskType {
  const normal = type.toUpperCase().replace('-', '_');
  if (!(SIM_TASK_TYPES as readonly string[]).includes(normal)) {
    throw new RangeError(`unknown task type ${type}`);
  }
  return normal as SimTaskType;
}

/** Starts the simulator; resolve `close()` when done. */
export async function startStorwareSimulator(
  options: StorwareSimulatorOptions = {},
): Promise<StorwareSimulator> {
  const now = options.now ?? Date.now;
  const users = options.users ?? DEFAULT_STORWARE_USERS;
  const world = new StorwareWorld({
    seed: options.seed ?? 1,
    now,
    taskDurationMs: durations(options.taskDurationMs),
    inventorySyncDelayMs: options.inventorySyncDelayMs ?? 60_000,
    maxRunningTasks: options.maxRunningTasks ?? 4,
    defaultWindowMs: options.defaultWindowMs ?? 6 * 3_600_000,
  });
  // Tokens come from their own stream so the installation's guids do not depend on logins.
  const sessions = new SessionStore(
    users,
    options.sessionTtlMs ?? 30 * 60_000,
    createSeededRandom((options.seed ?? 1) ^ 0x5e55_10f5),
    now,
  );
  const settings: SimSettings = {
    taskAnswerShape: options.taskAnswerShape ?? 'auto',
    enumStyle: options.enumStyle ?? 'object',
  };
  const wire = new WireRenderer(world, () => settings.enumStyle);
  const ctx = { world, sessions, wire, settings, secure: options.tls !== undefined };

  const state: StorwareSimState = {
    projects: () => [...world.projects],
    hypervisorManagerGuid: () => world.hypervisorManager.guid,
    vms: () => (world.advance(), world.vms().map((vm) => structuredClone(vm))),
    vmByInstanceUuid: (uuid) => {
      world.advance();
      const vm = world.vms().find((v) => v.uuid === uuid && v.present);
      return vm && structuredClone(vm);
    },
    pendingInstances: () => (world.advance(), world.pendingInstances().map((p) => structuredClone(p))),
    backups: (vmGuid) => {
      world.advance();
      return world
        .backups()
        .filter((b) => vmGuid === undefined || b.vmGuid === vmGuid)
        .map((b) => structuredClone(b));
    },
    tasks: () => (world.advance(), world.tasks().map((t) => structuredClone(t))),
    task: (guid) => {
      world.advance();
      const task = world.task(guid);
      return task && structuredClone(task);
    },
    policies: () => world.policies().map((p) => structuredClone(p)),
    policyVmGuids: (policyGuid) => world.policyVms(policyGuid).map((vm) => vm.guid),
    sessionCount: () => sessions.count(),
  };
  const snapshot = () => ({
    hypervisorManager: world.hypervisorManager,
    projects: world.projects,
    vms: world.vms(),
    pendingInstances: world.pendingInstances(),
    backups: world.backups(),
    tasks: world.tasks(),
    policies: world.policies().map((p) => ({ ...p, vms: world.policyVms(p.guid).map((vm) => vm.guid) })),
  });

  const server = await startSimServer({
    port: options.port ?? 0,
    host: options.host,
    tls: options.tls,
    routes: storwareRoutes(ctx),
    adminRoutes: storwareAdminRoutes({ ...ctx, snapshot }),
    before: (req) => {
      // Time moves for every request, answered or not, so state is current before any check.
      world.advance();
      if (!req.path.startsWith('/api/')) {
        return json(404, { message: 'Not found' });
      }
      if (req.method === 'POST' && req.path === '/api/session/login') {
        return undefined;
      }
      if (sessions.touch(sessionTokenFrom(req.headers.cookie)) === undefined) {
        return json(401, { message: 'Unauthorized: log in first (POST /session/login)' });
      }
      return undefined;
    },
  });

  return {
    url: server.url,
    baseUrl: `${server.url}/api`,
    server,
    users,
    state,
    tick: () => world.advance(),
    failNextTask(type, statusInfo) {
      const normal = taskType(type);
      world.failNextTask(normal, statusInfo ?? defaultFailure(normal));
    },
    expireSessions: () => sessions.expireAll(),
    provisionInstance: (spec) => world.provisionInstance(spec),
    setTaskDuration(ms) {
      world.setDurations(
        typeof ms === 'number' ? Object.fromEntries(SIM_TASK_TYPES.map((t) => [t, ms])) : ms,
      );
    },
    setTaskAnswerShape(shape) {
      settings.taskAnswerShape = shape;
    },
    setEnumStyle(style) {
      settings.enumStyle = style;
    },
    close: () => server.close(),
  };
}
