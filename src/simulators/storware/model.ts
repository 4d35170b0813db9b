/**
 * The simulator's in-memory model. It stores names, not the wire's `{name, description}` objects;
 * wire.ts renders those. References between objects are guids, resolved when rendering, so one
 * change (a policy assignment, a finished backup) shows up everywhere at once.
 */

export const SIM_TASK_TYPES = ['EXPORT', 'STORE', 'RESTORE', 'IMPORT', 'INVENTORY_SYNC'] as const;
export type SimTaskType = (typeof SIM_TASK_TYPES)[number];

/** Storware's task states (docs/storware-api.md §6). */
export type SimTaskState = 'QUEUED' | 'RUNNING' | 'FINISHED' | 'FAILED' | 'CANCELLED';

export interface SimProject {
  readonly key: string;
  /** Storware's own guid for the project. */
  readonly guid: string;
  /** The Keystone project id, what `project-uuid` filters by (docs/storware-api.md §4). */
  readonly uuid: string;
  readonly name: string;
}

export interface SimHypervisorManager {
  readonly guid: string;
  readonly name: string;
  readonly url: string;
  readonly type: 'OPENSTACK';
}

export interface SimCluster {
  readonly guid: string;
  readonly uuid: string;
  readonly name: string;
}

export interface SimFlavor {
  readonly guid: string;
  readonly name: string;
}

export interface SimNetwork {
  readonly guid: string;
  readonly uuid: string;
  readonly name: string;
  /** Undefined for a shared network every project may use. */
  readonly projectGuid?: string;
}

export interface SimSecurityGroup {
  readonly guid: string;
  readonly uuid: string;
  readonly name: string;
  readonly projectGuid: string;
}

export interface SimNic {
  readonly guid: string;
  readonly uuid: string;
  readonly name: string;
  readonly networkGuid: string;
  readonly macAddress: string;
  readonly securityGroupGuids: readonly string[];
}

export interface SimVm {
  readonly guid: string;
  /** Nova instance UUID. */
  readonly uuid: string;
  readonly name: string;
  present: boolean;
  readonly projectGuid: string;
  readonly hypervisorManagerGuid: string;
  readonly clusterGuid: string;
  readonly flavorGuid: string;
  readonly nics: readonly SimNic[];
  policyGuid?: string;
  lastBackup?: number;
  lastSuccessfulBackupSize?: number;
  lastSuccessfulFullBackupGuid?: string;
  lastSuccessfulIncBackupGuid?: string;
}

/** An instance that exists in OpenStack but not yet in Storware's inventory. */
export interface SimPendingInstance {
  readonly uuid: string;
  readonly name: string;
  readonly projectGuid: string;
  readonly hypervisorManagerGuid: string;
  readonly provisionedAt: number;
  /** When Storware's own periodic sync would pick it up. */
  readonly visibleAt: number;
}

export type SimBackupStatus = 'IN_PROGRESS' | 'SUCCESS' | 'FAILED';

export interface SimBackupLocation {
  readonly guid: string;
  readonly destination: { readonly guid: string; readonly name: string };
  readonly roleType: 'PRIMARY';
  status: 'IN_PROGRESS' | 'PRESENT' | 'FAILED';
}

export interface SimBackup {
  readonly guid: string;
  readonly vmGuid: string;
  readonly vmName: string;
  readonly projectGuid: string;
  readonly type: 'FULL' | 'INCREMENTAL';
  status: SimBackupStatus;
  statusInfo?: string;
  size?: number;
  snapshotTime?: number;
  backupTime?: number;
  readonly origin: 'USER' | 'SCHEDULE';
  readonly policyGuid?: string;
  /** The NICs at snapshot time; a restore maps each to a network. */
  readonly nics: readonly SimNic[];
  readonly location: SimBackupLocation;
}

export interface SimPolicy {
  readonly guid: string;
  readonly name: string;
  active: boolean;
  readonly priority: number;
  /** INCREMENTAL exports need an incremental schedule on the policy (docs/storware-api.md §7 Export). */
  readonly hasIncrementalSchedule: boolean;
  readonly rules: readonly { readonly guid: string; readonly name: string }[];
}

export interface SimRestorePlan {
  readonly backupGuid: string;
  readonly restoredName: string;
  readonly projectGuid: string;
  readonly overwrite: boolean;
  readonly clusterGuid: string;
  readonly flavorGuid: string;
  readonly networks: readonly { readonly nicGuid: string; readonly networkGuid: string }[];
  readonly powerOnAfterRestore: boolean;
}

export interface SimTask {
  readonly guid: string;
  readonly type: SimTaskType;
  state: SimTaskState;
  readonly priority: number;
  /** Creation order breaks priority ties. */
  readonly seq: number;
  readonly createdAt: number;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly durationMs: number;
  startTime?: number;
  finishTime?: number;
  /** Progress frozen when the task ended. */
  endProgress?: number;
  statusInfo?: string;
  /** Set by `failNextTask`: the task fails halfway with this text. */
  readonly plannedFailure?: string;
  readonly vmGuid?: string;
  readonly hypervisorManagerGuid: string;
  readonly backupGuid?: string;
  readonly backupType?: 'FULL' | 'INCREMENTAL';
  readonly parentTaskGuid?: string;
  readonly restore?: SimRestorePlan;
  dstVmGuid?: string;
}

export type TaskDurations = Readonly<Record<SimTaskType, number>>;

/** Refusal of a request, rendered as `{message}` with this status (docs/storware-api.md §3 Errors). */
export class SimRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SimRefusal';
  }
}
