/**
 * Reading and writing Table API values (docs/servicenow.md §1 "Envelopes and value shapes"): every value is
 * a string, references are `{link, value}` (or `""` when empty, or a bare sys_id when links are
 * excluded), dates are `YYYY-MM-DD HH:MM:SS` in UTC. Readers are lenient about shape (a field the
 * instance did not send reads as empty) but strict about meaning (a malformed date is undefined,
 * not a rolled-over day).
 */
import { ValidationError } from '../../errors';

const SYS_ID = /^[0-9a-f]{32}$/;
const RITM_NUMBER = /^RITM\d{7,10}$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** True for a 32-hex lower-case sys_id. */
export function isSysId(value: unknown): boolean {
  return typeof value === 'string' && SYS_ID.test(value);
}

/** True for a RITM number (`RITM` and 7 to 10 digits). */
export function isRitmNumber(value: unknown): boolean {
  return typeof value === 'string' && RITM_NUMBER.test(value);
}

/**
 * Refuses anything but a 32-hex sys_id before it goes into a URL path or an encoded query, where a
 * `/`, `^` or `..` would change what is asked for.
 */
export function requireSysId(value: string, what: string): string {
  if (!isSysId(value)) {
    throw new ValidationError(`${what} is not a ServiceNow sys_id (32 lower-case hex digits)`, [
      { path: what, message: 'must be 32 lower-case hex digits' },
    ]);
  }
  return value;
}

/** A field's raw string: the string itself, a reference's `value`, or `""` for anything else. */
export function readString(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (value !== null && typeof value === 'object' && 'value' in value && typeof value.value === 'string') {
    return value.value;
  }
  return '';
}

/** A reference's sys_id, whatever form it came in; undefined when empty. */
export function readReference(value: unknown): string | undefined {
  const raw = readString(value);
  return raw === '' ? undefined : raw;
}

/** A whole number sent as a string (`"-5"`); `fallback` when it is not one. */
export function readInteger(value: unknown, fallback: number): number {
  const raw = readString(value);
  return /^-?\d+$/.test(raw) ? Number(raw) : fallback;
}

/** `"true"` → true; anything else (including `"false"` and `""`) → false. */
export function readBoolean(value: unknown): boolean {
  return readString(value) === 'true';
}

/** `YYYY-MM-DD HH:MM:SS` (UTC) → epoch ms; undefined for `""` or anything malformed. */
export function parseDateTime(value: unknown): number | undefined {
  const match = DATE_TIME.exec(readString(value));
  if (!match) {
    return undefined;
  }
  const [y, mo, d, h, mi, s] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  return back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 && mi < 60 && s < 60
    ? ms
    : undefined;
}

/** Epoch ms → `YYYY-MM-DD HH:MM:SS` in UTC (seconds truncated, as ServiceNow stores them). */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
