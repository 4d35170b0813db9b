/**
 * The simulator's HTTP surface: the Table API (`/api/now/table/…` and the `/api/now/v2/table/…`
 * alias) and `/oauth_token.do`, with the codes, headers and envelopes of docs/servicenow.md §1:
 * GET list 200 (`[]` when nothing matches) with `X-Total-Count` and `Link`; GET one 200/404;
 * POST 201; PATCH/PUT 200/404; DELETE 204; `X-no-response-body: true` drops the body of a write;
 * writes without Content-Type are 400, with a non-JSON one 415, with an Accept that excludes JSON
 * 406; every Table API call is authenticated and counted against the hourly rate limit.
 */
import { json, route, type Route, type SimRequest, type SimResponse } from '../http-kit';
import type { SimAuth } from './auth';
import { unauthenticated } from './auth';
import { indexableCondition, parseEncodedQuery, runQuery } from './query';
import type { RateLimiter } from './rate-limit';
import { parseDisplayMode, parseFieldList, renderRecord, type RenderOptions } from './render';
import { isTableName, type TableName } from './schema';
import type { TableStore } from './tables';

export interface RouteDeps {
  readonly store: TableStore;
  readonly auth: SimAuth;
  readonly limiter: RateLimiter;
}

const DEFAULT_LIMIT = 10_000;

export function failure(status: number, message: string, detail: string | null): SimResponse {
  return json(status, { error: { message, detail }, status: 'failure' });
}

/** [O] demisto/content and ansible servicenow.itsm, docs/servicenow.md §1. */
export const NOT_FOUND = (): SimResponse =>
  failure(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval");

/** Unknown API path [I]. */
export const UNKNOWN_RESOURCE = (): SimResponse =>
  failure(400, 'Requested URI does not represent any resource', null);

function invalidTable(table: string): SimResponse {
  return failure(400, `Invalid table ${table}`, null);
}

function renderOptions(req: SimRequest): RenderOptions {
  return {
    fields: parseFieldList(req.query.get('sysparm_fields')),
    displayValue: parseDisplayMode(req.query.get('sysparm_display_value')),
    excludeReferenceLink: req.query.get('sysparm_exclude_reference_link') === 'true',
    baseUrl: `http://${req.headers.host ?? '127.0.0.1'}`,
  };
}

function intParam(value: string | null, fallback: number, min: number): number {
  return value !== null && /^\d+$/.test(value) && Number(value) >= min ? Number(value) : fallback;
}

/** Accept / Content-Type / body checks for POST, PUT and PATCH; the parsed body when fine. */
function writeBody(req: SimRequest): { body: Record<string, unknown> } | { refusal: SimResponse } {
  const accept = req.headers.accept;
  if (accept !== undefined && !/application\/json|\*\/\*|application\/\*/.test(accept)) {
    return { refusal: failure(406, 'Not Acceptable', `Accept ${accept} cannot be satisfied`) };
  }
  const type = req.headers['content-type'];
  if (type === undefined) {
    return { refusal: failure(400, 'Exception while reading request', 'Content-Type header is missing') };
  }
  if (!type.includes('application/json')) {
    return { refusal: failure(415, 'Unsupported Media Type', `Content-Type ${type} is not supported`) };
  }
  const body = req.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { refusal: failure(400, 'Exception while reading request', 'The payload is not valid JSON.') };
  }
  return { body: body as Record<string, unknown> };
}

function writeAnswer(
  req: SimRequest,
  status: number,
  store: TableStore,
  table: TableName,
  row: Record<string, string>,
): SimResponse {
  if ((req.headers['x-no-response-body'] ?? '').toString().toLowerCase() === 'true') {
    return { status };
  }
  return json(status, { result: renderRecord(store, table, row, renderOptions(req)) });
}

