/**
 * Reads Storware answers into domain objects. Lenient where the API is known to vary and strict
 * where the connector depends on a field:
 *
 * - an enumeration may be `{name, description}` or a bare string (docs/storware-api.md §3); both give
 *   the name;
 * - `null` and a missing field mean the same thing (Java servers tend to send nulls);
 * - times are kept as the epoch milliseconds they are;
 * - an object without its `guid` is a broken answer and fails the call (retryable), because
 *   acting on it could touch the wrong object.
 */
import { unexpectedAnswer } from './errors';
import {
  TASK_STATES,
  type AvailabilityZone,
  type HypervisorManager,
  type KnownTaskState,
  type OpenstackEntity,
  type OpenstackRestoreSettings,
  type SessionInfo,
  type StorwareBackup,
  type StorwareBackupLocation,
  type StorwareNetwork,
  type StorwareNic,
  type StorwarePolicy,
  type StorwareProject,
  type StorwareRef,
  type StorwareTask,
  type StorwareVm,
  type TaskBatch,
} from './types';

type Json = Readonly<Record<string, unknown>>;

/** A JSON object (not an array, not null). */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `"FULL"` and `{name:"FULL", description:"Full"}` both give `"FULL"`. */
export function enumName(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value === '' ? undefined : value;
  }
  if (isObject(value) && typeof value.name === 'string' && value.name !== '') {
    return value.name;
  }
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** A reference; a bare guid string counts too (older request-style answers). */
export function ref(value: unknown): StorwareRef | undefined {
  if (typeof value === 'string' && value !== '') {
    return { guid: value };
  }
  if (isObject(value) && typeof value.guid === 'string' && value.guid !== '') {
    return typeof value.name === 'string' ? { guid: value.guid, name: value.name } : { guid: value.guid };
  }
  return undefined;
}

function refs(value: unknown): StorwareRef[] {
  return Array.isArray(value) ? value.map(ref).filter((r): r is StorwareRef => r !== undefined) : [];
}

/** Drops undefined fields so domain objects compare and print cleanly and request bodies omit them. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function requireObject(operation: string, value: unknown, what: string): Json & { guid: string } {
  if (!isObject(value) || typeof value.guid !== 'string' || value.guid === '') {
    throw unexpectedAnswer(operation, `${what} without a guid`);
  }
  return value as Json & { guid: string };
}

/** List answers are plain JSON arrays (docs/storware-api.md §3); anything else fails the call. */
export function requireArray(operation: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) {
    throw unexpectedAnswer(operation, 'expected a JSON array');
  }
  return value;
}

const KNOWN_STATES: ReadonlySet<string> = new Set(TASK_STATES);

/** A task list record or TaskDetails (docs/storware-api.md §6 Task JSON). */
export function toTask(operation: string, value: unknown): StorwareTask {
  const raw = requireObject(operation, value, 'a task');
  const stateName = enumName(raw.state) ?? 'UNKNOWN';
  return compact({
    guid: raw.guid,
    type: enumName(raw.type) ?? 'UNKNOWN',
    state: KNOWN_STATES.has(stateName) ? (stateName as KnownTaskState) : 'UNKNOWN',
    stateName,
    progress: num(raw.progress) ?? 0,
    statusInfo: text(raw.statusInfo),
    protectedEntity: ref(raw.protectedEntity),
    protectedEntityDisplayName: text(raw.protectedEntityDisplayName),
    backupType: enumName(raw.backupType),
    priority: num(raw.priority),
    windowStart: num(raw.windowStart),
    windowEnd: num(raw.windowEnd),
    startTime: num(raw.startTime),
    finishTime: num(raw.finishTime),
    parentTask: ref(raw.parentTask),
    dstProtectedEntity: ref(raw.dstProtectedEntity),
    backup: ref(raw.backup),
    hypervisorManager: ref(raw.hypervisorManager),
    restoreType: enumName(raw.restoreType),
  });
}

