/**
 * The only axios instance talking to Storware. It is deliberately unable to go anywhere but the
 * configured base URL: `allowAbsoluteUrls: false` makes axios prefix the base URL to any URL,
 * every path segment is encoded, and redirects are not followed (a redirect off the Storware host
 * would carry the session cookie along). TLS is verified against the system CAs plus the optional
 * private CA; there is no switch to turn verification off, although the Horizon plugin and the
 * exporter do exactly that (docs/storware-api.md §1).
 *
 * Every status comes back as data (`validateStatus` accepts all), so classification happens in one
 * place above this layer; only transport failures throw, already wrapped.
 */
import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import axios, { type AxiosInstance } from 'axios';
import type { Logger } from '../../logger';
import { reportUpstreamCall } from '../../observability/events';
import { type Scrub, transportFailure } from './errors';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface StorwareRequest {
  /** Operation name for logs and errors (`listTasks`). */
  readonly operation: string;
  readonly method: HttpMethod;
  /** Route template relative to the base URL, `{name}` for path parameters: `/tasks/{guid}/state`. */
  readonly route: `/${string}`;
  readonly pathParams?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly body?: unknown;
}

export interface StorwareResponse {
  readonly status: number;
  readonly data: unknown;
  readonly headers: Readonly<Record<string, unknown>>;
}

export interface TransportOptions {
  readonly baseUrl: string;
  readonly ca?: string;
  readonly timeoutMs: number;
  readonly logger: Logger;
  readonly scrub: Scrub;
}

export interface StorwareTransport {
  send(request: StorwareRequest, cookieHeader: string | undefined): Promise<StorwareResponse>;
  destroy(): void;
}

const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/** Builds `/tasks/abc%2F..%2Fx/state` from a template; a missing parameter is a programming error. */
export function buildPath(route: string, params: Readonly<Record<string, string>> = {}): string {
  const path = route.replace(/\{([A-Za-z][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') {
      throw new TypeError(`Storware route ${route} needs a value for {${name}}`);
    }
    return encodeURIComponent(value);
  });
  if (!path.startsWith('/') || path.startsWith('//')) {
    throw new TypeError(`Storware route must be a path below the base URL, got ${route}`);
  }
  return path;
}

/** Repeats array parameters (`states=A&states=B`) the way the API expects (docs/storware-api.md §5). */
export function buildQuery(query: Readonly<Record<string, QueryValue>> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) {
      continue;
    }
    if (Array.isArray(value)) {
      for (const item of value as readonly string[]) {
        params.append(key, item);
      }
    } else {
      params.append(key, String(value));
    }
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** Checks and normalises the base URL; refuses anything but plain http(s) without userinfo, query or fragment. */
export function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError('Storware base URL is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`Storware base URL must be http(s), got ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new TypeError('Storware base URL must not carry credentials, a query or a fragment');
  }
  return url.toString().replace(/\/+$/, '');
}

/** The HTTP layer: one axios instance, one connection pool per client; `destroy()` frees the pool. */
export function createTransport(options: TransportOptions): StorwareTransport {
  const baseURL = normalizeBaseUrl(options.baseUrl);
  // Node's `ca` replaces the built-in roots; keep them so a private CA is an addition, not a swap.
  const httpsAgent = new https.Agent({
    keepAlive: true,
    rejectUnauthorized: true,
    ...(options.ca === undefined ? {} : { ca: [...rootCertificates, options.ca] }),
  });
  const httpAgent = new http.Agent({ keepAlive: true });
  const instance: AxiosInstance = axios.create({
    baseURL,
    allowAbsoluteUrls: false,
    maxRedirects: 0,
    timeout: options.timeoutMs,
    httpAgent,
    httpsAgent,
    // Proxies from the environment still apply; credentials never go into a proxy URL here.
    validateStatus: () => true,
    responseType: 'json',
    maxContentLength: MAX_ANSWER_BYTES,
    maxBodyLength: MAX_ANSWER_BYTES,
    headers: { Accept: 'application/json' },
  });

  return {
    async send(request, cookieHeader) {
      const url = buildPath(request.route, request.pathParams) + buildQuery(request.query);
      const started = performance.now();
      const headers: Record<string, string> = {};
      if (cookieHeader !== undefined) {
        headers.Cookie = cookieHeader;
      }
      if (request.body !== undefined) {
        headers['Content-Type'] = 'application/json';
      }
      try {
        const response = await instance.request({
          method: request.method,
          url,
          data: request.body,
          headers,
          // `timeout` bounds socket inactivity; the signal bounds the whole exchange.
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        options.logger.debug(
          {
            op: request.operation,
            method: request.method,
            route: request.route,
            status: response.status,
            durationMs: Math.round(performance.now() - started),
          },
          'storware call',
        );
        reportUpstreamCall({
          system: 'storware',
          operation: request.operation,
          status: response.status,
          durationMs: performance.now() - started,
        });
        return {
          status: response.status,
          data: response.data as unknown,
          headers: plainHeaders(response.headers),
        };
      } catch (error) {
        const failure = transportFailure(request.operation, error, options.timeoutMs, options.scrub);
        options.logger.debug(
          {
            op: request.operation,
            method: request.method,
            route: request.route,
            status: 0,
            errorCode: (failure.cause as { errorCode?: string } | undefined)?.errorCode,
            durationMs: Math.round(performance.now() - started),
          },
          'storware call failed',
        );
        reportUpstreamCall({
          system: 'storware',
          operation: request.operation,
          errorCode: (failure.cause as { errorCode?: string } | undefined)?.errorCode,
          durationMs: performance.now() - started,
        });
        throw failure;
      }
    },
    destroy() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function plainHeaders(headers: unknown): Record<string, unknown> {
  const source =
    typeof (headers as { toJSON?: unknown }).toJSON === 'function'
      ? (headers as { toJSON: () => Record<string, unknown> }).toJSON()
      : (headers as Record<string, unknown>);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source ?? {})) {
    out[key.toLowerCase()] = value;
  }
  return out;
}
