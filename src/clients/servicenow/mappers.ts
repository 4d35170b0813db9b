/**
 * Raw Table API records (types generated from spec/servicenow.openapi.yaml) → domain objects.
 * Each mapper names the fields it needs in a `*_FIELDS` list, which the client sends as
 * `sysparm_fields`, so what is asked for and what is read cannot drift apart.
 */
import type { components } from '../../../spec/generated/servicenow';
import { malformedAnswer, type CallContext } from './errors';
import type { Approval, Company, JournalEntry, RequestItem, User } from './types';
import { isSysId, parseDateTime, readBoolean, readInteger, readReference, readString } from './wire';

type Schemas = components['schemas'];
/** Raw record shapes, generated from spec/servicenow.openapi.yaml. */
export type RawRequestItem = Schemas['ScReqItem'];
export type RawVariableRow = Schemas['ScItemOptionMtomVariable'];
export type RawApproval = Schemas['SysapprovalApprover'];
export type RawUser = Schemas['SysUser'];
export type RawCompany = Schemas['CoreCompany'];
export type RawJournalEntry = Schemas['SysJournalField'];

/** `sysparm_fields` for RITM reads and writes; exactly what {@link toRequestItem} reads. */
export const REQUEST_ITEM_FIELDS = [
  'sys_id',
  'number',
  'state',
  'approval',
  'stage',
  'active',
  'cat_item',
  'request',
  'requested_for',
  'opened_by',
  'company',
  'short_description',
  'correlation_id',
  'correlation_display',
  'close_notes',
  'opened_at',
  'closed_at',
  'sys_updated_on',
  'sys_mod_count',
] as const satisfies ReadonlyArray<keyof RawRequestItem>;

/** `sysparm_fields` for variable answers, dot-walked through `sc_item_option` (docs/servicenow.md §2). */
export const VARIABLE_FIELDS = [
  'sc_item_option.item_option_new.name',
  'sc_item_option.value',
] as const satisfies ReadonlyArray<keyof RawVariableRow>;

/** `sysparm_fields` for approver rows. */
export const APPROVAL_FIELDS = [
  'sys_id',
  'approver',
  'state',
  'sys_updated_on',
] as const satisfies ReadonlyArray<keyof RawApproval>;

/** `sysparm_fields` for users. */
export const USER_FIELDS = [
  'sys_id',
  'user_name',
  'name',
  'email',
  'active',
  'company',
] as const satisfies ReadonlyArray<keyof RawUser>;

/** `sysparm_fields` for companies. */
export const COMPANY_FIELDS = ['sys_id', 'name'] as const satisfies ReadonlyArray<keyof RawCompany>;

/** `sysparm_fields` for journal entries. */
export const JOURNAL_FIELDS = [
  'sys_id',
  'element',
  'element_id',
  'name',
  'value',
  'sys_created_on',
  'sys_created_by',
] as const satisfies ReadonlyArray<keyof RawJournalEntry>;

function sysIdOf(ctx: CallContext, raw: { sys_id?: unknown }, what: string): string {
  const sysId = readString(raw.sys_id);
  if (!isSysId(sysId)) {
    throw malformedAnswer(ctx, `${what} without a valid sys_id`);
  }
  return sysId;
}

/** A raw RITM → {@link RequestItem}; a RITM without sys_id, state or sys_updated_on is a malformed answer. */
export function toRequestItem(ctx: CallContext, raw: RawRequestItem): RequestItem {
  const updatedOn = parseDateTime(raw.sys_updated_on);
  const state = readInteger(raw.state, Number.NaN);
  if (updatedOn === undefined || Number.isNaN(state)) {
    throw malformedAnswer(ctx, 'a RITM without a readable state or sys_updated_on');
  }
  return {
    sysId: sysIdOf(ctx, raw, 'a RITM'),
    number: readString(raw.number),
    state,
    approval: readString(raw.approval),
    stage: readString(raw.stage),
    active: readBoolean(raw.active),
    catItem: readReference(raw.cat_item),
    request: readReference(raw.request),
    requestedFor: readReference(raw.requested_for),
    openedBy: readReference(raw.opened_by),
    company: readReference(raw.company),
    shortDescription: readString(raw.short_description),
    correlationId: readString(raw.correlation_id),
    correlationDisplay: readString(raw.correlation_display),
    closeNotes: readString(raw.close_notes),
    openedAt: parseDateTime(raw.opened_at),
    closedAt: parseDateTime(raw.closed_at),
    updatedOn,
    modCount: readInteger(raw.sys_mod_count, 0),
  };
}

/** Answers keyed by variable name; rows without a name (deleted questions) are skipped. */
export function toVariables(rows: readonly RawVariableRow[]): Record<string, string> {
  const entries: Array<[string, string]> = [];
  for (const row of rows) {
    const name = readString(row['sc_item_option.item_option_new.name']);
    if (name !== '') {
      entries.push([name, readString(row['sc_item_option.value'])]);
    }
  }
  // fromEntries defines own properties, so a variable named "__proto__" cannot touch the prototype.
  return Object.fromEntries(entries);
}

/** A raw approver row plus its comments (already read from the journal) → {@link Approval}. */
export function toApproval(ctx: CallContext, raw: RawApproval, comments: readonly string[]): Approval {
  return {
    sysId: sysIdOf(ctx, raw, 'an approval'),
    approver: readReference(raw.approver),
    state: readString(raw.state),
    comments,
    updatedOn: parseDateTime(raw.sys_updated_on) ?? 0,
  };
}

/** A raw user → {@link User}. */
export function toUser(ctx: CallContext, raw: RawUser): User {
  return {
    sysId: sysIdOf(ctx, raw, 'a user'),
    userName: readString(raw.user_name),
    name: readString(raw.name),
    email: readString(raw.email),
    active: readBoolean(raw.active),
    company: readReference(raw.company),
  };
}

/** A raw company → {@link Company}. */
export function toCompany(ctx: CallContext, raw: RawCompany): Company {
  return { sysId: sysIdOf(ctx, raw, 'a company'), name: readString(raw.name) };
}

/** A raw `sys_journal_field` row → {@link JournalEntry}. */
export function toJournalEntry(ctx: CallContext, raw: RawJournalEntry): JournalEntry {
  return {
    sysId: sysIdOf(ctx, raw, 'a journal entry'),
    element: readString(raw.element),
    elementId: readString(raw.element_id),
    table: readString(raw.name),
    value: readString(raw.value),
    createdOn: parseDateTime(raw.sys_created_on) ?? 0,
    createdBy: readString(raw.sys_created_by),
  };
}
