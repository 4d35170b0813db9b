/**
 * The ServiceNow client's domain objects. The rest of the connector sees only these, never the
 * Table API's wire shapes (all strings, `{link,value}` references, `YYYY-MM-DD HH:MM:SS` dates), so a
 * change in the spec or the generated types stops at `src/clients/servicenow/`.
 */

/** `sc_req_item.state` values (docs/servicenow.md §2; choices can be customised per instance). */
export const RITM_STATE = {
  pending: -5,
  open: 1,
  workInProgress: 2,
  closedComplete: 3,
  closedIncomplete: 4,
  closedSkipped: 7,
} as const;
export type RitmState = (typeof RITM_STATE)[keyof typeof RITM_STATE];

/** States after which a RITM is inactive (docs/servicenow.md §2: TaskStateUtil's inactive states 3, 4, 7). */
export const CLOSED_RITM_STATES: readonly number[] = [
  RITM_STATE.closedComplete,
  RITM_STATE.closedIncomplete,
  RITM_STATE.closedSkipped,
];

/**
 * `approval` on a RITM and `state` on an approver row (docs/servicenow.md §2). Kept open (`string & {}`)
 * because instances add their own values; code compares against the known ones.
 */
export type ApprovalValue =
  | 'not requested'
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'cancelled'
  | 'not_required'
  | 'skipped'
  | (string & {});

/** One requested item (RITM), raw values converted to types. */
export interface RequestItem {
  readonly sysId: string;
  /** `RITM0010001`. */
  readonly number: string;
  /** `sc_req_item.state` as a number; see {@link RITM_STATE}. */
  readonly state: number;
  readonly approval: ApprovalValue;
  /** Flow/workflow stage; informative only (docs/servicenow.md §2: key logic on state + approval). */
  readonly stage: string;
  readonly active: boolean;
  /** sys_id of the `sc_cat_item`. */
  readonly catItem: string | undefined;
  /** sys_id of the parent `sc_request` (REQ…). */
  readonly request: string | undefined;
  readonly requestedFor: string | undefined;
  readonly openedBy: string | undefined;
  readonly company: string | undefined;
  readonly shortDescription: string;
  /** `""` when the connector has not claimed the ticket yet. */
  readonly correlationId: string;
  readonly correlationDisplay: string;
  readonly closeNotes: string;
  /** Epoch ms (UTC). */
  readonly openedAt: number | undefined;
  readonly closedAt: number | undefined;
  readonly updatedOn: number;
  /** `sys_mod_count`: bumps on every write, useful to spot a change between two reads. */
  readonly modCount: number;
}

/** The fields the connector writes on a RITM (docs/design.md "Ticket updates"). */
export interface RequestItemPatch {
  readonly state?: RitmState;
  /** Appends a work note (agents see it). */
  readonly work_notes?: string;
  /** Appends an additional comment (the requester sees it). */
  readonly comments?: string;
  /** At most 100 characters (docs/servicenow.md §5). */
  readonly correlation_id?: string;
  /** At most 100 characters (docs/servicenow.md §5). */
  readonly correlation_display?: string;
  readonly close_notes?: string;
  /**
   * Custom fields of the instance (`u_…`, `x_<vendor>_<app>_…`), e.g. the field an operator names
   * for the outcome when a flow owns the RITM's state. Names come from configuration only.
   */
  readonly custom?: Readonly<Record<string, string>>;
}

export interface ListRequestItemsQuery {
  /** Only RITMs updated at or after this instant (epoch ms); compared in UTC. */
  readonly updatedSince?: number;
  /** Only these catalog items (sc_cat_item sys_ids). */
  readonly catItems?: readonly string[];
  readonly active?: boolean;
  /**
   * Extra encoded-query terms joined with `^`, from the connector's own code (never from a
   * webhook or a user): printable ASCII only.
   */
  readonly query?: string;
  /** Page size, 1..10000; defaults to 100. */
  readonly limit?: number;
  readonly offset?: number;
}

export interface RequestItemPage {
  /** Oldest update first (`ORDERBYsys_updated_on`), so a reconciler can resume from the last one. */
  readonly items: readonly RequestItem[];
  /** `X-Total-Count`: matches before paging; undefined when the instance did not send it. */
  readonly total: number | undefined;
}

/** One `sysapproval_approver` row of a RITM. */
export interface Approval {
  readonly sysId: string;
  /** sys_id of the approving `sys_user`. */
  readonly approver: string | undefined;
  readonly state: ApprovalValue;
  /** The approver's comments on this approval, oldest first (from `sys_journal_field`). */
  readonly comments: readonly string[];
  readonly updatedOn: number;
}

export interface User {
  readonly sysId: string;
  readonly userName: string;
  readonly name: string;
  readonly email: string;
  readonly active: boolean;
  /** sys_id of the user's `core_company`: the tenant key (docs/servicenow.md §6). */
  readonly company: string | undefined;
}

export interface Company {
  readonly sysId: string;
  readonly name: string;
}

/** One entry of a journal field (`work_notes`, `comments`) from `sys_journal_field`. */
export interface JournalEntry {
  readonly sysId: string;
  /** `work_notes` or `comments`. */
  readonly element: string;
  /** sys_id of the record the entry belongs to. */
  readonly elementId: string;
  /** Table of that record. */
  readonly table: string;
  readonly value: string;
  /** Epoch ms (UTC); ServiceNow keeps seconds only. */
  readonly createdOn: number;
  /** `user_name` of the author. */
  readonly createdBy: string;
}
