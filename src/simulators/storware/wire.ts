/**
 * Renders the model as Storware's JSON (docs/storware-api.md §3, §6, §7): enumerations as
 * `{name, description}`, references as `{guid, name}`, times as epoch milliseconds. The
 * `string` enum style answers bare names instead; it is not what the real server sends, it exists
 * so tests can prove a client copes with both spellings.
 */
import type { SimBackup, SimPolicy, SimTask, SimVm } from './model';
import type { StorwareWorld } from './state';

export type EnumStyle = 'object' | 'string';

const DESCRIPTIONS: Record<string, string> = {
  FULL: 'Full',
  INCREMENTAL: 'Incremental',
  QUEUED: 'Queued',
  RUNNING: 'Running',
  FINISHED: 'Finished',
  FAILED: 'Failed',
  CANCELLED: 'Cancelled',
  EXPORT: 'Export',
  STORE: 'Store',
  RESTORE: 'Restore',
  IMPORT: 'Import',
  INVENTORY_SYNC: 'Inventory synchronization',
  SUCCESS: 'Success',
  IN_PROGRESS: 'In progress',
  PRESENT: 'Present',
  OPENSTACK: 'OpenStack',
  RESTORE_AND_IMPORT: 'Restore and import',
};

function describe(name: string): string {
  return DESCRIPTIONS[name] ?? name.charAt(0) + name.slice(1).toLowerCase().replaceAll('_', ' ');
}

const DAY = 86_400_000;

/** Turns model objects into Storware JSON, resolving references at render time. */
export class WireRenderer {
  constructor(
    private readonly world: StorwareWorld,
    private readonly style: () => EnumStyle,
  ) {}

  e(name: string): unknown {
    return this.style() === 'string' ? name : { name, description: describe(name) };
  }

  private vmRef(guid: string | undefined): { guid: string; name: string } | undefined {
    const vm = guid === undefined ? undefined : this.world.vm(guid);
    return vm ? { guid: vm.guid, name: vm.name } : undefined;
  }

  vm(vm: SimVm): Record<string, unknown> {
    const project = this.world.projectByGuid(vm.projectGuid);
    const policy = vm.policyGuid === undefined ? undefined : this.world.policy(vm.policyGuid);
    const cluster = this.world.cluster(vm.clusterGuid);
    const flavor = this.world.flavor(vm.flavorGuid);
    const hvm = this.world.hypervisorManager;
    const full =
      vm.lastSuccessfulFullBackupGuid === undefined
        ? undefined
        : this.world.backup(vm.lastSuccessfulFullBackupGuid);
    const inc =
      vm.lastSuccessfulIncBackupGuid === undefined
        ? undefined
        : this.world.backup(vm.lastSuccessfulIncBackupGuid);
    return {
      guid: vm.guid,
      uuid: vm.uuid,
      name: vm.name,
      originalName: vm.name,
      present: vm.present,
      type: this.e('VM'),
      hvmType: this.e('OPENSTACK'),
      hvType: this.e('KVM'),
      hvManager: { guid: hvm.guid, name: hvm.name, url: hvm.url },
      hvCluster: cluster ? { guid: cluster.guid, name: cluster.name } : null,
      project: project ? { guid: project.guid, name: project.name } : null,
      vmFlavor: flavor ? { guid: flavor.guid, name: flavor.name } : null,
      networks: vm.nics.map((nic) => {
        const network = this.world.network(nic.networkGuid);
        return { guid: network?.guid ?? nic.networkGuid, name: network?.name ?? '' };
      }),
      tags: [],
      vmBackupPolicy: policy ? { guid: policy.guid, name: policy.name } : null,
      snapshotMgmtPolicy: null,
      // Absent without a schedule (docs/storware-api.md §7 VM); "up to date" = backed up within a day [I].
      ...(policy
        ? { backupUpToDate: vm.lastBackup !== undefined && this.world.now() - vm.lastBackup < DAY }
        : {}),
      lastBackup: vm.lastBackup ?? null,
      lastSuccessfulBackupSize: vm.lastSuccessfulBackupSize ?? 0,
      lastSuccessfulFullBackupSize: full?.size ?? 0,
      lastSuccessfulFullBackup: full ? { guid: full.guid, name: full.guid } : null,
      lastSuccessfulIncBackup: inc ? { guid: inc.guid, name: inc.guid } : null,
      restorable: (vm.lastSuccessfulBackupSize ?? 0) > 0,
      warningsPresent: false,
      possibleActions: vm.present ? ['BACKUP', 'RESTORE'] : ['RESTORE'],
    };
  }

  location(backup: SimBackup): Record<string, unknown> {
    return {
      guid: backup.location.guid,
      backup: { guid: backup.guid, name: backup.guid },
      snapshotTime: backup.snapshotTime ?? null,
      backupDestination: backup.location.destination,
      backupDestinationType: this.e('FILESYSTEM'),
      roleType: this.e(backup.location.roleType),
      status: this.e(backup.location.status),
      retentionHint: this.e('STANDARD_RETENTION'),
    };
  }

