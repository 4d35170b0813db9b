/**
 * Pure conversions between ledger values and what Redis stores: key names, hash fields, timeline
 * lines, list cursors. No I/O here, so the encoding rules are unit-tested without Redis.
 *
 * Reading is forgiving: a field that does not parse (written by an older or newer version during a
 * rolling deploy) is dropped rather than failing the whole read, because an agent looking up a
 * ticket should still see the rest of the entry.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CATALOG_ITEM_KEYS, type CatalogItemKey } from '../items/definitions';
import {
  isRequestState,
  type LedgerError,
  type LedgerEvent,
  type LedgerEventInput,
  type LedgerPatch,
  type LedgerSummary,
  type LedgerTask,
} from './types';

export function ledgerKeys(prefix: string) {
  const base = `${prefix}:ledger`;
  return {
    entry: (requestId: string) => `${base}:req:${requestId}`,
    timeline: (requestId: string) => `${base}:req:${requestId}:timeline`,
    data: (requestId: string) => `${base}:req:${requestId}:data`,
    ritm: (sysId: string) => `${base}:ritm:${sysId}`,
    number: (number: string) => `${base}:number:${number}`,
    updatedIndex: `${base}:idx:updated`,
    openIndex: `${base}:idx:open`,
    stateIndex: (state: string) => `${base}:idx:state:${state}`,
    tenantIndex: (tenant: string) => `${base}:idx:tenant:${tenant}`,
    tenantIndexPattern: `${base}:idx:tenant:*`,
    itemIndex: (item: string) => `${base}:idx:item:${item}`,
  };
}
export type LedgerKeys = ReturnType<typeof ledgerKeys>;

/** The shape of a request id: `r-` + 32 hex digits, a valid BullMQ id fragment (no ':', not numeric). */
export const REQUEST_ID_PATTERN = /^r-[0-9a-f]{32}$/;

/** A random request id in the production shape, for tests and benchmarks (production ids come from
 * `requestIdForRitm`). */
export function newRequestId(): string {
  return `r-${randomBytes(16).toString('hex')}`;
}

/**
 * The request id of a RITM: derived from its sys_id, so it is the same every time the ledger entry
 * is made. An entry lost with Redis writes (a failover, AOF everysec) and rebuilt by the reconciler
 * from ServiceNow gets its old id back — and with it the job id and the tag its Storware tasks
 * carry, so the rebuilt request adopts the task it had created instead of creating a second one.
 */
export function requestIdForRitm(ritmSysId: string): string {
  return `r-${createHash('sha256').update(`sic-request:${ritmSysId.toLowerCase()}`).digest('hex').slice(0, 32)}`;
}

export function isRequestIdFormat(value: string): boolean {
  return REQUEST_ID_PATTERN.test(value);
}

/**
 * Tenant ids, steps, ticket states and job ids become key names, comma lists or main-hash values;
 * refuse what would break them. 64 characters at most keeps the main hash in Redis' compact
 * listpack encoding (hash-max-listpack-value).
 */
const TOKEN = /^[A-Za-z0-9._-]{1,64}$/;
export function isSafeToken(value: string): boolean {
  return TOKEN.test(value);
}

/** Prefix of task fields in the :data hash (`task:<step>`). */
export const TASK_FIELD_PREFIX = 'task:';

function parseJsonObject(raw: string | undefined): Record<string, unknown> | undefined {
  if (raw === undefined) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function parseEpoch(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d{1,16}$/.test(raw)) {
    return undefined;
  }
  return Number(raw);
}

function isCatalogItem(value: string | undefined): value is CatalogItemKey {
  return value !== undefined && (CATALOG_ITEM_KEYS as readonly string[]).includes(value);
}

function parseLastError(raw: string | undefined): LedgerError | undefined {
  const value = parseJsonObject(raw);
  if (
    value &&
    typeof value.code === 'string' &&
    typeof value.message === 'string' &&
    typeof value.retryable === 'boolean' &&
    typeof value.at === 'number'
  ) {
    return { code: value.code, message: value.message, retryable: value.retryable, at: value.at };
  }
  return undefined;
}

/**
 * The main hash and the :data hash → summary; undefined when the main hash is empty or its
 * identity fields are broken (an entry that expired, or a foreign key).
 */
export function decodeSummary(
  requestId: string,
  hash: Record<string, string>,
  data: Record<string, string>,
): LedgerSummary | undefined {
  const state = hash.state;
  const item = hash.item;
  const createdAt = parseEpoch(hash.createdAt);
  const updatedAt = parseEpoch(hash.updatedAt);
  if (
    hash.ritmSysId === undefined ||
    hash.number === undefined ||
    !isCatalogItem(item) ||
    state === undefined ||
    !isRequestState(state) ||
    createdAt === undefined ||
    updatedAt === undefined
  ) {
    return undefined;
  }
  const summary: { -readonly [K in keyof LedgerSummary]: LedgerSummary[K] } = {
    requestId,
    ritmSysId: hash.ritmSysId,
    number: hash.number,
    item,
    state,
    step: hash.step ?? 'intake',
    createdAt,
    updatedAt,
    jobIds: data.jobIds ? data.jobIds.split(',') : [],
    cancelRequested: hash.cancelRequested === '1',
  };
  if (hash.tenant !== undefined) {
    summary.tenant = hash.tenant;
  }
  const lastError = parseLastError(data.lastError);
  if (lastError) {
    summary.lastError = lastError;
  }
  for (const field of ['approval', 'window', 'result'] as const) {
    const value = parseJsonObject(data[field]);
    if (value) {
      summary[field] = value;
    }
  }
  if (hash.ticketState !== undefined) {
    summary.ticketState = hash.ticketState;
  }
  return summary;
}

