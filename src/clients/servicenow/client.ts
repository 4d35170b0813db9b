/**
 * The connector's ServiceNow client: one typed function per remote operation, returning domain
 * objects (types.ts). Reads always ask for raw values (`sysparm_display_value=false`) and exactly
 * the fields the mappers use. Retries are not done here: a retryable UpstreamError goes back to
 * the job, whose backoff (or `retryAfterSeconds`) decides when to try again (docs/conventions.md §3).
 */
import type { ServiceNowAuth } from '../../config';
import { UpstreamError, ValidationError } from '../../errors';
import type { Logger } from '../../logger';
import { createAuthenticator } from './auth';
import { malformedAnswer, type CallContext } from './errors';
import { createTransport } from './http';
import {
  APPROVAL_FIELDS,
  COMPANY_FIELDS,
  JOURNAL_FIELDS,
  REQUEST_ITEM_FIELDS,
  USER_FIELDS,
  VARIABLE_FIELDS,
  toApproval,
  toCompany,
  toJournalEntry,
  toRequestItem,
  toUser,
  toVariables,
  type RawApproval,
  type RawCompany,
  type RawJournalEntry,
  type RawRequestItem,
  type RawUser,
  type RawVariableRow,
} from './mappers';
import { createTableApi, isNotFound, type TableCall } from './table-api';
import {
  RITM_STATE,
  type Approval,
  type Company,
  type JournalEntry,
  type ListRequestItemsQuery,
  type RequestItem,
  type RequestItemPage,
  type RequestItemPatch,
  type User,
} from './types';
import { formatDateTime, isRitmNumber, isSysId, readString, requireSysId } from './wire';

export interface ServiceNowClientOptions {
  /** Instance URL, e.g. `https://acme.service-now.com` (no trailing path needed). */
  readonly baseUrl: string;
  readonly auth: ServiceNowAuth;
  /** Per HTTP call, token requests included. */
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Clock for token expiry and Retry-After dates; tests share it with the simulator. */
  readonly now?: () => number;
}

export interface ServiceNowClient {
  /**
   * Reads one RITM by sys_id or by number (`RITM0010001`).
   * @returns undefined when there is no such RITM, or an ACL hides it (ServiceNow does not say which).
   * @throws ValidationError when the argument is neither a sys_id nor a RITM number.
   * @throws UpstreamError for every failed call (see errors.ts for retryability).
   */
  getRequestItem(sysIdOrNumber: string): Promise<RequestItem | undefined>;

  /**
   * Pages through RITMs, oldest update first; the reconciler's sweep. An empty `catItems` list
   * matches nothing (no call is made: ServiceNow would silently drop an empty `IN` and match all).
   * @throws ValidationError for a bad sys_id in `catItems`, a bad `query`, limit or offset.
   */
  listRequestItems(query?: ListRequestItemsQuery): Promise<RequestItemPage>;

  /**
   * The variable answers of a RITM, name → value as stored (strings; references hold sys_ids),
   * read through `sc_item_option_mtom` with dot-walked fields (docs/servicenow.md §2 "RITM variables").
   */
  getRequestItemVariables(ritmSysId: string): Promise<Record<string, string>>;

  /**
   * The `sysapproval_approver` rows of a RITM, oldest first, each with its approver's comments
   * from `sys_journal_field` (the `comments` field itself reads back empty, docs/servicenow.md §5).
   */
  listApprovals(ritmSysId: string): Promise<Approval[]>;

  /** A user with their company sys_id; undefined when missing or hidden by ACL. */
  getUser(sysId: string): Promise<User | undefined>;

  /** A company; undefined when missing or hidden by ACL. */
  getCompany(sysId: string): Promise<Company | undefined>;

  /**
   * PATCHes a RITM and returns it as stored afterwards. `work_notes` and `comments` append an
   * entry each; the returned item does not show them (read them with `listJournalEntries`).
   * @throws ValidationError for an empty patch, an unknown state or a correlation value over 100 characters.
   * @throws UpstreamError with status 404 and ServiceNow's message when the RITM does not exist.
   */
  updateRequestItem(sysId: string, patch: RequestItemPatch): Promise<RequestItem>;

