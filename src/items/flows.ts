/**
 * The flow of every catalog item. The type makes a missing flow a compile error: an item listed in
 * `definitions.ts` cannot ship without one, and its request job runs it (workers/processors.ts).
 */
import type { ItemFlow } from '../requests/flow';
import { backupNowFlow } from './backup-now/flow';
import type { CatalogItemKey } from './definitions';
import { protectVmFlow } from './protect-vm/flow';
import { restorePointFlow } from './restore-point/flow';

export const ITEM_FLOWS: { readonly [K in CatalogItemKey]: ItemFlow<K> } = {
  storware_backup_now: backupNowFlow,
  storware_restore_point: restorePointFlow,
  storware_protect_vm: protectVmFlow,
};