export function decodeTask(raw: string): LedgerTask | undefined {
  const value = parseJsonObject(raw);
  if (
    !value ||
    typeof value.guid !== 'string' ||
    typeof value.type !== 'string' ||
    typeof value.state !== 'string' ||
    typeof value.createdAt !== 'number'
  ) {
    return undefined;
  }
  const task: Record<string, string | number | boolean> = {};
  for (const [key, field] of Object.entries(value)) {
    if (typeof field === 'string' || typeof field === 'number' || typeof field === 'boolean') {
      task[key] = field;
    }
  }
  return task as LedgerTask;
}

/** The tasks held in the :data hash, by step. */
export function decodeTasks(data: Record<string, string>): Record<string, LedgerTask> {
  const tasks: Record<string, LedgerTask> = {};
  for (const [field, raw] of Object.entries(data)) {
    if (field.startsWith(TASK_FIELD_PREFIX)) {
      const task = decodeTask(raw);
      if (task) {
        tasks[field.slice(TASK_FIELD_PREFIX.length)] = task;
      }
    }
  }
  return tasks;
}

/** Only flat scalar fields are stored (see LedgerTask); anything else is a caller bug. */
export function encodeTaskFields(fields: Readonly<Record<string, unknown>>, allowNull: boolean): string {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) {
      continue;
    }
    if (value === null && allowNull) {
      out[key] = null;
    } else if (typeof value === 'string' || typeof value === 'boolean') {
      out[key] = value;
    } else if (typeof value === 'number' && Number.isFinite(value)) {
      out[key] = value;
    } else {
      throw new TypeError(`task field ${key} must be a string, a finite number or a boolean`);
    }
  }
  return JSON.stringify(out);
}

/**
 * Timeline lines are stored as JSON arrays `[at, type, message, data?]`: the same content as the
 * event object without repeating its key names on every line (a third of a typical line).
 */
export function encodeEvent(at: number, event: LedgerEventInput): string {
  return JSON.stringify(
    event.data === undefined ? [at, event.type, event.message] : [at, event.type, event.message, event.data],
  );
}

export function decodeEvent(raw: string): LedgerEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) {
    return undefined;
  }
  const [at, type, message, data] = value as unknown[];
  if (typeof at !== 'number' || typeof type !== 'string' || typeof message !== 'string') {
    return undefined;
  }
  return typeof data === 'object' && data !== null && !Array.isArray(data)
    ? { at, type, message, data: data as Record<string, unknown> }
    : { at, type, message };
}

function json(value: object | null): string | null {
  return value === null ? null : JSON.stringify(value);
}

/**
 * How each patch field is stored; `null` means "delete the field". A mapped type, so a field added
 * to LedgerPatch does not compile until it says how it is stored.
 */
const PATCH_ENCODERS: {
  [K in keyof LedgerPatch]-?: (value: Exclude<LedgerPatch[K], undefined>) => string | null;
} = {
  state: (value) => value,
  step: (value) => value,
  tenant: (value) => value,
  cancelRequested: (value) => (value ? '1' : '0'),
  ticketState: (value) => value,
  lastError: json,
  approval: json,
  window: json,
  result: json,
};

/** A patch → fields to set and fields to delete (the update script routes them to their hash). */
export function encodePatch(patch: LedgerPatch): { set: Array<[string, string]>; del: string[] } {
  const set: Array<[string, string]> = [];
  const del: string[] = [];
  for (const key of Object.keys(PATCH_ENCODERS) as Array<keyof LedgerPatch>) {
    const value = patch[key];
    if (value === undefined) {
      continue;
    }
    const encoded = (PATCH_ENCODERS[key] as (v: unknown) => string | null)(value);
    if (encoded === null) {
      del.push(key);
    } else {
      set.push([key, encoded]);
    }
  }
  return { set, del };
}

/** Cursor = the last member a page examined: its score (updatedAt) and id. Opaque to callers. */
export interface ListCursor {
  readonly score: number;
  readonly requestId: string;
}

export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(`${cursor.score}:${cursor.requestId}`, 'utf8').toString('base64url');
}

export function decodeCursor(raw: string): ListCursor | undefined {
  const text = Buffer.from(raw, 'base64url').toString('utf8');
  const match = /^(\d{1,16}):(r-[0-9a-f]{32})$/.exec(text);
  if (!match) {
    return undefined;
  }
  return { score: Number(match[1]), requestId: match[2]! };
}
