/**
 * The audit trail of ops actions: replays, bulk replays, abandons, cancels, and write actions on
 * the queue dashboard. Each record says who (the token's name and role), when, why (the reason
 * they gave), on what, and how it ended — including refusals, so an attempt on the wrong job is
 * visible too. The request's own timeline gets a line as well; this trail is the cross-request view.
 *
 *   <prefix>:ops:audit   stream, one entry per action, field `r` = the record as JSON
 *
 * A stream because its ids are timestamps: the newest-first listing is one XREVRANGE, and
 * retention is `XADD … MINID ~ <now - retention>` on every write (approximate trimming, which
 * Redis does in whole macro-nodes, so it costs nothing per write). The key lives under the
 * connector prefix, so it shares the hash slot with everything else.
 */
import type { Redis } from 'ioredis';
import type { components } from '../../spec/generated/connector';
import { ValidationError } from '../errors';
import type { Actor } from './actor';

export type AuditRecord = components['schemas']['AuditRecord'];
export type AuditAction = AuditRecord['action'];
export type AuditOutcome = AuditRecord['outcome'];
export type AuditTarget = components['schemas']['AuditTarget'];

export interface AuditInput {
  readonly actor: Actor;
  readonly action: AuditAction;
  readonly outcome: AuditOutcome;
  readonly reason: string;
  /** What happened, in a sentence. */
  readonly message: string;
  readonly target: AuditTarget;
}

export interface AuditQuery {
  /** Epoch ms; only records at or after it. */
  readonly since?: number;
  readonly actor?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export interface AuditPage {
  readonly items: AuditRecord[];
  readonly nextCursor?: string;
}

export interface AuditTrail {
  record(input: AuditInput): Promise<AuditRecord>;
  list(query: AuditQuery): Promise<AuditPage>;
}

const STREAM_ID = /^\d{1,20}-\d{1,20}$/;
const ACTIONS: readonly AuditAction[] = ['replay', 'bulk-replay', 'abandon', 'cancel', 'dashboard'];
const OUTCOMES: readonly AuditOutcome[] = ['done', 'refused', 'failed'];
/** Entries examined per list call at most, so a rare actor cannot make one call scan everything. */
const SCAN_BUDGET = 5_000;

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Rebuilds a stored record field by field; anything unexpected is dropped, not passed through. */
function decodeRecord(id: string, raw: string | undefined): AuditRecord | undefined {
  let stored: Record<string, unknown>;
  try {
    stored = JSON.parse(raw ?? '') as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const action = str(stored.action) as AuditAction | undefined;
  const outcome = str(stored.outcome) as AuditOutcome | undefined;
  const role = stored.role === 'ops' || stored.role === 'agent' ? stored.role : undefined;
  const actor = str(stored.actor);
  if (!action || !ACTIONS.includes(action) || !outcome || !OUTCOMES.includes(outcome) || !role || !actor) {
    return undefined;
  }
  const t = (stored.target ?? {}) as Record<string, unknown>;
  const target: AuditTarget = {};
  for (const key of ['jobId', 'queue', 'requestId', 'ticket', 'method', 'path'] as const) {
    const value = str(t[key]);
    if (value !== undefined) {
      target[key] = value;
    }
  }
  if (Array.isArray(t.jobIds)) {
    target.jobIds = t.jobIds.filter((j): j is string => typeof j === 'string');
  }
  if (typeof t.count === 'number') {
    target.count = t.count;
  }
  return {
    id,
    at: Number(id.split('-')[0]),
    actor,
    role,
    action,
    outcome,
    reason: str(stored.reason) ?? '',
    message: str(stored.message) ?? '',
    target,
  };
}

export function createAuditTrail(
  redis: Redis,
  prefix: string,
  options: { retentionDays: number; now?: () => number },
): AuditTrail {
  const key = `${prefix}:ops:audit`;
  const now = options.now ?? Date.now;
  const retentionMs = Math.round(options.retentionDays * 86_400_000);

  return {
    async record(input) {
      const stored = {
        actor: input.actor.name,
        role: input.actor.role,
        action: input.action,
        outcome: input.outcome,
        reason: input.reason,
        message: input.message,
        target: input.target,
      };
      const id = await redis.xadd(
        key,
        'MINID',
        '~',
        String(Math.max(0, now() - retentionMs)),
        '*',
        'r',
        JSON.stringify(stored),
      );
      if (id === null) {
        // Only with NOMKSTREAM, which is not used; a null here means Redis did not write it.
        throw new Error('audit record was not written');
      }
      return decodeRecord(id, JSON.stringify(stored))!;
    },

    async list(query) {
      if (query.cursor !== undefined && !STREAM_ID.test(query.cursor)) {
        throw new ValidationError(
          'Invalid cursor',
          [{ path: 'cursor', message: 'is not a cursor this API returned' }],
          'invalid_query',
          400,
        );
      }
      const min = query.since === undefined ? '-' : String(query.since);
      let max = query.cursor === undefined ? '+' : `(${query.cursor}`;
      const items: AuditRecord[] = [];
      let examined = 0;
      for (;;) {
        const batch = Math.min(500, Math.max(query.limit * 2, 50));
        const entries = await redis.xrevrange(key, max, min, 'COUNT', batch);
        for (const [id, fields] of entries) {
          examined += 1;
          const record = decodeRecord(id, fields[fields.indexOf('r') + 1]);
          if (record && (query.actor === undefined || record.actor === query.actor)) {
            items.push(record);
            if (items.length === query.limit) {
              return { items, nextCursor: id };
            }
          }
          if (examined >= SCAN_BUDGET) {
            return { items, nextCursor: id };
          }
        }
        if (entries.length < batch) {
          return { items };
        }
        max = `(${entries[entries.length - 1]![0]}`;
      }
    },
  };
}