/**
 * A task-creating answer: one task, an array of tasks, or the bulk result
 * `{successful, unsuccessful, tasks}` — which one a server sends is undocumented
 * (docs/storware-api.md §6, §9). An empty body yields an empty batch; the caller confirms by listing.
 */
export function toTaskBatch(operation: string, value: unknown): TaskBatch {
  if (value === undefined || value === null || value === '') {
    return { tasks: [], unsuccessful: [] };
  }
  if (Array.isArray(value)) {
    return { tasks: value.map((t) => toTask(operation, t)), unsuccessful: [] };
  }
  if (isObject(value) && typeof value.guid === 'string') {
    return { tasks: [toTask(operation, value)], unsuccessful: [] };
  }
  if (isObject(value) && ('tasks' in value || 'successful' in value || 'unsuccessful' in value)) {
    const tasks = Array.isArray(value.tasks) ? value.tasks.map((t) => toTask(operation, t)) : [];
    return { tasks, unsuccessful: refs(value.unsuccessful) };
  }
  throw unexpectedAnswer(operation, 'neither a task, a list of tasks nor a bulk result');
}

/** A virtual machine (docs/storware-api.md §7 VM). */
export function toVm(operation: string, value: unknown): StorwareVm {
  const raw = requireObject(operation, value, 'a virtual machine');
  const manager = isObject(raw.hvManager) ? raw.hvManager : undefined;
  return compact({
    guid: raw.guid,
    uuid: text(raw.uuid),
    name: text(raw.name) ?? raw.guid,
    present: bool(raw.present),
    project: ref(raw.project),
    hypervisorManager: ref(manager),
    hypervisorManagerType: enumName(raw.hvmType),
    availabilityZone: ref(raw.hvCluster),
    flavor: ref(raw.vmFlavor),
    vmBackupPolicy: ref(raw.vmBackupPolicy),
    lastBackup: num(raw.lastBackup),
    lastSuccessfulBackupSize: num(raw.lastSuccessfulBackupSize),
    backupUpToDate: bool(raw.backupUpToDate),
  });
}

/** A backup location, the restore source (docs/storware-api.md §7 Backup). */
export function toBackupLocation(operation: string, value: unknown): StorwareBackupLocation {
  const raw = requireObject(operation, value, 'a backup location');
  return compact({
    guid: raw.guid,
    backupGuid: ref(raw.backup)?.guid,
    snapshotTime: num(raw.snapshotTime),
    destination: ref(raw.backupDestination),
    roleType: enumName(raw.roleType),
    status: enumName(raw.status),
  });
}

function toNic(operation: string, value: unknown): StorwareNic {
  const raw = requireObject(operation, value, 'a network interface card');
  return compact({ guid: raw.guid, uuid: text(raw.uuid), name: text(raw.name), network: ref(raw.network) });
}

/** A BackupListRecord, or a single backup with its NICs (docs/storware-api.md §7 Backup). */
export function toBackup(operation: string, value: unknown): StorwareBackup {
  const raw = requireObject(operation, value, 'a backup');
  const pe = isObject(raw.protectedEntity) ? raw.protectedEntity : undefined;
  return compact({
    guid: raw.guid,
    type: enumName(raw.type) ?? 'UNKNOWN',
    status: enumName(raw.status) ?? 'UNKNOWN',
    statusInfo: text(raw.statusInfo),
    size: num(raw.size),
    backupTime: num(raw.backupTime),
    snapshotTime: num(raw.snapshotTime),
    protectedEntity: ref(pe),
    locations: Array.isArray(raw.backupLocations)
      ? raw.backupLocations.map((l) => toBackupLocation(operation, l))
      : [],
    networkInterfaceCards: Array.isArray(raw.networkInterfaceCards)
      ? raw.networkInterfaceCards.map((n) => toNic(operation, n))
      : undefined,
  });
}

/** A VM backup policy with its members and rules (docs/storware-api.md §7 Policy). */
export function toPolicy(operation: string, value: unknown): StorwarePolicy {
  const raw = requireObject(operation, value, 'a policy');
  return compact({
    guid: raw.guid,
    name: text(raw.name) ?? raw.guid,
    active: bool(raw.active),
    vms: refs(raw.vms),
    vmCount: num(raw.vmCount),
    rules: refs(raw.rules),
  });
}

