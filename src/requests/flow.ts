/**
 * The shapes shared by the request runner and the item flows: what a step decides (wait, or finish
 * with a terminal outcome), what a flow gets to work with, and what an item's flow provides. Kept
 * apart from the runner so the runner's stages and the items depend on these types, not on each
 * other.
 */
import type { Job } from 'bullmq';
import type { RequestItem } from '../clients/servicenow';
import type { TenantConfig } from '../config';
import type { CatalogItemKey, ItemVariables } from '../items/definitions';
import type { LedgerEntry, LedgerEventInput, RequestState } from '../ledger';
import type { Logger } from '../logger';
import type { TicketUpdateContent } from '../ticket-updates/outbox';
import type { RequestDeps } from './deps';
import { instanceNotFound } from './wording';

/**
 * The run's hold on its job: BullMQ's lock key of the job and this run's token. A run that lost it
 * (frozen past the lock, its Redis link too slow to renew it) must not create anything in Storware:
 * another worker has the job now. Absent when the run holds no lock (a test calling a flow directly).
 */
export interface RunOwner {
  readonly jobLockKey: string;
  readonly token: string;
}

/** This run no longer owns its job (see RunOwner): it stops without writing anything. */
export class RunSupersededError extends Error {
  constructor(requestId: string, what: string) {
    super(`run of ${requestId} lost its job lock before ${what}; another worker has the job`);
    this.name = 'RunSupersededError';
  }
}

/** Queues a ticket update for the request; with `once`, at most once per request and key. */
export type TicketSink = (content: TicketUpdateContent, once?: string) => Promise<void>;

export type TerminalKind = 'succeeded' | 'failed' | 'rejected' | 'cancelled' | 'expired';

export interface Terminal {
  readonly kind: TerminalKind;
  /** For the requester (customer-visible comment). Omit to leave the requester's view alone. */
  readonly comment?: string;
  /** For agents. */
  readonly workNote: string;
  /** Evidence on the closed ticket. */
  readonly closeNotes?: string;
  /** Stable code for failures (ledger lastError, metrics). */
  readonly code?: string;
  readonly result?: Readonly<Record<string, unknown>>;
  /** Leave the ticket's state alone (it was closed in ServiceNow already). */
  readonly keepTicketState?: boolean;
  /** The ticket says all of this already (an outcome read back from it): write nothing to it. */
  readonly ticketUpToDate?: boolean;
}

export type StepResult =
  | {
      readonly kind: 'wait';
      readonly until: number;
      readonly state: RequestState;
      readonly event?: LedgerEventInput;
    }
  | { readonly kind: 'finish'; readonly terminal: Terminal };

export interface ApprovalSubject {
  /** Hash of exactly what will run; the approval is bound to it. */
  readonly hash: string;
  /** The packet posted for approvers. */
  readonly packet: string;
}

export interface ItemContext<K extends CatalogItemKey> {
  readonly deps: RequestDeps;
  readonly job: Job;
  readonly entry: LedgerEntry;
  readonly ritm: RequestItem;
  readonly variables: ItemVariables[K];
  readonly tenant: TenantConfig;
  readonly log: Logger;
  /** Who holds the job; checked right before every Storware create (src/requests/tasks.ts). */
  readonly owner: RunOwner | undefined;
  /** Re-reads the ledger entry (after this run recorded something). */
  reload(): Promise<LedgerEntry>;
  /** Queues a ticket update; with `once`, at most once per request. */
  readonly ticket: TicketSink;
  event(type: string, message: string, data?: Record<string, unknown>): Promise<void>;
}

export interface ItemFlow<K extends CatalogItemKey> {
  readonly item: K;
  /** What an approver approves (only asked when approval is required). A Terminal ends the request. */
  approvalSubject(ctx: ItemContext<K>): Promise<ApprovalSubject | Terminal>;
  /** True once the flow started Storware work: approval and window are then settled for good. */
  started(entry: LedgerEntry): boolean;
  /** Whether the item honours time windows (requested and maintenance); policy assignment does not. */
  readonly timeWindow: boolean;
  run(ctx: ItemContext<K>): Promise<StepResult>;
}

export function isTerminal(value: ApprovalSubject | Terminal): value is Terminal {
  return 'kind' in value;
}

export function finish(terminal: Terminal): StepResult {
  return { kind: 'finish', terminal };
}

/** The tenant guard's refusal: the same for a foreign instance and an unmapped tenant. */
export function notFoundTerminal(instanceId: string): Terminal {
  return {
    kind: 'failed',
    code: 'instance_not_found',
    comment: instanceNotFound(instanceId),
    workNote: `Refused: instance ${instanceId} is not in the requester's OpenStack project (or the requester's company has no project mapping).`,
  };
}

export function notFoundInProject(instanceId: string): StepResult {
  return finish(notFoundTerminal(instanceId));
}
