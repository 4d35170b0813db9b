/**
 * The request ledger: one record per RITM in Redis, written concurrently by intake, several
 * workers and the task poller, read by the status API, ops and the reconciler.
 *
 * Key layout (P = the configured prefix, a hash tag such as `{sic}`, so every key is in one
 * Redis Cluster slot and the multi-key scripts never hit CROSSSLOT):
 *
 *   P:ledger:req:<requestId>            hash    short scalars only: ritmSysId number item state
 *                                               step tenant ticketState createdAt updatedAt
 *                                               cancelRequested (0|1)
 *   P:ledger:req:<requestId>:data       hash    task:<step> → JSON task {guid,type,state,…} (one
 *                                               per step, first writer wins), approval, window,
 *                                               result, lastError → JSON, jobIds → comma list
 *   P:ledger:req:<requestId>:timeline   list    events as JSON arrays [at,type,message,data?],
 *                                               RPUSH, capped at the newest TIMELINE_CAP by LTRIM
 *   P:ledger:ritm:<sys_id>              string  → requestId (one requestId per RITM)
 *   P:ledger:number:<RITM number>       string  → requestId
 *   P:ledger:idx:updated                zset    requestId scored by updatedAt (all entries)
 *   P:ledger:idx:state:<state>          zset    requestId scored by updatedAt, per state
 *   P:ledger:idx:tenant:<tenant>        zset    same, per tenant (once the worker knows it)
 *   P:ledger:idx:item:<item key>        zset    same, per catalog item
 *   P:ledger:idx:open                   zset    non-terminal requestIds scored by createdAt
 *
 * Why this shape: each writer touches only its own fields (HSET), appends (RPUSH) or claims
 * (HSETNX-like, in Lua), so no update reads a JSON blob, changes it in Node and writes it back
 * over someone else's change. Every write that spans keys or must check before it writes is one
 * Lua script (scripts.ts), which also keeps the indexes in step with the entry.
 *
 * Why two hashes: Redis keeps a hash in its compact listpack encoding only while every value is
 * at most 64 bytes (hash-max-listpack-value); one longer value (a task, an approval) turns the
 * whole hash into a hashtable at about three times the memory. Short scalars stay in the main
 * hash, and everything long shares one :data hash, which pays that overhead once.
 *
 * Retention: open entries never expire (the reconciler needs them). When an entry turns terminal
 * every key of it gets a TTL of retentionDays, refreshed by any later write, and it leaves the
 * open set; `prune()` drops index members whose entry has expired.
 *
 * Size (MEMORY USAGE, Redis 7.0): a finished backup (five timeline events, one task, a result)
 * takes about 1.9 KB, of which 0.3 KB are the two lookup keys; a restore with its approval
 * binding about 2.1 KB. The ledger integration tests keep those numbers from creeping up.
 */
import type { Redis } from 'ioredis';
import { CATALOG_ITEM_KEYS } from '../items/definitions';
import { NotFoundError, ValidationError } from '../errors';
import {
  decodeCursor,
  decodeEvent,
  decodeSummary,
  decodeTask,
  decodeTasks,
  encodeCursor,
  encodeEvent,
  encodePatch,
  encodeTaskFields,
  isRequestIdFormat,
  isSafeToken,
  ledgerKeys,
  requestIdForRitm,
  type ListCursor,
} from './codec';
import {
  addJobIdScript,
  createOrGetScript,
  recordTaskScript,
  updateScript,
  updateTaskScript,
} from './scripts';
import {
  REQUEST_STATES,
  isRequestState,
  type Ledger,
  type LedgerEntry,
  type LedgerEventInput,
  type LedgerPage,
  type LedgerSummary,
  type ListQuery,
} from './types';

export const TIMELINE_CAP = 200;
const SCAN_BUDGET = 5_000;
const PRUNE_BATCH = 500;

export interface LedgerOptions {
  readonly retentionDays: number;
  /** Epoch ms; injectable for tests. */
  readonly now?: () => number;
}

