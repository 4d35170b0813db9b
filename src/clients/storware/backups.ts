/**
 * Backups (`/backups`, `/backup-locations`, docs/storware-api.md §7 Backup) and starting one on
 * demand (`POST /tasks/export`, docs/storware-api.md §6).
 */
import { ValidationError } from '../../errors';
import { requireText, type StorwareCore } from './core';
import { compact, toBackup, toBackupLocation } from './normalize';
import { startTasks } from './tasks';
import type {
  BackupFilter,
  ExportTaskInput,
  StorwareBackup,
  StorwareBackupLocation,
  TaskBatch,
} from './types';
import type { BackupListQuery, BackupLocationListQuery, WireExportTaskRequest } from './wire';

export interface BackupCalls {
  /** An instance's backups (`GET /backups?protected-entity=…`), newest snapshot first. */
  listBackups(protectedEntityGuid: string, filter?: BackupFilter): Promise<StorwareBackup[]>;

  /** One backup with its network interface cards (needed to map networks on restore). */
  getBackup(guid: string): Promise<StorwareBackup>;

  /** Where an instance's backups are stored; `status: 'PRESENT'` gives restore sources. */
  listBackupLocations(
    protectedEntityGuid: string,
    filter?: { readonly status?: string },
  ): Promise<StorwareBackupLocation[]>;

  /**
   * Starts an on-demand backup (`POST /tasks/export`): one EXPORT task per VM; Storware adds a
   * STORE task when an export succeeds (docs/storware-api.md §6, §7). `windowStart` defaults to now.
   *
   * @throws ValidationError on an empty VM list, a priority outside 0–100 or an inverted window.
   * @throws UpstreamError permanent when Storware refuses every VM.
   */
  createExportTask(input: ExportTaskInput): Promise<TaskBatch>;
}

export function backupCalls(core: StorwareCore): BackupCalls {
  return {
    async listBackups(protectedEntityGuid, filter = {}) {
      requireText('protectedEntityGuid', protectedEntityGuid);
      const query: BackupListQuery = {
        'protected-entity': protectedEntityGuid,
        status: filter.statuses === undefined ? undefined : [...filter.statuses],
        from: filter.from,
        to: filter.to,
        'project-uuid': filter.projectUuid,
      };
      const backups = await core.getList(
        { operation: 'listBackups', method: 'GET', route: '/backups', query },
        toBackup,
      );
      return backups.sort(
        (a, b) => (b.snapshotTime ?? b.backupTime ?? 0) - (a.snapshotTime ?? a.backupTime ?? 0),
      );
    },

    async getBackup(guid) {
      return core.getByGuid('getBackup', '/backups/{guid}', guid, toBackup);
    },

    async listBackupLocations(protectedEntityGuid, filter = {}) {
      requireText('protectedEntityGuid', protectedEntityGuid);
      const query: BackupLocationListQuery = {
        'protected-entity': protectedEntityGuid,
        'location-status': filter.status,
      };
      return core.getList(
        { operation: 'listBackupLocations', method: 'GET', route: '/backup-locations', query },
        toBackupLocation,
      );
    },

    async createExportTask(input) {
      validateExport(input);
      const windowStart = input.windowStart ?? core.now();
      const body = compact<WireExportTaskRequest>({
        backupType: { name: input.backupType },
        protectedEntities: input.vmGuids.map((guid) => ({ guid })),
        priority: input.priority ?? 50,
        windowStart,
        windowEnd: input.windowEnd,
        rules: input.ruleGuids?.map((guid) => ({ guid })),
        backupDestination:
          input.backupDestinationGuid === undefined ? undefined : { guid: input.backupDestinationGuid },
        retryCount: 0,
        protectedEntityType: 'VM',
        async: true,
      });
      const request = {
        operation: 'createExportTask',
        method: 'POST',
        route: '/tasks/export',
        body,
      } as const;
      if (input.vmGuids.length !== 1) {
        // Listing by protected entity works one VM at a time; several VMs are confirmed by type.
        const vmGuids = new Set(input.vmGuids);
        return startTasks(core, request, {
          filter: { type: 'EXPORT' },
          matches: (t) => t.windowStart === windowStart && vmGuids.has(t.protectedEntity?.guid ?? ''),
        });
      }
      return startTasks(core, request, {
        filter: { type: 'EXPORT', protectedEntityGuid: input.vmGuids[0] },
        matches: (t) => t.windowStart === windowStart,
      });
    },
  };
}

function validateExport(input: ExportTaskInput): void {
  const problems: { path: string; message: string }[] = [];
  if (input.vmGuids.length === 0 || input.vmGuids.some((g) => typeof g !== 'string' || g.trim() === '')) {
    problems.push({ path: 'vmGuids', message: 'at least one non-empty VM guid' });
  }
  if (input.backupType !== 'FULL' && input.backupType !== 'INCREMENTAL') {
    problems.push({ path: 'backupType', message: 'FULL or INCREMENTAL' });
  }
  if (
    input.priority !== undefined &&
    (!Number.isInteger(input.priority) || input.priority < 0 || input.priority > 100)
  ) {
    problems.push({ path: 'priority', message: 'an integer from 0 to 100' });
  }
  if (
    input.windowStart !== undefined &&
    input.windowEnd !== undefined &&
    input.windowEnd <= input.windowStart
  ) {
    problems.push({ path: 'windowEnd', message: 'must be after windowStart' });
  }
  if (problems.length > 0) {
    throw new ValidationError('Invalid Storware export request', problems);
  }
}
