/**
 * A clock tests move by hand, so task lifecycles, windows and session expiry are exercised in
 * microseconds instead of real seconds. Pass `clock.now` as the simulator's `now` option.
 */
export interface ManualClock {
  now(): number;
  advance(ms: number): number;
  set(epochMs: number): void;
}

/** Starts at a fixed instant by default (a Monday, 09:00 UTC) so runs are reproducible. */
export function createManualClock(startMs: number = Date.UTC(2026, 10, 2, 9, 0, 0)): ManualClock {
  let current = startMs;
  return {
    now: () => current,
    advance(ms) {
      if (ms < 0) {
        throw new RangeError('a clock only moves forward');
      }
      current += ms;
      return current;
    },
    set(epochMs) {
      if (epochMs < current) {
        throw new RangeError('a clock only moves forward');
      }
      current = epochMs;
    },
  };
}
