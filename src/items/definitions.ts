/**
 * The catalog items the connector serves: the one list of them. Item keys, request job names,
 * labels and approval defaults derive from it; each item's flow is registered in `flows.ts`, where
 * the compiler refuses an item without one. How to add an item: CONTRIBUTING.md, "Add a catalog item".
 *
 * The order is the order of the items in the update set and in listings.
 */
import { backupNowItem } from './backup-now/definition';
import type { ItemDefinition } from './item-definition';
import { protectVmItem } from './protect-vm/definition';
import { restorePointItem } from './restore-point/definition';

export const ITEM_DEFINITIONS = {
  storware_backup_now: backupNowItem,
  storware_restore_point: restorePointItem,
  storware_protect_vm: protectVmItem,
} as const satisfies { readonly [K in string]: ItemDefinition<K> };

export type CatalogItemKey = keyof typeof ITEM_DEFINITIONS;

export const CATALOG_ITEM_KEYS = Object.keys(ITEM_DEFINITIONS) as [CatalogItemKey, ...CatalogItemKey[]];

/** The typed variables of each item, after parsing. */
export type ItemVariables = {
  [K in CatalogItemKey]: NonNullable<(typeof ITEM_DEFINITIONS)[K]['variablesType']>;
};

/** Job names of the request jobs, one per item. */
export type RequestJobName = (typeof ITEM_DEFINITIONS)[CatalogItemKey]['job'];

export function itemDefinition<K extends CatalogItemKey>(key: K): (typeof ITEM_DEFINITIONS)[K] {
  return ITEM_DEFINITIONS[key];
}
