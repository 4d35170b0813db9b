/**
 * The Storware client's domain objects. The rest of the connector sees only these, never the
 * generated wire types, so a regenerated spec breaks the client and nothing else
 * (docs/conventions.md §1). Enumerations are reduced to their `name` (the API sends `{name, description}`
 * objects, older servers bare strings: docs/storware-api.md §3) and times stay epoch milliseconds.
 */

/** A reference to another Storware object (`NameAndGuid`, docs/storware-api.md §3). */
export interface StorwareRef {
  readonly guid: string;
  readonly name?: string;
}

/** Task states (docs/storware-api.md §6). `UNKNOWN` stands for a name this client does not know yet. */
export const TASK_STATES = ['QUEUED', 'RUNNING', 'FINISHED', 'FAILED', 'CANCELLED'] as const;
export type KnownTaskState = (typeof TASK_STATES)[number];
export type TaskState = KnownTaskState | 'UNKNOWN';

const TERMINAL_TASK_STATES: ReadonlySet<TaskState> = new Set<TaskState>(['FINISHED', 'FAILED', 'CANCELLED']);

/**
 * True when a task will not change state any more. `UNKNOWN` is not terminal: a state this client
 * has never seen is more likely a new intermediate one, and a poller that keeps waiting is bounded
 * by its own deadline, while one that stops early reports a wrong outcome.
 */
export function isTerminalTaskState(state: TaskState): boolean {
  return TERMINAL_TASK_STATES.has(state);
}

export type BackupType = 'FULL' | 'INCREMENTAL';

export interface StorwareTask {
  readonly guid: string;
  /** EXPORT, STORE, RESTORE, IMPORT, INVENTORY_SYNC, … (docs/storware-api.md §6 task types). */
  readonly type: string;
  readonly state: TaskState;
  /** The state's name exactly as Storware sent it (differs from `state` only when UNKNOWN). */
  readonly stateName: string;
  /** 0–100, may be fractional. */
  readonly progress: number;
  /** Failure or info text; a failure is FAILED plus this (docs/storware-api.md §6). */
  readonly statusInfo?: string;
  /** The VM the task works on. */
  readonly protectedEntity?: StorwareRef;
  readonly protectedEntityDisplayName?: string;
  readonly backupType?: string;
  readonly priority?: number;
  readonly windowStart?: number;
  readonly windowEnd?: number;
  readonly startTime?: number;
  readonly finishTime?: number;
  /** Set on follow-up tasks (STORE after EXPORT, IMPORT after RESTORE). */
  readonly parentTask?: StorwareRef;
  /** The instance a restore produced. */
  readonly dstProtectedEntity?: StorwareRef;
  readonly backup?: StorwareRef;
  readonly hypervisorManager?: StorwareRef;
  /** RESTORE / RESTORE_AND_IMPORT / RESTORE_AND_MOUNT. */
  readonly restoreType?: string;
}

/** What a task-creating call produced. */
export interface TaskBatch {
  readonly tasks: readonly StorwareTask[];
  /** Entities the server refused (bulk answers only, docs/storware-api.md §6). */
  readonly unsuccessful: readonly StorwareRef[];
}

export interface StorwareVm {
  readonly guid: string;
  /** The platform id: the Nova instance UUID (docs/storware-api.md §3). */
  readonly uuid?: string;
  readonly name: string;
  /** False once the instance is gone from the cloud; Storware keeps the record. */
  readonly present?: boolean;
  readonly project?: StorwareRef;
  readonly hypervisorManager?: StorwareRef;
  readonly hypervisorManagerType?: string;
  readonly availabilityZone?: StorwareRef;
  readonly flavor?: StorwareRef;
  readonly vmBackupPolicy?: StorwareRef;
  readonly lastBackup?: number;
  readonly lastSuccessfulBackupSize?: number;
  /** Absent when the VM has no schedule (docs/storware-api.md §7 VM). */
  readonly backupUpToDate?: boolean;
}

export interface StorwareBackupLocation {
  readonly guid: string;
  readonly backupGuid?: string;
  readonly snapshotTime?: number;
  readonly destination?: StorwareRef;
  /** PRIMARY / SECONDARY / ARCHIVE. */
  readonly roleType?: string;
  /** IN_PROGRESS / PRESENT / FAILED / REMOVED. */
  readonly status?: string;
}

export interface StorwareNic {
  readonly guid: string;
  readonly uuid?: string;
  readonly name?: string;
  readonly network?: StorwareRef;
}

export interface StorwareBackup {
  readonly guid: string;
  /** FULL / INCREMENTAL. */
  readonly type: string;
  /** SUCCESS, PARTIAL_SUCCESS, FAILED, … (the full enum is not documented, docs/storware-api.md §9). */
  readonly status: string;
  readonly statusInfo?: string;
  /** Bytes. */
  readonly size?: number;
  readonly backupTime?: number;
  readonly snapshotTime?: number;
  readonly protectedEntity?: StorwareRef;
  readonly locations: readonly StorwareBackupLocation[];
  /** Only from `getBackup`: the NICs a restore maps to networks. */
  readonly networkInterfaceCards?: readonly StorwareNic[];
}

