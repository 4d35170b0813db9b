/**
 * The request ledger's public shapes: one entry per RITM, read by agents (status API), ops,
 * workers and the reconciler. Kept here, apart from the Redis code, so callers and the OpenAPI
 * schema (`LedgerEntry` in spec/ledger.schemas.yaml) have one place to agree with.
 */
import type { CatalogItemKey } from '../items/definitions';

export const REQUEST_STATES = [
  'received',
  'queued',
  'waiting_approval',
  'waiting_window',
  'waiting_inventory',
  'running',
  'succeeded',
  'failed',
  'rejected',
  'cancelled',
  'expired',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** States a request never leaves: the ticket is closed, the ledger entry starts its retention. */
export const TERMINAL_STATES = ['succeeded', 'failed', 'rejected', 'cancelled', 'expired'] as const;
export type TerminalState = (typeof TERMINAL_STATES)[number];

export function isRequestState(value: string): value is RequestState {
  return (REQUEST_STATES as readonly string[]).includes(value);
}

export function isTerminalState(state: RequestState): state is TerminalState {
  return (TERMINAL_STATES as readonly string[]).includes(state);
}

/** One line of the timeline: what happened, in words an agent can read. */
export interface LedgerEvent {
  /** Epoch ms. */
  readonly at: number;
  /** Stable, dotted (`request.received`, `task.created`, `ticket.updated`). */
  readonly type: string;
  readonly message: string;
  /** Small, secret-free facts (ids, states); never the request's variables. */
  readonly data?: Readonly<Record<string, unknown>>;
}

export type LedgerEventInput = Omit<LedgerEvent, 'at'>;

/**
 * A Storware task the request created for one step. Fields are flat scalars on purpose: task
 * patches are merged inside Redis (Lua cjson), where nested objects and empty arrays do not
 * round-trip faithfully.
 */
export interface LedgerTask {
  readonly guid: string;
  /** Storware task type (`EXPORT`, `RESTORE_AND_IMPORT`, `INVENTORY_SYNC`, …). */
  readonly type: string;
  /** Storware task state (`QUEUED`, `RUNNING`, `FINISHED`, `FAILED`, `CANCELLED`, …). */
  readonly state: string;
  readonly progress?: number;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly updatedAt?: number;
  readonly endedAt?: number;
  readonly message?: string;
  readonly [extra: string]: string | number | boolean | undefined;
}

/** Fields to merge into a recorded task; `guid` is refused (the first writer's guid is final). */
export interface LedgerTaskPatch {
  readonly type?: string;
  readonly state?: string;
  readonly progress?: number;
  readonly updatedAt?: number;
  readonly endedAt?: number;
  readonly message?: string;
  readonly [extra: string]: string | number | boolean | undefined;
}

export interface LedgerError {
  readonly code: string;
  /** Safe to show an agent: no secrets, no stack. */
  readonly message: string;
  readonly retryable: boolean;
  /** Epoch ms. */
  readonly at: number;
}

export interface LedgerEntry {
  readonly requestId: string;
  readonly ritmSysId: string;
  readonly number: string;
  readonly item: CatalogItemKey;
  /** Tenant id from config, set once the worker has resolved the requester's company. */
  readonly tenant?: string;
  readonly state: RequestState;
  /** The step the request is in or last finished (`intake`, `hydrate`, `guard`, `execute`, `poll`, …). */
  readonly step: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly jobIds: readonly string[];
  /** Step → task; at most one task per step. */
  readonly tasks: Readonly<Record<string, LedgerTask>>;
  /** Oldest first, the most recent ~200 events. */
  readonly timeline: readonly LedgerEvent[];
  readonly lastError?: LedgerError;
  readonly cancelRequested: boolean;
  /** Filled by the approval step (who, when, what the approval is bound to). */
  readonly approval?: Readonly<Record<string, unknown>>;
  /** Filled by the window step (the window chosen, when the job wakes). */
  readonly window?: Readonly<Record<string, unknown>>;
  /** ServiceNow `state` the connector last wrote on the ticket (2, 3, 4 as text). */
  readonly ticketState?: string;
  /** Evidence of the outcome (backup point, sizes, durations) for close notes and agents. */
  readonly result?: Readonly<Record<string, unknown>>;
}

/** What `list` returns per entry: everything but the timeline and the tasks. */
export type LedgerSummary = Omit<LedgerEntry, 'timeline' | 'tasks'>;

/**
 * Fields `update` may set. `null` removes an optional field (a retried step clears `lastError`).
 * `ritmSysId`, `number`, `item`, `createdAt` never change after creation.
 */
export interface LedgerPatch {
  readonly state?: RequestState;
  readonly step?: string;
  readonly tenant?: string;
  readonly lastError?: LedgerError | null;
  readonly approval?: Readonly<Record<string, unknown>> | null;
  readonly window?: Readonly<Record<string, unknown>> | null;
  readonly cancelRequested?: boolean;
  readonly ticketState?: string | null;
  readonly result?: Readonly<Record<string, unknown>> | null;
}

export interface UpdateOptions {
  /** Write only when the entry is in one of these states (compare-and-set); otherwise nothing. */
  readonly onlyIfState?: readonly RequestState[];
}

export interface ListQuery {
  readonly state?: RequestState;
  readonly tenant?: string;
  readonly item?: CatalogItemKey;
  /** Only entries updated at or after this epoch ms. */
  readonly since?: number;
  /** 1–200. */
  readonly limit: number;
  /** Opaque, from a previous page's `nextCursor`. */
  readonly cursor?: string;
}

export interface LedgerPage {
  /** Most recently updated first. */
  readonly items: readonly LedgerSummary[];
  /** Present when more entries may follow; pass it back as `cursor`. */
  readonly nextCursor?: string;
}

export interface CreateOrGetInput {
  readonly ritmSysId: string;
  readonly number: string;
  readonly item: CatalogItemKey;
  /** Appended to the timeline only when this call creates the entry. */
  readonly receivedEvent: LedgerEventInput;
}

export interface Ledger {
  /** One requestId per RITM: the first caller creates the entry, everyone else gets it. Atomic. */
  createOrGet(input: CreateOrGetInput): Promise<{ entry: LedgerEntry; created: boolean }>;
  get(requestId: string): Promise<LedgerEntry | undefined>;
  getByRitm(ritmSysId: string): Promise<LedgerEntry | undefined>;
  getByNumber(number: string): Promise<LedgerEntry | undefined>;
  /** The state only, for cheap answers (one HGET). */
  getState(requestId: string): Promise<RequestState | undefined>;
  /**
   * Sets fields and appends an event in one atomic step. Returns false, writing nothing, when the
   * entry is gone, when `onlyIfState` does not hold, or when the patch sets a state on a terminal
   * entry (the first terminal write wins, its result included). Patches without `state` are applied
   * to terminal entries too (ticket state, notes written after closing).
   */
  update(
    requestId: string,
    patch: LedgerPatch,
    event?: LedgerEventInput,
    options?: UpdateOptions,
  ): Promise<boolean>;
  /** Returns false when the entry is gone. */
  appendEvent(requestId: string, event: LedgerEventInput): Promise<boolean>;
  /**
   * Records the task of a step unless one is recorded already: the first writer wins, and every
   * caller learns the task that won (compare its guid with yours). Throws NotFoundError when the
   * entry is gone.
   */
  recordTask(
    requestId: string,
    step: string,
    task: LedgerTask,
  ): Promise<{ recorded: boolean; task: LedgerTask }>;
  /** Merges fields into the step's task (never its guid). Returns false when there is no such task. */
  updateTask(requestId: string, step: string, patch: LedgerTaskPatch): Promise<boolean>;
  /** Idempotent. Returns false when the entry is gone. */
  addJobId(requestId: string, jobId: string): Promise<boolean>;
  list(query: ListQuery): Promise<LedgerPage>;
  /** Requests not in a terminal state, oldest first (the reconciler's work list). */
  openRequestIds(limit?: number): Promise<string[]>;
  /** Drops index members whose entry has expired. Returns how many were removed. */
  prune(): Promise<number>;
}
