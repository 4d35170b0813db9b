/**
 * The one axios instance that talks to ServiceNow, and nothing else does.
 *
 * - `allowAbsoluteUrls: false`: a path can never send the request (and its Authorization header)
 *   to another host; `maxRedirects: 0`: a redirect is reported, not followed with credentials.
 * - Every status comes back as data (`validateStatus` always true) and the body as text, so the
 *   caller decides what a status means and can tell ServiceNow's JSON from a hibernation page
 *   without a parse crash.
 * - A failure without an answer becomes an UpstreamError carrying only the network code; the
 *   axios error (whose config holds the credentials) is dropped here.
 * - One debug line per call: operation, method, table, status, duration. No URL, query or body.
 */
import axios, { type AxiosInstance } from 'axios';
import type { Logger } from '../../logger';
import { reportUpstreamCall } from '../../observability/events';
import { networkFailure, type CallContext, type RawResponse } from './errors';

/** One HTTP request to ServiceNow, with everything already validated and encoded. */
export interface TransportRequest extends CallContext {
  /** Path below the base URL, already built from validated, encoded segments. */
  readonly path: string;
  readonly params?: Readonly<Record<string, string>>;
  /** JSON text or form-encoded text; the matching Content-Type goes in `headers`. */
  readonly body?: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Sends a request; resolves with any status, rejects only with a network UpstreamError. */
export interface Transport {
  send(request: TransportRequest): Promise<RawResponse>;
}

/** Instance URL, per-call timeout and the logger for the per-call debug line. */
export interface TransportOptions {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly logger: Logger;
}

// Journal histories and variable lists are small; anything near this is not ServiceNow talking.
const MAX_RESPONSE_BYTES = 20 * 1024 * 1024;

function headerMap(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === null || typeof headers !== 'object') {
    return out;
  }
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (typeof value === 'string' || typeof value === 'number') {
      out[name.toLowerCase()] = String(value);
    } else if (Array.isArray(value)) {
      out[name.toLowerCase()] = value.map(String).join(', ');
    }
  }
  return out;
}

function errorCode(error: unknown): string | undefined {
  if (axios.isAxiosError(error)) {
    return error.code;
  }
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Builds the transport around the one axios instance (settings explained at the top of the file). */
export function createTransport(options: TransportOptions): Transport {
  const instance: AxiosInstance = axios.create({
    baseURL: options.baseUrl.replace(/\/+$/, ''),
    allowAbsoluteUrls: false,
    maxRedirects: 0,
    timeout: options.timeoutMs,
    responseType: 'text',
    // Keep the body as received; parsing is the caller's, after checking Content-Type.
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    maxContentLength: MAX_RESPONSE_BYTES,
    paramsSerializer: {
      serialize: (params: Record<string, string>) => new URLSearchParams(params).toString(),
    },
  });
  const log = options.logger.child({ component: 'servicenow-client' });

  return {
    async send(request) {
      const started = performance.now();
      const fields = { operation: request.operation, method: request.method, table: request.table };
      try {
        const response = await instance.request<unknown>({
          method: request.method,
          url: request.path,
          params: request.params,
          data: request.body,
          headers: { ...request.headers },
        });
        const durationMs = Math.round(performance.now() - started);
        log.debug({ ...fields, status: response.status, durationMs }, 'servicenow call');
        reportUpstreamCall({
          system: 'servicenow',
          operation: request.operation,
          status: response.status,
          durationMs: performance.now() - started,
        });
        return {
          status: response.status,
          headers: headerMap(response.headers),
          text: typeof response.data === 'string' ? response.data : '',
        };
      } catch (error) {
        const code = errorCode(error);
        const durationMs = Math.round(performance.now() - started);
        log.debug({ ...fields, status: undefined, code, durationMs }, 'servicenow call failed');
        reportUpstreamCall({
          system: 'servicenow',
          operation: request.operation,
          errorCode: code,
          durationMs: performance.now() - started,
        });
        throw networkFailure(request, code, options.timeoutMs);
      }
    },
  };
}