/** A Link header with first/prev/next/last for a paged list. */
function linkHeader(req: SimRequest, offset: number, limit: number, total: number): string {
  const base = `http://${req.headers.host ?? '127.0.0.1'}${req.path}`;
  const at = (o: number): string => {
    const params = new URLSearchParams(req.query);
    params.set('sysparm_offset', String(o));
    params.set('sysparm_limit', String(limit));
    return `<${base}?${params.toString()}>`;
  };
  const last = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links = [`${at(0)};rel="first"`];
  if (offset > 0) {
    links.push(`${at(Math.max(0, offset - limit))};rel="prev"`);
  }
  if (offset + limit < total) {
    links.push(`${at(offset + limit)};rel="next"`);
  }
  links.push(`${at(last)};rel="last"`);
  return links.join(',');
}

export function createRoutes(deps: RouteDeps): Route[] {
  const { store, auth, limiter } = deps;

  /** Authentication and the rate limit in front of every Table API handler. */
  const guarded =
    (handler: (req: SimRequest, table: TableName, user: string) => SimResponse) =>
    (req: SimRequest): SimResponse => {
      const user = auth.authenticate(req.headers);
      if (user === undefined) {
        return unauthenticated();
      }
      const decision = limiter.hit(user);
      if (decision.refusal) {
        return decision.refusal;
      }
      const table = req.params.table ?? '';
      const answer = isTableName(table) ? handler(req, table, user) : invalidTable(table);
      return { ...answer, headers: { ...decision.headers, ...(answer.headers ?? {}) } };
    };

  const list = guarded((req, table) => {
    const plainPairs = [...req.query.entries()].filter(([name]) => !name.startsWith('sysparm_'));
    const parsed = parseEncodedQuery(table, req.query.get('sysparm_query') ?? '', plainPairs);
    const indexed = indexableCondition(parsed);
    const candidates = indexed ? store.rowsWhere(table, indexed.field, indexed.values) : store.rows(table);
    const matched = runQuery(store, table, candidates, parsed);
    const limit = intParam(req.query.get('sysparm_limit'), DEFAULT_LIMIT, 1);
    const offset = intParam(req.query.get('sysparm_offset'), 0, 0);
    const options = renderOptions(req);
    const result = matched
      .slice(offset, offset + limit)
      .map((row) => renderRecord(store, table, row, options));
    const headers: Record<string, string> = {};
    if (req.query.get('sysparm_no_count') !== 'true') {
      headers['X-Total-Count'] = String(matched.length);
    }
    if (req.query.get('sysparm_suppress_pagination_header') !== 'true') {
      headers.Link = linkHeader(req, offset, limit, matched.length);
    }
    return json(200, { result }, headers);
  });

  const getOne = guarded((req, table) => {
    const row = store.get(table, req.params.sys_id ?? '');
    return row ? json(200, { result: renderRecord(store, table, row, renderOptions(req)) }) : NOT_FOUND();
  });

  const create = guarded((req, table, user) => {
    const checked = writeBody(req);
    if ('refusal' in checked) {
      return checked.refusal;
    }
    return writeAnswer(req, 201, store, table, store.insert(table, checked.body, { actor: user }));
  });

  const update = guarded((req, table, user) => {
    const checked = writeBody(req);
    if ('refusal' in checked) {
      return checked.refusal;
    }
    const row = store.update(table, req.params.sys_id ?? '', checked.body, { actor: user });
    return row ? writeAnswer(req, 200, store, table, row) : NOT_FOUND();
  });

  const remove = guarded((req, table) =>
    store.delete(table, req.params.sys_id ?? '') ? { status: 204 } : NOT_FOUND(),
  );

  const routes: Route[] = [
    route('POST', '/oauth_token.do', (req) => auth.tokenEndpoint(req.headers, req.body)),
  ];
  for (const prefix of ['/api/now/table', '/api/now/v2/table']) {
    routes.push(
      route('GET', `${prefix}/:table`, list),
      route('POST', `${prefix}/:table`, create),
      route('GET', `${prefix}/:table/:sys_id`, getOne),
      route('PATCH', `${prefix}/:table/:sys_id`, update),
      route('PUT', `${prefix}/:table/:sys_id`, update),
      route('DELETE', `${prefix}/:table/:sys_id`, remove),
    );
  }
  return routes;
}
