/**
 * When may a request's Storware task start? The requested window (optional "not before" / "not
 * after" variables) intersected with the tenant's maintenance windows.
 *
 * Maintenance windows are wall-clock ranges on given weekdays in an IANA zone; one whose end is not
 * after its start runs past midnight into the next day. Occurrences are expanded day by day in the
 * zone (so DST shifts move them correctly), merged, and intersected with the request. The answer
 * is: run now (until a given end), wait until a given start, or the window is over. The end is
 * passed to Storware as `windowEnd`, which makes Storware itself fail a task that could not start
 * in time (docs/storware-api.md §6, "Time window").
 */
import type { MaintenanceWindow, Weekday } from '../config';
import { localParts, zonedToUtc } from './zoned-time';

export type WindowDecision =
  | { readonly kind: 'now'; readonly windowStart: number; readonly windowEnd: number | undefined }
  | { readonly kind: 'later'; readonly startAt: number; readonly windowEnd: number | undefined }
  | {
      readonly kind: 'expired';
      readonly reason: 'requested_window_over' | 'no_maintenance_window_before_end';
    };

export interface RequestedWindow {
  readonly start?: number;
  readonly end?: number;
}

interface Interval {
  start: number;
  end: number;
}

const DAY_INDEX: Record<Weekday, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
/** How far ahead maintenance windows are expanded; a week of windows always fits. */
const HORIZON_DAYS = 15;

function clock(value: string): { hour: number; minute: number } {
  const [h, m] = value.split(':').map(Number) as [number, number];
  return { hour: h, minute: m };
}

/** Occurrences of one maintenance window that overlap [from, from + horizon). */
export function expandWindow(
  window: MaintenanceWindow,
  from: number,
  horizonDays = HORIZON_DAYS,
): Interval[] {
  const days = new Set(window.days.map((d) => DAY_INDEX[d]));
  const start = clock(window.start);
  const end = clock(window.end);
  const crossesMidnight = window.end === '24:00' || window.end <= window.start;
  const today = localParts(from, window.timeZone);
  const out: Interval[] = [];
  // Start one day back: yesterday's window may still be open (it crosses midnight).
  for (let offset = -1; offset < horizonDays; offset += 1) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    if (!days.has(date.getUTCDay())) {
      continue;
    }
    const y = date.getUTCFullYear();
    const mo = date.getUTCMonth() + 1;
    const d = date.getUTCDate();
    const opens = zonedToUtc(y, mo, d, start.hour, start.minute, window.timeZone);
    let closes: number;
    if (crossesMidnight) {
      const next = new Date(Date.UTC(y, mo - 1, d + 1));
      const endHour = window.end === '24:00' ? 0 : end.hour;
      closes = zonedToUtc(
        next.getUTCFullYear(),
        next.getUTCMonth() + 1,
        next.getUTCDate(),
        endHour,
        end.minute,
        window.timeZone,
      );
    } else {
      closes = zonedToUtc(y, mo, d, end.hour, end.minute, window.timeZone);
    }
    if (closes > opens) {
      out.push({ start: opens, end: closes });
    }
  }
  return out;
}

function merge(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const i of sorted) {
    const last = merged[merged.length - 1];
    if (last && i.start <= last.end) {
      last.end = Math.max(last.end, i.end);
    } else {
      merged.push({ ...i });
    }
  }
  return merged;
}

export function resolveWindow(
  now: number,
  requested: RequestedWindow,
  maintenance: readonly MaintenanceWindow[],
): WindowDecision {
  const from = Math.max(now, requested.start ?? now);
  if (requested.end !== undefined && requested.end <= now) {
    return { kind: 'expired', reason: 'requested_window_over' };
  }
  if (maintenance.length === 0) {
    return from <= now
      ? { kind: 'now', windowStart: now, windowEnd: requested.end }
      : { kind: 'later', startAt: from, windowEnd: requested.end };
  }
  const open = merge(maintenance.flatMap((w) => expandWindow(w, from)));
  for (const interval of open) {
    if (interval.end <= from) {
      continue;
    }
    const start = Math.max(interval.start, from);
    const end = requested.end === undefined ? interval.end : Math.min(interval.end, requested.end);
    if (end <= start) {
      break; // The request ends before the next maintenance window opens.
    }
    return start <= now
      ? { kind: 'now', windowStart: now, windowEnd: end }
      : { kind: 'later', startAt: start, windowEnd: end };
  }
  return { kind: 'expired', reason: 'no_maintenance_window_before_end' };
}
