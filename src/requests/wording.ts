/**
 * What people read on the ticket. Requesters (comments) get plain words: what happens, when, and
 * what to do next. Agents (work notes) get the facts: ids, states, reasons. Kept in one place so
 * the tone stays the same and the tests can check key facts without pinning every sentence.
 */
import type { TenantConfig } from '../config';
import { ITEM_DEFINITIONS, type CatalogItemKey } from '../items/definitions';

export const CONNECTOR_NAME = 'storware-itsm-connector';

export function itemNoun(item: CatalogItemKey): string {
  return ITEM_DEFINITIONS[item].noun;
}

/** `2026-11-28 22:00 (Europe/Warsaw), 21:00 UTC` — local time first, for the tenant. */
export function formatWhen(ms: number, tenant?: TenantConfig): string {
  const utc = new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  const zone = tenant?.maintenanceWindows[0]?.timeZone;
  if (!zone) {
    return `${utc} UTC`;
  }
  const local = new Intl.DateTimeFormat('sv-SE', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(ms));
  return `${local} (${zone}), ${utc.slice(11)} UTC`;
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) {
    return 'unknown size';
  }
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** `2026-11-28 02:28:36 UTC`: evidence for close notes, to the second. */
export function formatInstant(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || ms < 0) {
    return 'unknown duration';
  }
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) {
    return `${seconds} s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ${seconds % 60} s`;
  }
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The same words whether the instance does not exist or belongs to someone else (no oracle). */
export function instanceNotFound(instanceId: string): string {
  return `The instance ${instanceId} was not found in your project, so nothing was done. Check the instance ID in Horizon (Project > Compute > Instances) and order again.`;
}

export const TECHNICAL_DELAY =
  'Your request is delayed by a technical problem; the service desk has been alerted and will finish it or tell you what to do.';