export interface StorwarePolicy {
  readonly guid: string;
  readonly name: string;
  readonly active?: boolean;
  readonly vms: readonly StorwareRef[];
  readonly vmCount?: number;
  readonly rules: readonly StorwareRef[];
}

/** A Storware project: its own guid and the Keystone project id (`uuid`). */
export interface StorwareProject {
  readonly guid: string;
  readonly uuid?: string;
  readonly name?: string;
}

export interface HypervisorManager {
  readonly guid: string;
  readonly name?: string;
  readonly url?: string;
  /** OPENSTACK, … */
  readonly type?: string;
}

/** An OpenStack availability zone (Storware's hypervisor cluster). */
export interface AvailabilityZone {
  readonly guid: string;
  /** The AZ id that `restoreClusterId` takes (docs/storware-api.md §7). */
  readonly uuid?: string;
  readonly name?: string;
}

export interface StorwareNetwork {
  readonly guid: string;
  readonly uuid?: string;
  readonly name?: string;
}

export interface OpenstackEntity {
  readonly guid: string;
  readonly uuid?: string;
  readonly name?: string;
}

/** `GET /openstack/restore-settings` (docs/storware-api.md §7). */
export interface OpenstackRestoreSettings {
  readonly securityGroups: readonly OpenstackEntity[];
  /** One entry per NIC of the backup, with the security groups it had. */
  readonly sourceNetworks: readonly (OpenstackEntity & {
    readonly defaultMacAddress?: string;
    readonly securityGroupsFromBackup: readonly OpenstackEntity[];
  })[];
  readonly targetNetworks: readonly OpenstackEntity[];
}

export interface SessionInfo {
  readonly requester?: StorwareRef;
  readonly privileges: readonly string[];
  readonly uiTimeZone?: string;
  readonly lastSuccessfulLogin?: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** From `X-Total-Count`; when the header is missing, what the answer itself shows. */
  readonly total: number;
}

export interface PageRequest {
  /** 0-based. */
  readonly page?: number;
  readonly size?: number;
  readonly orderBy?: string;
  readonly direction?: 'asc' | 'desc';
}

export interface VmFilter {
  /** Keystone project id. Required: every inventory read is tenant-scoped (docs/storware-api.md §4). */
  readonly projectUuid: string;
  /** Nova instance UUID. */
  readonly uuid?: string;
  readonly hypervisorManagerType?: string;
}

export interface TaskFilter {
  readonly projectUuid?: string;
  readonly protectedEntityGuid?: string;
  readonly type?: string;
  /** Sent as the repeatable `states` parameter. */
  readonly states?: readonly KnownTaskState[];
  readonly parentTaskGuid?: string;
  readonly backupGuid?: string;
  readonly hypervisorManagerGuid?: string;
}

export interface BackupFilter {
  /** e.g. `['SUCCESS', 'PARTIAL_SUCCESS']`; all statuses when absent. */
  readonly statuses?: readonly string[];
  readonly from?: number;
  readonly to?: number;
  readonly projectUuid?: string;
}

export interface ExportTaskInput {
  readonly vmGuids: readonly string[];
  readonly backupType: BackupType;
  /** 0–100, higher runs first; Storware's default is 50 (docs/storware-api.md §6). */
  readonly priority?: number;
  /** Epoch ms; defaults to now, as the UI sends it. */
  readonly windowStart?: number;
  /** Epoch ms; the task fails if it has not started by then. Storware picks one when absent. */
  readonly windowEnd?: number;
  /** Policy rules to back up with (current UI form); optional. */
  readonly ruleGuids?: readonly string[];
  /** Older (MAN) alternative to rules. */
  readonly backupDestinationGuid?: string;
}

export interface RestoredNetworkInput {
  /** NIC of the backup (from `getBackup(...).networkInterfaceCards`). */
  readonly nicGuid: string;
  readonly nicName?: string;
  readonly networkGuid: string;
  readonly securityGroupGuids?: readonly string[];
}

export interface RestoreAndImportTaskInput {
  readonly backupGuid: string;
  /** Preferred: the current UI restores from a backup location (docs/storware-api.md §7). */
  readonly backupLocationGuid?: string;
  readonly hypervisorManagerGuid: string;
  /** Name of the restored instance (`restoredPeName`). */
  readonly restoredName: string;
  /** Replace existing same-name instances in the project. */
  readonly overwrite?: boolean;
  /** Storware project guid to restore into; the backup's own project when absent. */
  readonly projectGuid?: string;
  /** AZ uuid (`restoreClusterId`). */
  readonly availabilityZoneUuid?: string;
  readonly storageId?: string;
  readonly flavorGuid?: string;
  readonly restoreToOriginalVolumeType?: boolean;
  readonly powerOnAfterRestore?: boolean;
  readonly networks?: readonly RestoredNetworkInput[];
}

export interface RestoreSettingsQuery {
  readonly hypervisorManagerGuid: string;
  readonly backupGuid: string;
  readonly clusterGuid: string;
  readonly projectGuid?: string;
}