  backup(backup: SimBackup, detailed: boolean): Record<string, unknown> {
    const policy = backup.policyGuid === undefined ? undefined : this.world.policy(backup.policyGuid);
    const project = this.world.projectByGuid(backup.projectGuid);
    const body: Record<string, unknown> = {
      guid: backup.guid,
      type: this.e(backup.type),
      status: this.e(backup.status),
      size: backup.size ?? 0,
      backupTime: backup.backupTime ?? null,
      snapshotTime: backup.snapshotTime ?? null,
      statusInfo: backup.statusInfo ?? null,
      protectedEntity: { type: this.e('VM'), guid: backup.vmGuid, name: backup.vmName },
      backupRule: policy?.rules[0] ?? null,
      description: '',
      warnings: [],
      warningsPresent: false,
      warningsAcknowledged: false,
      originEntity: { type: this.e(backup.origin) },
      sourceProject: project ? { guid: project.guid, name: project.name } : null,
      hidden: false,
      backupLocations: [this.location(backup)],
    };
    if (detailed) {
      body.iscsiMountable = false;
      body.networkInterfaceCards = backup.nics.map((nic) => {
        const network = this.world.network(nic.networkGuid);
        return {
          guid: nic.guid,
          uuid: nic.uuid,
          name: nic.name,
          network: network ? { guid: network.guid, name: network.name } : null,
        };
      });
    }
    return body;
  }

  task(task: SimTask): Record<string, unknown> {
    const vm = this.vmRef(task.vmGuid);
    const hvm = this.world.hypervisorManager;
    return {
      guid: task.guid,
      type: this.e(task.type),
      state: this.e(task.state),
      windowStart: task.windowStart,
      windowEnd: task.windowEnd,
      progress: this.world.engine.progress(task, this.world.now()),
      priority: task.priority,
      backupType: task.backupType === undefined ? null : this.e(task.backupType),
      protectedEntity: vm ?? null,
      protectedEntityDisplayName: vm?.name ?? (task.type === 'INVENTORY_SYNC' ? hvm.name : null),
      hypervisorManager: { guid: hvm.guid, name: hvm.name },
      node: { guid: '00000000-0000-4000-8000-00000000a0de', name: 'vprotect-node-1' },
      originEntity: { type: this.e('USER') },
      startTime: task.startTime ?? null,
      finishTime: task.finishTime ?? null,
      statusInfo: task.statusInfo ?? null,
      parentTask: task.parentTaskGuid === undefined ? null : { guid: task.parentTaskGuid },
      restoreType: task.type === 'RESTORE' || task.type === 'IMPORT' ? this.e('RESTORE_AND_IMPORT') : null,
      retryCount: 0,
      dstProtectedEntity: this.vmRef(task.dstVmGuid) ?? null,
      backup: task.backupGuid === undefined ? null : { guid: task.backupGuid, name: task.backupGuid },
      powerOnAfterRestore: task.restore?.powerOnAfterRestore ?? false,
    };
  }

  policy(policy: SimPolicy): Record<string, unknown> {
    const vms = this.world.policyVms(policy.guid);
    const sizes = this.world
      .backups()
      .filter((b) => b.policyGuid === policy.guid && b.status === 'SUCCESS' && b.size !== undefined)
      .map((b) => b.size ?? 0);
    return {
      guid: policy.guid,
      name: policy.name,
      active: policy.active,
      priority: policy.priority,
      backupRetryCount: 0,
      autoRemoveNonPresent: false,
      // Auto-assignment stays off, as the manual advises for multi-tenant setups (docs/storware-api.md §5).
      autoAssignSettings: {
        mode: this.e('DISABLED'),
        includeTags: [],
        excludeTags: [],
        includeRegExps: [],
        excludeRegExps: [],
        hvClusters: [],
      },
      vms: vms.map((vm) => ({ guid: vm.guid, name: vm.name })),
      rules: policy.rules.map((rule, position) => ({
        guid: rule.guid,
        name: rule.name,
        active: true,
        position,
        schedules: [],
        ruleBackupDestinations: [
          {
            roleType: this.e('PRIMARY'),
            backupDestination: this.world.destination,
            active: true,
          },
        ],
      })),
      vmCount: vms.length,
      averageBackupSize: sizes.length === 0 ? 0 : Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length),
    };
  }

  sessionInfo(login: string): Record<string, unknown> {
    return {
      requester: { guid: '00000000-0000-4000-8000-0000000005e5', name: login },
      language: 'en',
      uiTimeZone: 'UTC',
      privileges: ['VM_BACKUP', 'VM_RESTORE', 'TASK_CONSOLE'].map((p) => this.e(p)),
      appUserSettings: { pageSize: 10, timeFormat: 'HH:mm', unmountPeriodForMountedBackups: DAY },
      uiConsoleMode: 'WORKFLOW',
      lastSuccessfulLogin: this.world.now(),
      lastFailedLogin: null,
      lastFailedLoginIp: null,
      infoTourEnabled: false,
      endpointsTokens: [],
    };
  }
}
