import type { MaintenanceWindow } from '../../src/config';
import { expandWindow, resolveWindow } from '../../src/windows/resolve-window';
import { localParts, zonedToUtc } from '../../src/windows/zoned-time';

const iso = (ms: number) => new Date(ms).toISOString();
const nightly: MaintenanceWindow = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '20:00',
  end: '06:00',
  timeZone: 'Europe/Warsaw',
};

describe('zoned time', () => {
  it('when converting a winter and a summer wall-clock time in Warsaw, then the offsets are +1 and +2', () => {
    expect(iso(zonedToUtc(2026, 1, 15, 20, 0, 'Europe/Warsaw'))).toBe('2026-01-15T19:00:00.000Z');
    expect(iso(zonedToUtc(2026, 7, 15, 20, 0, 'Europe/Warsaw'))).toBe('2026-07-15T18:00:00.000Z');
  });

  it('when the local time falls in the spring-forward gap, then it maps to just after the gap', () => {
    // 2026-03-29 02:30 does not exist in Warsaw (clocks jump 02:00 → 03:00).
    expect(iso(zonedToUtc(2026, 3, 29, 2, 30, 'Europe/Warsaw'))).toBe('2026-03-29T01:30:00.000Z');
    expect(localParts(zonedToUtc(2026, 3, 29, 2, 30, 'Europe/Warsaw'), 'Europe/Warsaw').hour).toBe(3);
  });

  it("when the zone is far from UTC, then the local weekday is the zone's, not UTC's", () => {
    // 2026-11-28 23:30 UTC is already Sunday 29th in Auckland.
    expect(localParts(Date.UTC(2026, 10, 28, 23, 30), 'Pacific/Auckland').weekday).toBe(0);
  });
});

describe('maintenance windows', () => {
  it('when a window crosses midnight, then it ends the next day', () => {
    const [first] = expandWindow(nightly, Date.UTC(2026, 0, 12, 12)); // Monday noon UTC
    expect(first).toBeDefined();
    // Sunday isn't listed; the first occurrence from Sunday (offset -1) is skipped, Monday 20:00 CET.
    expect(iso(first!.start)).toBe('2026-01-12T19:00:00.000Z');
    expect(iso(first!.end)).toBe('2026-01-13T05:00:00.000Z');
  });

  it('when DST starts inside a night window, then that night is an hour shorter in UTC', () => {
    const sat: MaintenanceWindow = { days: ['sat'], start: '22:00', end: '06:00', timeZone: 'Europe/Warsaw' };
    const [night] = expandWindow(sat, Date.UTC(2026, 2, 28, 12)); // Saturday 28 March 2026
    expect(iso(night!.start)).toBe('2026-03-28T21:00:00.000Z'); // 22:00 CET
    expect(iso(night!.end)).toBe('2026-03-29T04:00:00.000Z'); // 06:00 CEST
    expect((night!.end - night!.start) / 3_600_000).toBe(7);
  });

  it('when DST ends inside a night window, then that night is an hour longer in UTC', () => {
    const sat: MaintenanceWindow = { days: ['sat'], start: '22:00', end: '06:00', timeZone: 'Europe/Warsaw' };
    const [night] = expandWindow(sat, Date.UTC(2026, 9, 24, 12)); // Saturday 24 October 2026
    expect((night!.end - night!.start) / 3_600_000).toBe(9);
  });

  it('when a window says 00:00 to 24:00, then it covers the whole local day', () => {
    const sunday: MaintenanceWindow = {
      days: ['sun'],
      start: '00:00',
      end: '24:00',
      timeZone: 'America/New_York',
    };
    const [day] = expandWindow(sunday, Date.UTC(2026, 10, 28, 12)); // Saturday
    expect(iso(day!.start)).toBe('2026-11-29T05:00:00.000Z');
    expect(iso(day!.end)).toBe('2026-11-30T05:00:00.000Z');
  });
});

describe('resolveWindow', () => {
  const mondayNoon = Date.UTC(2026, 0, 12, 12); // 13:00 in Warsaw, outside the night window

  it('when the tenant has no windows and nothing was requested, then it runs now without an end', () => {
    expect(resolveWindow(mondayNoon, {}, [])).toEqual({
      kind: 'now',
      windowStart: mondayNoon,
      windowEnd: undefined,
    });
  });

  it('when the requested start is in the future, then it waits until then and keeps the requested end', () => {
    const start = mondayNoon + 3_600_000;
    const end = start + 7_200_000;
    expect(resolveWindow(mondayNoon, { start, end }, [])).toEqual({
      kind: 'later',
      startAt: start,
      windowEnd: end,
    });
  });

  it('when the requested end has passed, then the window is over', () => {
    expect(resolveWindow(mondayNoon, { end: mondayNoon - 1 }, [])).toEqual({
      kind: 'expired',
      reason: 'requested_window_over',
    });
  });

  it('when outside the maintenance window, then it waits for the next opening and ends with it', () => {
    expect(resolveWindow(mondayNoon, {}, [nightly])).toEqual({
      kind: 'later',
      startAt: Date.UTC(2026, 0, 12, 19),
      windowEnd: Date.UTC(2026, 0, 13, 5),
    });
  });

  it('when inside the maintenance window, then it runs now and must start before the window closes', () => {
    const tuesday2am = Date.UTC(2026, 0, 13, 1); // 02:00 Warsaw, inside Monday's night window
    expect(resolveWindow(tuesday2am, {}, [nightly])).toEqual({
      kind: 'now',
      windowStart: tuesday2am,
      windowEnd: Date.UTC(2026, 0, 13, 5),
    });
  });

  it('when the request ends before the next maintenance window opens, then it can never run', () => {
    expect(resolveWindow(mondayNoon, { end: mondayNoon + 3_600_000 }, [nightly])).toEqual({
      kind: 'expired',
      reason: 'no_maintenance_window_before_end',
    });
  });

  it('when the requested window overlaps a maintenance window, then the intersection is used', () => {
    const start = Date.UTC(2026, 0, 12, 18);
    const end = Date.UTC(2026, 0, 12, 21);
    expect(resolveWindow(mondayNoon, { start, end }, [nightly])).toEqual({
      kind: 'later',
      startAt: Date.UTC(2026, 0, 12, 19),
      windowEnd: end,
    });
  });

  it('when it is Friday night, then the weekend (not listed) is skipped until Monday evening', () => {
    const saturdayNoon = Date.UTC(2026, 0, 17, 12);
    const decision = resolveWindow(saturdayNoon, {}, [nightly]);
    expect(decision).toEqual({
      kind: 'later',
      startAt: Date.UTC(2026, 0, 19, 19),
      windowEnd: Date.UTC(2026, 0, 20, 5),
    });
  });
});