/** A hypervisor manager; its `type` name is OPENSTACK for an OpenStack region. */
export function toHypervisorManager(operation: string, value: unknown): HypervisorManager {
  const raw = requireObject(operation, value, 'a hypervisor manager');
  return compact({ guid: raw.guid, name: text(raw.name), url: text(raw.url), type: enumName(raw.type) });
}

/** A hypervisor cluster, which for OpenStack is an availability zone. */
export function toAvailabilityZone(operation: string, value: unknown): AvailabilityZone {
  const raw = requireObject(operation, value, 'a hypervisor cluster');
  return compact({ guid: raw.guid, uuid: text(raw.uuid), name: text(raw.name) });
}

/** Anything that is just `{guid, uuid, name}`: networks, projects, security groups. */
function toEntity(operation: string, value: unknown, what: string): OpenstackEntity {
  const raw = requireObject(operation, value, what);
  return compact({ guid: raw.guid, uuid: text(raw.uuid), name: text(raw.name) });
}

/** A network a restore may attach to. */
export function toNetwork(operation: string, value: unknown): StorwareNetwork {
  return toEntity(operation, value, 'a network');
}

/** A project with its Keystone id in `uuid`. */
export function toProject(operation: string, value: unknown): StorwareProject {
  return toEntity(operation, value, 'a project');
}

/** A flavor reference. */
export function toFlavor(operation: string, value: unknown): StorwareRef {
  const raw = requireObject(operation, value, 'a flavor');
  return typeof raw.name === 'string' ? { guid: raw.guid, name: raw.name } : { guid: raw.guid };
}

function toOpenstackEntity(operation: string, value: unknown): OpenstackEntity {
  return toEntity(operation, value, 'an OpenStack entity');
}

function entities(operation: string, value: unknown): OpenstackEntity[] {
  return Array.isArray(value) ? value.map((v) => toOpenstackEntity(operation, v)) : [];
}

/** `GET /openstack/restore-settings` (docs/storware-api.md §7 restore-settings). */
export function toRestoreSettings(operation: string, value: unknown): OpenstackRestoreSettings {
  if (!isObject(value)) {
    throw unexpectedAnswer(operation, 'expected an object');
  }
  const section = isObject(value.networkSection) ? value.networkSection : {};
  const sources = Array.isArray(section.sourceNetworkWithSecurityGroups)
    ? section.sourceNetworkWithSecurityGroups
    : [];
  return {
    securityGroups: entities(operation, section.securityGroupsFromHypervisorManager),
    sourceNetworks: sources.map((s) => {
      const raw = requireObject(operation, s, 'a source network');
      return compact({
        guid: raw.guid,
        uuid: text(raw.uuid),
        name: text(raw.name),
        defaultMacAddress: text(raw.defaultMacAddress),
        securityGroupsFromBackup: entities(operation, raw.securityGroupsFromBackup),
      });
    }),
    targetNetworks: entities(operation, section.targetNetworks),
  };
}

/** The login answer (docs/storware-api.md §2 SessionInfoResponse); privileges may be strings or enums. */
export function toSessionInfo(value: unknown): SessionInfo {
  const raw = isObject(value) ? value : {};
  return compact({
    requester: ref(raw.requester),
    privileges: Array.isArray(raw.privileges)
      ? raw.privileges.map(enumName).filter((p): p is string => p !== undefined)
      : [],
    uiTimeZone: text(raw.uiTimeZone),
    lastSuccessfulLogin: num(raw.lastSuccessfulLogin),
  });
}

/** `X-Total-Count`, when present and numeric. */
export function totalCount(headers: Readonly<Record<string, unknown>>): number | undefined {
  const value = headers['x-total-count'];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string' && /^\d+$/.test(first.trim())) {
    return Number(first.trim());
  }
  return typeof first === 'number' && Number.isInteger(first) ? first : undefined;
}
