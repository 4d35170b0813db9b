/**
 * Identifiers the simulator hands out. Records created at run time get sys_ids from a seeded
 * generator, so the same seed and the same calls give the same ids (a failing test names the same
 * RITM every run). Catalog records get ids derived from their names instead, so they do not move
 * when a test creates one more record first, and a connector configuration can name them.
 */
import { createHash } from 'node:crypto';

export interface IdSource {
  /** A new 32-hex sys_id. */
  sysId(): string;
  /** An opaque token of the given number of hex characters. */
  token(hexLength: number): string;
}

/** mulberry32: small, fast, and good enough for unique-looking ids from a seed. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

export function createIdSource(seed: number): IdSource {
  const next = mulberry32(seed);
  const issued = new Set<string>();
  function hex(length: number): string {
    let out = '';
    while (out.length < length) {
      out += next().toString(16).padStart(8, '0');
    }
    return out.slice(0, length);
  }
  return {
    sysId() {
      let id = hex(32);
      while (issued.has(id)) {
        id = hex(32);
      }
      issued.add(id);
      return id;
    },
    token: hex,
  };
}

/** A stable sys_id for a named record (`sc_cat_item:storware_backup_now`). */
export function namedSysId(name: string): string {
  return createHash('md5').update(name).digest('hex');
}

/** `REQ0010001`, `RITM0010001`: prefix and 7 digits, counting from ServiceNow's usual 0010001. */
export function formatNumber(prefix: string, counter: number): string {
  return `${prefix}${String(counter).padStart(7, '0')}`;
}
