/**
 * Seeded randomness for the simulator: the same seed gives the same GUIDs, sizes and session
 * tokens, so a failing test names the same objects on every run. mulberry32 is small, fast and
 * good enough for test data; it is not for anything secret.
 */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** A version-4-shaped UUID, like Storware's GUIDs (docs/storware-api.md §3). */
  guid(): string;
  hex(bytes: number): string;
}

/** A deterministic generator for `seed`. */
export function createSeededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const byte = (): number => Math.floor(next() * 256);
  const hex = (bytes: number): string =>
    Array.from({ length: bytes }, () => byte().toString(16).padStart(2, '0')).join('');
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    hex,
    guid() {
      const b = Array.from({ length: 16 }, byte);
      b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
      b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
      const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  };
}