export function createLedger(redis: Redis, prefix: string, options: LedgerOptions): Ledger {
  const keys = ledgerKeys(prefix);
  const now = options.now ?? Date.now;
  const retentionSeconds = Math.max(1, Math.round(options.retentionDays * 24 * 3600));

  async function get(requestId: string): Promise<LedgerEntry | undefined> {
    if (!isRequestIdFormat(requestId)) {
      return undefined;
    }
    const results = await redis
      .multi()
      .hgetall(keys.entry(requestId))
      .lrange(keys.timeline(requestId), 0, -1)
      .hgetall(keys.data(requestId))
      .exec();
    if (!results) {
      return undefined;
    }
    for (const [error] of results) {
      if (error) {
        throw error;
      }
    }
    const [hash, timeline, data] = results.map(([, value]) => value) as [
      Record<string, string>,
      string[],
      Record<string, string>,
    ];
    const summary = decodeSummary(requestId, hash, data);
    if (!summary) {
      return undefined;
    }
    return {
      ...summary,
      tasks: decodeTasks(data),
      timeline: timeline.map(decodeEvent).filter((e) => e !== undefined),
    };
  }

  async function getByMapping(key: string): Promise<LedgerEntry | undefined> {
    const requestId = await redis.get(key);
    return requestId === null ? undefined : get(requestId);
  }

  function requireToken(what: string, value: string): void {
    if (!isSafeToken(value)) {
      throw new ValidationError(`Invalid ${what}`, [
        { path: what, message: 'letters, digits, dot, underscore and dash only (1-64)' },
      ]);
    }
  }

  function common(requestId: string): Array<string | number> {
    return [prefix, requestId, now(), retentionSeconds];
  }

  /**
   * Walks one index from newest to oldest, from the cursor on, keeping members whose entry still
   * exists and matches the other filters. Members with equal scores come in reverse id order, so
   * "after the cursor" means a lower score, or the same score and a smaller id.
   */
  async function list(query: ListQuery): Promise<LedgerPage> {
    const limit = Math.min(Math.max(Math.trunc(query.limit), 1), 200);
    const cursor: ListCursor | undefined =
      query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && cursor === undefined) {
      throw new ValidationError('Invalid cursor', [
        { path: 'cursor', message: 'is not a cursor this API returned' },
      ]);
    }
    const index =
      query.state !== undefined
        ? keys.stateIndex(query.state)
        : query.tenant !== undefined
          ? keys.tenantIndex(query.tenant)
          : query.item !== undefined
            ? keys.itemIndex(query.item)
            : keys.updatedIndex;
    const min = query.since === undefined ? '-inf' : String(query.since);
    const batch = Math.max(limit * 2, 50);
    const items: LedgerSummary[] = [];
    let max = cursor === undefined ? '+inf' : String(cursor.score);
    let last: ListCursor | undefined = cursor;
    let offset = 0;
    let examined = 0;
    for (;;) {
      const raw = await redis.zrevrangebyscore(index, max, min, 'WITHSCORES', 'LIMIT', offset, batch);
      const members: ListCursor[] = [];
      for (let i = 0; i + 1 < raw.length; i += 2) {
        members.push({ requestId: raw[i]!, score: Number(raw[i + 1]) });
      }
      const fresh = members.filter(
        (m) =>
          last === undefined ||
          m.score < last.score ||
          (m.score === last.score && m.requestId < last.requestId),
      );
      if (fresh.length === 0) {
        if (members.length < batch) {
          return { items };
        }
        // A run of equal scores longer than a batch: step over it.
        offset += batch;
        continue;
      }
      offset = 0;
      const pipeline = redis.pipeline();
      for (const m of fresh) {
        pipeline.hgetall(keys.entry(m.requestId)).hgetall(keys.data(m.requestId));
      }
      const hashes = (await pipeline.exec()) ?? [];
      for (let i = 0; i < fresh.length; i += 1) {
        const member = fresh[i]!;
        const [mainError, hash] = hashes[2 * i] ?? [new Error('missing pipeline result'), undefined];
        const [dataError, data] = hashes[2 * i + 1] ?? [new Error('missing pipeline result'), undefined];
        const error = mainError ?? dataError;
        if (error) {
          throw error;
        }
        last = member;
        examined += 1;
        const summary = decodeSummary(
          member.requestId,
          hash as Record<string, string>,
          data as Record<string, string>,
        );
        if (
          summary &&
          (query.state === undefined || summary.state === query.state) &&
          (query.tenant === undefined || summary.tenant === query.tenant) &&
          (query.item === undefined || summary.item === query.item)
        ) {
          items.push(summary);
          if (items.length === limit) {
            return { items, nextCursor: encodeCursor(member) };
          }
        }
        if (examined >= SCAN_BUDGET) {
          // A sparse filter: hand back a short page and a cursor rather than scanning on.
          return { items, nextCursor: encodeCursor(member) };
        }
      }
      if (members.length < batch) {
        return { items };
      }
      max = String(last!.score);
    }
  }

  /** Removes, from one index, members older than the cutoff whose entry no longer exists. */
  async function pruneIndex(index: string, cutoff: number): Promise<number> {
    let removed = 0;
    let offset = 0;
    for (;;) {
      const members = await redis.zrangebyscore(index, '-inf', `(${cutoff}`, 'LIMIT', offset, PRUNE_BATCH);
      if (members.length === 0) {
        return removed;
      }
      const pipeline = redis.pipeline();
      for (const id of members) {
        pipeline.exists(keys.entry(id));
      }
      const exists = (await pipeline.exec()) ?? [];
      const gone = members.filter((_, i) => exists[i]?.[1] === 0);
      if (gone.length > 0) {
        removed += await redis.zrem(index, ...gone);
      }
      // Members still alive (open requests untouched for long) stay; skip past them.
      offset += members.length - gone.length;
      if (members.length < PRUNE_BATCH) {
        return removed;
      }
    }
  }

  return {
    async createOrGet(input) {
      // Deterministic per RITM (see requestIdForRitm): a rebuilt entry gets its old id back.
      const candidate = requestIdForRitm(input.ritmSysId);
      const at = now();
      const result = (await createOrGetScript.run(
        redis,
        [keys.ritm(input.ritmSysId), keys.number(input.number), keys.entry(candidate)],
        [
          prefix,
          candidate,
          input.ritmSysId,
          input.number,
          input.item,
          at,
          encodeEvent(at, input.receivedEvent),
        ],
      )) as [string, number];
      const [requestId, created] = result;
      const entry = await get(requestId);
      if (!entry) {
        // Only possible if the entry expired in the instant between the script and the read.
        throw new NotFoundError(
          `Ledger entry ${requestId} vanished while being read`,
          'ledger_entry_missing',
        );
      }
      return { entry, created: created === 1 };
    },

    get,
    getByRitm: (sysId) => getByMapping(keys.ritm(sysId)),
    getByNumber: (number) => getByMapping(keys.number(number)),

    async getState(requestId) {
      const state = await redis.hget(keys.entry(requestId), 'state');
      return state !== null && isRequestState(state) ? state : undefined;
    },

    async update(requestId, patch, event, updateOptions = {}) {
      if (patch.step !== undefined) {
        requireToken('step', patch.step);
      }
      if (patch.tenant !== undefined) {
        requireToken('tenant', patch.tenant);
      }
      if (patch.ticketState !== undefined && patch.ticketState !== null) {
        requireToken('ticketState', patch.ticketState);
      }
      const { set, del } = encodePatch(patch);
      const at = now();
      const result = await updateScript.run(
        redis,
        [keys.entry(requestId)],
        [
          prefix,
          requestId,
          at,
          retentionSeconds,
          TIMELINE_CAP,
          event === undefined ? '' : encodeEvent(at, event),
          (updateOptions.onlyIfState ?? []).join(','),
          patch.state ?? '',
          set.length,
          ...set.flat(),
          ...del,
        ],
      );
      return result === 'ok';
    },

    async appendEvent(requestId, event: LedgerEventInput) {
      const at = now();
      const result = await updateScript.run(
        redis,
        [keys.entry(requestId)],
        [prefix, requestId, at, retentionSeconds, TIMELINE_CAP, encodeEvent(at, event), '', '', 0],
      );
      return result === 'ok';
    },

    async recordTask(requestId, step, task) {
      requireToken('step', step);
      const at = now();
      // The task itself is in :data; the line is for people reading the timeline.
      const event = encodeEvent(at, {
        type: 'task.recorded',
        message: `Storware ${task.type} task ${task.guid} created (step ${step})`,
      });
      const [status, winner] = (await recordTaskScript.run(
        redis,
        [keys.entry(requestId)],
        [...common(requestId), TIMELINE_CAP, step, encodeTaskFields(task, false), event],
      )) as [string, string];
      if (status === 'missing') {
        throw new NotFoundError(`No ledger entry ${requestId}`, 'ledger_entry_missing');
      }
      const decoded = decodeTask(winner);
      if (!decoded) {
        throw new TypeError(`task of step ${step} in ${requestId} is not readable`);
      }
      return { recorded: status === 'recorded', task: decoded };
    },

    async updateTask(requestId, step, patch) {
      if ('guid' in patch) {
        throw new TypeError('a recorded task keeps its guid');
      }
      const result = await updateTaskScript.run(
        redis,
        [keys.entry(requestId)],
        [...common(requestId), step, encodeTaskFields(patch, true)],
      );
      return result === 'ok';
    },

    async addJobId(requestId, jobId) {
      requireToken('jobId', jobId);
      const result = await addJobIdScript.run(redis, [keys.entry(requestId)], [...common(requestId), jobId]);
      return result === 'ok';
    },

    list,

    async openRequestIds(limit = 10_000) {
      return redis.zrange(keys.openIndex, '0', String(Math.max(limit, 1) - 1));
    },

    async prune() {
      const cutoff = now() - retentionSeconds * 1000;
      const indexes = [
        keys.updatedIndex,
        ...REQUEST_STATES.map((s) => keys.stateIndex(s)),
        ...CATALOG_ITEM_KEYS.map((i) => keys.itemIndex(i)),
      ];
      let cursor = '0';
      do {
        const [next, found] = await redis.scan(cursor, 'MATCH', keys.tenantIndexPattern, 'COUNT', 200);
        cursor = next;
        indexes.push(...found);
      } while (cursor !== '0');
      let removed = 0;
      for (const index of indexes) {
        removed += await pruneIndex(index, cutoff);
      }
      return removed;
    },
  };
}
