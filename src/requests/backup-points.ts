/**
 * Finding the backup point a Storware export produced; shared by the items that take backups
 * (a backup now, the first backup of a protection, the safety backup before an overwriting restore).
 */
import type { StorwareBackup } from '../clients/storware';
import type { RequestDeps } from './deps';

/**
 * The backup point an export produced: the one its task names (Storware links the task to the
 * backup record it creates, docs/storware-api.md §6), so two backups of one instance running together
 * each report their own. Only a server that does not name it gets the newest successful backup made
 * since the export started.
 */
export async function backupOfExport(
  deps: RequestDeps,
  vmGuid: string,
  exportTask: { readonly guid: string; readonly createdAt: number },
): Promise<StorwareBackup | undefined> {
  const named = (await deps.storware.getTask(exportTask.guid)).backup?.guid?.toLowerCase();
  if (named === undefined) {
    return backupMadeSince(deps, vmGuid, exportTask.createdAt);
  }
  const backups = await deps.storware.listBackups(vmGuid, {
    statuses: ['SUCCESS', 'PARTIAL_SUCCESS'],
    from: exportTask.createdAt - 120_000,
  });
  return backups.find((b) => b.guid.toLowerCase() === named);
}

/** The newest successful backup of the instance made by (or after) the export. */
export async function backupMadeSince(
  deps: RequestDeps,
  vmGuid: string,
  since: number,
): Promise<StorwareBackup | undefined> {
  const backups = await deps.storware.listBackups(vmGuid, {
    statuses: ['SUCCESS', 'PARTIAL_SUCCESS'],
    from: since - 120_000,
  });
  return backups
    .filter((b) => (b.backupTime ?? b.snapshotTime ?? 0) >= since - 120_000)
    .sort((a, b) => (b.backupTime ?? b.snapshotTime ?? 0) - (a.backupTime ?? a.snapshotTime ?? 0))[0];
}
