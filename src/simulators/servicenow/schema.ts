/**
 * The tables the simulator keeps, with the field types that decide how a value is written, queried
 * and rendered (docs/servicenow.md §1 value shapes, §2 catalog tables and choice values, §5 journals).
 * Anything not listed here does not exist: unknown fields are ignored in `sysparm_fields`, writes
 * and queries, as ServiceNow does.
 */

export type FieldType = 'string' | 'integer' | 'boolean' | 'datetime' | 'reference' | 'journal' | 'choice';

export interface FieldDef {
  readonly type: FieldType;
  /** Target table of a reference. */
  readonly reference?: TableName;
  /** Choice value → label, used for display values. */
  readonly choices?: Readonly<Record<string, string>>;
  /** Label of a journal field in its display value ("Work notes"). */
  readonly label?: string;
}

export const TABLE_NAMES = [
  'sc_request',
  'sc_req_item',
  'sc_cat_item',
  'item_option_new',
  'sc_item_option',
  'sc_item_option_mtom',
  'sysapproval_approver',
  'sys_user',
  'core_company',
  'sys_journal_field',
] as const;
export type TableName = (typeof TABLE_NAMES)[number];

export interface TableDef {
  readonly fields: Readonly<Record<string, FieldDef>>;
  /** Field shown as a reference's display value. */
  readonly display: string;
  /** Prefix of the generated `number` (REQ, RITM): 7 digits follow (docs/servicenow.md §7). */
  readonly numberPrefix?: string;
}

export function isTableName(value: string): value is TableName {
  return (TABLE_NAMES as readonly string[]).includes(value);
}

const str: FieldDef = { type: 'string' };
const int: FieldDef = { type: 'integer' };
const bool: FieldDef = { type: 'boolean' };
const date: FieldDef = { type: 'datetime' };
const ref = (table: TableName): FieldDef => ({ type: 'reference', reference: table });

const SYSTEM_FIELDS: Record<string, FieldDef> = {
  sys_id: str,
  sys_created_on: date,
  sys_created_by: str,
  sys_updated_on: date,
  sys_updated_by: str,
  sys_mod_count: int,
};

/** Task states (docs/servicenow.md §2 table). */
export const STATE_LABELS: Readonly<Record<string, string>> = {
  '-5': 'Pending',
  '1': 'Open',
  '2': 'Work in Progress',
  '3': 'Closed Complete',
  '4': 'Closed Incomplete',
  '7': 'Closed Skipped',
};

/** States after which a task is inactive (docs/servicenow.md §2: 3, 4, 7). */
export const CLOSED_STATES: ReadonlySet<string> = new Set(['3', '4', '7']);

/** Approval values (docs/servicenow.md §2); labels are the platform's usual ones [I]. */
export const APPROVAL_LABELS: Readonly<Record<string, string>> = {
  'not requested': 'Not Yet Requested',
  requested: 'Requested',
  approved: 'Approved',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  not_required: 'No Longer Required',
  skipped: 'Skipped',
};

const STAGE_LABELS: Readonly<Record<string, string>> = {
  waiting_for_approval: 'Waiting for Approval',
  request_approved: 'Request Approved',
  fulfillment: 'Fulfillment',
  delivery: 'Delivery',
  complete: 'Completed',
  request_cancelled: 'Request Cancelled',
};

const TASK_FIELDS: Record<string, FieldDef> = {
  number: str,
  state: { type: 'choice', choices: STATE_LABELS },
  active: bool,
  approval: { type: 'choice', choices: APPROVAL_LABELS },
  opened_at: date,
  opened_by: ref('sys_user'),
  closed_at: date,
  closed_by: ref('sys_user'),
  short_description: str,
  description: str,
  company: ref('core_company'),
  assigned_to: ref('sys_user'),
  correlation_id: str,
  correlation_display: str,
  work_notes: { type: 'journal', label: 'Work notes' },
  comments: { type: 'journal', label: 'Additional comments' },
  close_notes: str,
  due_date: date,
};

export const SCHEMA: Readonly<Record<TableName, TableDef>> = {
  sc_request: {
    display: 'number',
    numberPrefix: 'REQ',
    fields: { ...SYSTEM_FIELDS, ...TASK_FIELDS, requested_for: ref('sys_user'), request_state: str },
  },
  sc_req_item: {
    display: 'number',
    numberPrefix: 'RITM',
    fields: {
      ...SYSTEM_FIELDS,
      ...TASK_FIELDS,
      request: ref('sc_request'),
      cat_item: ref('sc_cat_item'),
      requested_for: ref('sys_user'),
      stage: { type: 'choice', choices: STAGE_LABELS },
      quantity: int,
      price: str,
    },
  },
  sc_cat_item: {
    display: 'name',
    fields: {
      ...SYSTEM_FIELDS,
      name: str,
      short_description: str,
      description: str,
      category: str,
      active: bool,
      order: int,
    },
  },
  item_option_new: {
    display: 'question_text',
    fields: {
      ...SYSTEM_FIELDS,
      name: str,
      question_text: str,
      type: int,
      cat_item: ref('sc_cat_item'),
      order: int,
      mandatory: bool,
      default_value: str,
      active: bool,
    },
  },
  sc_item_option: {
    display: 'value',
    fields: { ...SYSTEM_FIELDS, item_option_new: ref('item_option_new'), value: str, order: int },
  },
  sc_item_option_mtom: {
    display: 'sys_id',
    fields: { ...SYSTEM_FIELDS, request_item: ref('sc_req_item'), sc_item_option: ref('sc_item_option') },
  },
  sysapproval_approver: {
    display: 'sys_id',
    fields: {
      ...SYSTEM_FIELDS,
      approver: ref('sys_user'),
      // On a real instance `sysapproval` points at `task`; every approval here is on a RITM.
      sysapproval: ref('sc_req_item'),
      document_id: str,
      source_table: str,
      state: { type: 'choice', choices: APPROVAL_LABELS },
      comments: { type: 'journal', label: 'Comments' },
      due_date: date,
    },
  },
  sys_user: {
    display: 'name',
    fields: {
      ...SYSTEM_FIELDS,
      user_name: str,
      name: str,
      first_name: str,
      last_name: str,
      email: str,
      active: bool,
      company: ref('core_company'),
      manager: ref('sys_user'),
    },
  },
  core_company: {
    display: 'name',
    fields: { ...SYSTEM_FIELDS, name: str, stock_symbol: str },
  },
  sys_journal_field: {
    display: 'value',
    fields: { ...SYSTEM_FIELDS, element: str, element_id: str, name: str, value: str },
  },
};

/**
 * The definition of a field path (`requested_for.company.name`): every segment but the last must be
 * a reference. Undefined for anything unknown: callers ignore such fields, as ServiceNow does.
 */
export function fieldAt(
  table: TableName,
  path: readonly string[],
): { def: FieldDef; table: TableName } | undefined {
  let current: TableName = table;
  for (let i = 0; i < path.length; i += 1) {
    const name = path[i]!;
    const def = Object.prototype.hasOwnProperty.call(SCHEMA[current].fields, name)
      ? SCHEMA[current].fields[name]
      : undefined;
    if (def === undefined) {
      return undefined;
    }
    if (i === path.length - 1) {
      return { def, table: current };
    }
    if (def.type !== 'reference' || def.reference === undefined) {
      return undefined;
    }
    current = def.reference;
  }
  return undefined;
}
