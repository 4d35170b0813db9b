/**
 * One Table API call: build the path from a known table and a validated sys_id, authenticate,
 * retry once with fresh credentials after a 401 (OAuth only), and hand back the parsed `result`
 * or an UpstreamError (see errors.ts for which failures are retryable and why).
 */
import { UpstreamError } from '../../errors';
import type { Authenticator } from './auth';
import {
  failureFromResponse,
  malformedAnswer,
  unexpectedContent,
  type CallContext,
  type RawResponse,
} from './errors';
import type { Transport } from './http';
import { requireSysId } from './wire';

/** The tables this client reads or writes. A closed list: no table name comes from input. */
export type TableName =
  | 'sc_req_item'
  | 'sc_item_option_mtom'
  | 'sysapproval_approver'
  | 'sys_user'
  | 'core_company'
  | 'sys_journal_field';

/** One Table API request: a known table, an optional sys_id (validated before use), query and body. */
export interface TableCall {
  readonly operation: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  readonly table: TableName;
  readonly sysId?: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** The `result` member of a 2xx answer and the answer's headers (`x-total-count`, …). */
export interface TableAnswer<T> {
  readonly result: T;
  readonly headers: Readonly<Record<string, string>>;
}

export interface TableApi {
  /** Resolves with the `result` member; rejects with UpstreamError (or ValidationError for a bad sys_id). */
  call<T>(call: TableCall): Promise<TableAnswer<T>>;
}

/** Collaborators of the Table API caller. */
export interface TableApiOptions {
  readonly transport: Transport;
  readonly authenticator: Authenticator;
  readonly now: () => number;
}

function parseResult<T>(ctx: CallContext, response: RawResponse): TableAnswer<T> {
  if (!(response.headers['content-type'] ?? '').includes('json')) {
    throw unexpectedContent(ctx, response);
  }
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    throw unexpectedContent(ctx, response);
  }
  if (body === null || typeof body !== 'object' || !('result' in body)) {
    throw malformedAnswer(ctx, 'a body without "result"');
  }
  return { result: (body as { result: T }).result, headers: response.headers };
}

/** Builds the Table API caller: one call, one forced re-authentication after a 401 when that can help. */
export function createTableApi(options: TableApiOptions): TableApi {
  return {
    async call<T>(call: TableCall): Promise<TableAnswer<T>> {
      const ctx: CallContext = { operation: call.operation, method: call.method, table: call.table };
      const path =
        `/api/now/table/${encodeURIComponent(call.table)}` +
        (call.sysId === undefined ? '' : `/${encodeURIComponent(requireSysId(call.sysId, 'sys_id'))}`);
      const body = call.body === undefined ? undefined : JSON.stringify(call.body);

      const send = async (authorization: string): Promise<RawResponse> =>
        options.transport.send({
          ...ctx,
          path,
          params: call.params,
          body,
          headers: {
            Accept: 'application/json',
            Authorization: authorization,
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
        });

      let authorization = await options.authenticator.authorization();
      let response = await send(authorization);
      if (response.status === 401 && options.authenticator.invalidate(authorization)) {
        authorization = await options.authenticator.authorization();
        response = await send(authorization);
      }
      if (response.status < 200 || response.status >= 300) {
        throw failureFromResponse(ctx, response, options.now());
      }
      return parseResult<T>(ctx, response);
    },
  };
}

/** True for the 404 of a missing (or ACL-hidden) record. */
export function isNotFound(error: unknown): boolean {
  return error instanceof UpstreamError && error.status === 404;
}
