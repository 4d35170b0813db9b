/**
 * Deterministic 32-hex sys_ids for the records the connector ships to ServiceNow (catalog items,
 * variables, choices, the business rule, the script include). Re-importing the update set then
 * updates the same records instead of creating duplicates, and the connector knows each catalog
 * item's sys_id without asking the instance (the reconciler filters RITMs by it).
 */
import { createHash } from 'node:crypto';
import { CATALOG_ITEM_KEYS, type CatalogItemKey } from '../items/definitions';

export function deterministicSysId(...parts: readonly string[]): string {
  return createHash('sha256')
    .update(['storware-itsm-connector', ...parts].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}

export function catalogItemSysId(key: CatalogItemKey): string {
  return deterministicSysId('sc_cat_item', key);
}

export function catalogItemKeyForSysId(sysId: string | undefined): CatalogItemKey | undefined {
  return CATALOG_ITEM_KEYS.find((key) => catalogItemSysId(key) === sysId);
}
