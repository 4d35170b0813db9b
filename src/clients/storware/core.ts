/**
 * What every resource module of the client shares (tasks.ts, inventory.ts, backups.ts,
 * policies.ts, restore.ts, authentication.ts): the session, the classification of a non-2xx
 * answer, and the helpers that turn a list, a page or one object by guid into domain objects.
 * Resource modules only describe routes, queries and bodies; nothing below them is repeated there.
 */
import { ValidationError } from '../../errors';
import type { Logger } from '../../logger';
import { httpFailure, type Scrub, unexpectedAnswer } from './errors';
import type { QueryValue, StorwareRequest, StorwareResponse } from './http';
import { requireArray, totalCount } from './normalize';
import type { StorwareSession } from './session';
import type { Page, PageRequest } from './types';
import type { HypervisorManagerScopedQuery } from './wire';

export interface ListAllOptions {
  /** Items per request; default 100. */
  readonly pageSize?: number;
}

/** Reads one answer item into a domain object; `operation` names the call in errors. */
export type ToDomain<T> = (operation: string, value: unknown) => T;

export interface StorwareCore {
  readonly session: StorwareSession;
  readonly logger: Logger;
  /** Clock for default task windows. */
  readonly now: () => number;
  /** Answers a 2xx response as it is; anything else throws the classified UpstreamError. */
  ensureOk(operation: string, response: StorwareResponse): StorwareResponse;
  /** Sends with the session (logging in as needed) and requires a 2xx answer. */
  call(request: StorwareRequest): Promise<StorwareResponse>;
  /** A call whose answer is a plain JSON array. */
  getList<T>(request: StorwareRequest, map: ToDomain<T>): Promise<T[]>;
  /** One page of a paged list; `total` from `X-Total-Count`, else what the answer shows. */
  getPage<T>(request: StorwareRequest, page: PageRequest, map: ToDomain<T>): Promise<Page<T>>;
  /** `GET {route}` with `{guid}` filled in, after checking the guid is not empty. */
  getByGuid<T>(operation: string, route: `/${string}/{guid}`, guid: string, map: ToDomain<T>): Promise<T>;
  /** `GET {route}?hypervisor-manager=…` (plus `query`): the lists scoped to one manager. */
  listForManager<T>(
    operation: string,
    route: `/${string}`,
    hypervisorManagerGuid: string,
    map: ToDomain<T>,
    query?: Readonly<Record<string, QueryValue>>,
  ): Promise<T[]>;
}

export interface CoreOptions {
  readonly session: StorwareSession;
  readonly logger: Logger;
  readonly scrub: Scrub;
  readonly now: () => number;
}

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGES = 1_000;

export function createStorwareCore({ session, logger, scrub, now }: CoreOptions): StorwareCore {
  function ensureOk(operation: string, response: StorwareResponse): StorwareResponse {
    if (response.status < 200 || response.status >= 300) {
      throw httpFailure(operation, response.status, response.headers, response.data, scrub);
    }
    return response;
  }

  async function call(request: StorwareRequest): Promise<StorwareResponse> {
    return ensureOk(request.operation, await session.send(request));
  }

  async function getList<T>(request: StorwareRequest, map: ToDomain<T>): Promise<T[]> {
    const response = await call(request);
    return requireArray(request.operation, response.data).map((item) => map(request.operation, item));
  }

  return {
    session,
    logger,
    now,
    ensureOk,
    call,
    getList,

    async getPage(request, page, map) {
      const response = await call(request);
      const items = requireArray(request.operation, response.data).map((item) =>
        map(request.operation, item),
      );
      const offset = (page.page ?? 0) * (page.size ?? 0);
      return { items, total: totalCount(response.headers) ?? offset + items.length };
    },

    async getByGuid(operation, route, guid, map) {
      requireText('guid', guid);
      const response = await call({ operation, method: 'GET', route, pathParams: { guid } });
      return map(operation, response.data);
    },

    async listForManager(operation, route, hypervisorManagerGuid, map, query = {}) {
      requireText('hypervisorManagerGuid', hypervisorManagerGuid);
      const scoped: HypervisorManagerScopedQuery = { 'hypervisor-manager': hypervisorManagerGuid };
      return getList({ operation, method: 'GET', route, query: { ...scoped, ...query } }, map);
    },
  };
}

/** Follows `page`/`size` until a short page or `X-Total-Count` says the list is complete. */
export async function collectPages<T extends { readonly guid: string }>(
  operation: string,
  fetch: (page: number, size: number) => Promise<Page<T>>,
  pageSize: number = DEFAULT_PAGE_SIZE,
): Promise<T[]> {
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new ValidationError('pageSize must be a positive integer', [
      { path: 'pageSize', message: 'positive integer' },
    ]);
  }
  // Keyed by guid: a list that changes while it is paged can repeat an item across pages.
  const seen = new Map<string, T>();
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const { items, total } = await fetch(page, pageSize);
    for (const item of items) {
      seen.set(item.guid, item);
    }
    // More than asked for means the server ignored paging and sent everything.
    if (items.length < pageSize || items.length > pageSize || (page + 1) * pageSize >= total) {
      return [...seen.values()];
    }
  }
  throw unexpectedAnswer(operation, `the list did not end after ${MAX_PAGES} pages`);
}

/** @throws ValidationError unless `value` is a string with something besides white space. */
export function requireText(path: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ValidationError(`${path} must be a non-empty string`, [{ path, message: 'required' }]);
  }
}