  /**
   * Journal history of a record, oldest first (`sys_journal_field`, docs/servicenow.md §5).
   * @param element `work_notes` or `comments`; both when omitted.
   */
  listJournalEntries(elementId: string, element?: string): Promise<JournalEntry[]>;
}

const PAGE_SIZE = 1000;
const MAX_PAGES = 50;
const CORRELATION_MAX = 100;
const KNOWN_STATES: ReadonlySet<number> = new Set(Object.values(RITM_STATE));
const PATCH_KEYS = [
  'state',
  'work_notes',
  'comments',
  'correlation_id',
  'correlation_display',
  'close_notes',
] as const;

function fields(list: readonly string[]): string {
  return list.join(',');
}

function parseTotal(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

function invalid(path: string, message: string): ValidationError {
  return new ValidationError(`Invalid ServiceNow request: ${path} ${message}`, [{ path, message }]);
}

const CUSTOM_FIELD = /^(?:u_[a-z0-9_]{1,60}|x_[a-z0-9_]{1,80})$/;

function checkPatch(patch: RequestItemPatch): Record<string, string> {
  const body: Record<string, string> = {};
  for (const key of PATCH_KEYS) {
    const value = patch[key];
    if (value === undefined) {
      continue;
    }
    if (key === 'state') {
      if (!KNOWN_STATES.has(value as number)) {
        throw invalid('state', `must be one of ${[...KNOWN_STATES].join(', ')}`);
      }
      body.state = String(value);
      continue;
    }
    if (typeof value !== 'string') {
      throw invalid(key, 'must be a string');
    }
    if ((key === 'correlation_id' || key === 'correlation_display') && value.length > CORRELATION_MAX) {
      throw invalid(key, `must be at most ${CORRELATION_MAX} characters`);
    }
    body[key] = value;
  }
  for (const [name, value] of Object.entries(patch.custom ?? {})) {
    if (!CUSTOM_FIELD.test(name)) {
      throw invalid(`custom.${name}`, 'must be a custom field name (u_… or x_…)');
    }
    if (typeof value !== 'string') {
      throw invalid(`custom.${name}`, 'must be a string');
    }
    body[name] = value;
  }
  if (Object.keys(body).length === 0) {
    throw invalid('patch', 'must set at least one field');
  }
  return body;
}

/**
 * Builds a client. Nothing is called until the first operation; an OAuth token is fetched then.
 */
export function createServiceNowClient(options: ServiceNowClientOptions): ServiceNowClient {
  const now = options.now ?? Date.now;
  const transport = createTransport({
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    logger: options.logger,
  });
  const authenticator = createAuthenticator({ auth: options.auth, transport, now, logger: options.logger });
  const api = createTableApi({ transport, authenticator, now });

  function context(call: Pick<TableCall, 'operation' | 'method' | 'table'>): CallContext {
    return { operation: call.operation, method: call.method, table: call.table };
  }

  async function callOne<Raw>(call: TableCall): Promise<Raw> {
    const answer = await api.call<Raw>(call);
    if (answer.result === null || typeof answer.result !== 'object' || Array.isArray(answer.result)) {
      throw malformedAnswer(context(call), 'a result that is not a record');
    }
    return answer.result;
  }

  async function getOne<Raw>(call: TableCall): Promise<Raw | undefined> {
    try {
      return await callOne<Raw>(call);
    } catch (error) {
      if (isNotFound(error)) {
        return undefined;
      }
      throw error;
    }
  }

  async function listPage<Raw>(call: TableCall): Promise<{ rows: Raw[]; total: number | undefined }> {
    const answer = await api.call<Raw[]>(call);
    if (
      !Array.isArray(answer.result) ||
      answer.result.some((row) => row === null || typeof row !== 'object')
    ) {
      throw malformedAnswer(context(call), 'a list result that is not an array of records');
    }
    return { rows: answer.result, total: parseTotal(answer.headers['x-total-count']) };
  }

  /** Every row of a query, page by page; refuses to truncate silently. */
  async function listAll<Raw>(call: TableCall & { params: Record<string, string> }): Promise<Raw[]> {
    const rows: Raw[] = [];
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const { rows: batch, total } = await listPage<Raw>({
        ...call,
        params: { ...call.params, sysparm_limit: String(PAGE_SIZE), sysparm_offset: String(rows.length) },
      });
      rows.push(...batch);
      if (batch.length < PAGE_SIZE || (total !== undefined && rows.length >= total)) {
        return rows;
      }
    }
    throw new UpstreamError(
      'servicenow',
      `${call.operation} matched more than ${PAGE_SIZE * MAX_PAGES} rows`,
      {
        retryable: false,
        operation: call.operation,
      },
    );
  }

  async function journal(
    operation: string,
    elementIds: readonly string[],
    element: string | undefined,
  ): Promise<JournalEntry[]> {
    const call = { operation, method: 'GET', table: 'sys_journal_field' } as const;
    const terms = [
      elementIds.length === 1 ? `element_id=${elementIds[0]}` : `element_idIN${elementIds.join(',')}`,
      element === undefined ? 'element=work_notes^ORelement=comments' : `element=${element}`,
      'ORDERBYsys_created_on',
    ];
    const rows = await listAll<RawJournalEntry>({
      ...call,
      params: {
        sysparm_query: terms.join('^'),
        sysparm_fields: fields(JOURNAL_FIELDS),
        sysparm_display_value: 'false',
      },
    });
    return rows.map((row) => toJournalEntry(context(call), row));
  }

  return {
    async getRequestItem(sysIdOrNumber) {
      const params = { sysparm_fields: fields(REQUEST_ITEM_FIELDS), sysparm_display_value: 'false' };
      if (isSysId(sysIdOrNumber)) {
        const call = {
          operation: 'getRequestItem',
          method: 'GET',
          table: 'sc_req_item',
          sysId: sysIdOrNumber,
          params,
        } as const;
        const raw = await getOne<RawRequestItem>(call);
        return raw === undefined ? undefined : toRequestItem(context(call), raw);
      }
      if (!isRitmNumber(sysIdOrNumber)) {
        throw invalid(
          'sysIdOrNumber',
          'must be a sys_id (32 hex digits) or a RITM number such as RITM0010001',
        );
      }
      const call = {
        operation: 'getRequestItem',
        method: 'GET',
        table: 'sc_req_item',
        params: { ...params, sysparm_query: `number=${sysIdOrNumber}`, sysparm_limit: '1' },
      } as const;
      const { rows } = await listPage<RawRequestItem>(call);
      return rows[0] === undefined ? undefined : toRequestItem(context(call), rows[0]);
    },

    async listRequestItems(query = {}) {
      const limit = query.limit ?? 100;
      const offset = query.offset ?? 0;
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
        throw invalid('limit', 'must be a whole number from 1 to 10000');
      }
      if (!Number.isInteger(offset) || offset < 0) {
        throw invalid('offset', 'must be a whole number, 0 or more');
      }
      const terms: string[] = [];
      if (query.active !== undefined) {
        terms.push(`active=${query.active}`);
      }
      if (query.catItems !== undefined) {
        if (query.catItems.length === 0) {
          return { items: [], total: 0 };
        }
        terms.push(`cat_itemIN${query.catItems.map((id) => requireSysId(id, 'catItems')).join(',')}`);
      }
      if (query.updatedSince !== undefined) {
        if (!Number.isFinite(query.updatedSince)) {
          throw invalid('updatedSince', 'must be epoch milliseconds');
        }
        // `>=`: ServiceNow keeps seconds, so an update in the same second as the last sweep's
        // newest one must be seen again; the reconciler dedupes by sys_mod_count.
        terms.push(`sys_updated_on>=${formatDateTime(query.updatedSince)}`);
      }
      if (query.query !== undefined && query.query !== '') {
        if (!/^[\x20-\x7e]+$/.test(query.query)) {
          throw invalid('query', 'must be printable ASCII');
        }
        terms.push(query.query.replace(/^\^+|\^+$/g, ''));
      }
      terms.push('ORDERBYsys_updated_on', 'ORDERBYsys_id');
      const call = {
        operation: 'listRequestItems',
        method: 'GET',
        table: 'sc_req_item',
        params: {
          sysparm_query: terms.join('^'),
          sysparm_fields: fields(REQUEST_ITEM_FIELDS),
          sysparm_display_value: 'false',
          sysparm_limit: String(limit),
          sysparm_offset: String(offset),
        },
      } as const;
      const { rows, total } = await listPage<RawRequestItem>(call);
      return { items: rows.map((row) => toRequestItem(context(call), row)), total };
    },

    async getRequestItemVariables(ritmSysId) {
      const id = requireSysId(ritmSysId, 'ritmSysId');
      const rows = await listAll<RawVariableRow>({
        operation: 'getRequestItemVariables',
        method: 'GET',
        table: 'sc_item_option_mtom',
        params: {
          sysparm_query: `request_item=${id}^ORDERBYsc_item_option.order`,
          sysparm_fields: fields(VARIABLE_FIELDS),
          sysparm_display_value: 'false',
        },
      });
      return toVariables(rows);
    },

    async listApprovals(ritmSysId) {
      const id = requireSysId(ritmSysId, 'ritmSysId');
      const call = { operation: 'listApprovals', method: 'GET', table: 'sysapproval_approver' } as const;
      const rows = await listAll<RawApproval>({
        ...call,
        params: {
          sysparm_query: `sysapproval=${id}^ORDERBYsys_created_on`,
          sysparm_fields: fields(APPROVAL_FIELDS),
          sysparm_display_value: 'false',
        },
      });
      const ids = rows.map((row) => readString(row.sys_id)).filter(isSysId);
      const comments = ids.length === 0 ? [] : await journal('listApprovals', ids, 'comments');
      return rows.map((row) => {
        const sysId = readString(row.sys_id);
        const own = comments.filter((entry) => entry.elementId === sysId).map((entry) => entry.value);
        return toApproval(context(call), row, own);
      });
    },

    async getUser(sysId) {
      const call = {
        operation: 'getUser',
        method: 'GET',
        table: 'sys_user',
        sysId: requireSysId(sysId, 'sysId'),
        params: { sysparm_fields: fields(USER_FIELDS), sysparm_display_value: 'false' },
      } as const;
      const raw = await getOne<RawUser>(call);
      return raw === undefined ? undefined : toUser(context(call), raw);
    },

    async getCompany(sysId) {
      const call = {
        operation: 'getCompany',
        method: 'GET',
        table: 'core_company',
        sysId: requireSysId(sysId, 'sysId'),
        params: { sysparm_fields: fields(COMPANY_FIELDS), sysparm_display_value: 'false' },
      } as const;
      const raw = await getOne<RawCompany>(call);
      return raw === undefined ? undefined : toCompany(context(call), raw);
    },

    async updateRequestItem(sysId, patch) {
      const call = {
        operation: 'updateRequestItem',
        method: 'PATCH',
        table: 'sc_req_item',
        sysId: requireSysId(sysId, 'sysId'),
        params: { sysparm_fields: fields(REQUEST_ITEM_FIELDS), sysparm_display_value: 'false' },
        body: checkPatch(patch),
      } as const;
      return toRequestItem(context(call), await callOne<RawRequestItem>(call));
    },

    async listJournalEntries(elementId, element) {
      const id = requireSysId(elementId, 'elementId');
      if (element !== undefined && !/^[a-z][a-z0-9_]{0,79}$/.test(element)) {
        throw invalid('element', 'must be a field name such as work_notes or comments');
      }
      return journal('listJournalEntries', [id], element);
    },
  };
}
