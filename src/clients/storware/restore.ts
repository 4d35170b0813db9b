/**
 * Restoring a backup into an OpenStack instance (`POST /tasks/restore-and-import`,
 * docs/storware-api.md §6, §7) and the choices a restore offers (`/openstack/restore-settings`).
 */
import { requireText, type StorwareCore } from './core';
import { compact, toRestoreSettings } from './normalize';
import { recentOrActive, startTasks } from './tasks';
import type {
  OpenstackRestoreSettings,
  RestoreAndImportTaskInput,
  RestoreSettingsQuery,
  TaskBatch,
} from './types';
import type { RestoreSettingsQueryWire, WireRestoreAndImportTaskRequest } from './wire';

export interface RestoreCalls {
  /**
   * Starts a restore of a backup into an instance (`POST /tasks/restore-and-import`): RESTORE
   * runs, then IMPORT (docs/storware-api.md §6, §7). The body follows the current UI: a backup
   * location when known, otherwise the backup guid as MAN sends it.
   */
  createRestoreAndImportTask(input: RestoreAndImportTaskInput): Promise<TaskBatch>;

  /** Networks and security groups a restore of this backup can map its NICs to. */
  getOpenstackRestoreSettings(query: RestoreSettingsQuery): Promise<OpenstackRestoreSettings>;
}

export function restoreCalls(core: StorwareCore): RestoreCalls {
  return {
    async createRestoreAndImportTask(input) {
      requireText('backupGuid', input.backupGuid);
      requireText('hypervisorManagerGuid', input.hypervisorManagerGuid);
      requireText('restoredName', input.restoredName);
      const requestedAt = core.now();
      return startTasks(
        core,
        {
          operation: 'createRestoreAndImportTask',
          method: 'POST',
          route: '/tasks/restore-and-import',
          body: restoreBody(input),
        },
        { filter: { type: 'RESTORE', backupGuid: input.backupGuid }, matches: recentOrActive(requestedAt) },
      );
    },

    async getOpenstackRestoreSettings(q) {
      requireText('hypervisorManagerGuid', q.hypervisorManagerGuid);
      requireText('backupGuid', q.backupGuid);
      requireText('clusterGuid', q.clusterGuid);
      const query: RestoreSettingsQueryWire = {
        'hvm-guid': q.hypervisorManagerGuid,
        'backup-guid': q.backupGuid,
        'cluster-guid': q.clusterGuid,
        'project-guid': q.projectGuid,
      };
      const response = await core.call({
        operation: 'getOpenstackRestoreSettings',
        method: 'GET',
        route: '/openstack/restore-settings',
        query,
      });
      return toRestoreSettings('getOpenstackRestoreSettings', response.data);
    },
  };
}

/** The request body; fields the input leaves out are left out, so Storware applies its defaults. */
function restoreBody(input: RestoreAndImportTaskInput): WireRestoreAndImportTaskRequest {
  const fromLocation = input.backupLocationGuid !== undefined;
  return compact<WireRestoreAndImportTaskRequest>({
    backup: fromLocation ? undefined : input.backupGuid,
    backupLocation: fromLocation
      ? { guid: input.backupLocationGuid, backup: { guid: input.backupGuid } }
      : undefined,
    hypervisorManager: { guid: input.hypervisorManagerGuid },
    restoredPeName: input.restoredName,
    overwrite: input.overwrite ?? false,
    restoreProject: input.projectGuid === undefined ? undefined : { guid: input.projectGuid },
    restoreClusterId: input.availabilityZoneUuid,
    restoreStorageId: input.storageId,
    restoreVmFlavor: input.flavorGuid === undefined ? undefined : { guid: input.flavorGuid },
    restoreToOriginalVolumeType: input.restoreToOriginalVolumeType,
    powerOnAfterRestore: input.powerOnAfterRestore,
    restoredNetworks: input.networks?.map((n) =>
      compact({
        network: { guid: n.networkGuid },
        networkInterfaceCard: compact({ guid: n.nicGuid, name: n.nicName }),
        securityGroups: n.securityGroupGuids === undefined ? undefined : [...n.securityGroupGuids],
      }),
    ),
  });
}
