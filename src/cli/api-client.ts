/**
 * A small client for the connector's service API, used by the CLI. One function per endpoint,
 * typed from the connector spec; failures become ApiCallError with the error body's code and
 * message, so the CLI can print them as they are.
 */
import type { components } from '../../spec/generated/connector';

type Schemas = components['schemas'];

export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ReadonlyArray<{ path?: string; message: string }> = [],
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

export interface ServiceApiClientOptions {
  /** e.g. `http://127.0.0.1:8080`. */
  readonly baseUrl: string;
  readonly token: string;
  readonly timeoutMs?: number;
}

export type Query = Readonly<Record<string, string | number | undefined>>;

export interface ServiceApiClient {
  getRequest(ref: string): Promise<Schemas['RequestDetail']>;
  listRequests(query: Query): Promise<Schemas['RequestSummaryPage']>;
  cancelRequest(ref: string, reason: string): Promise<Schemas['CancelResult']>;
  listJobs(query: Query): Promise<Schemas['JobPage']>;
  getJob(id: string): Promise<Schemas['JobDetail']>;
  replayJob(id: string, reason: string): Promise<Schemas['JobActionResult']>;
  abandonJob(id: string, reason: string): Promise<Schemas['JobActionResult']>;
  replayJobs(body: Schemas['BulkReplayBody']): Promise<Schemas['BulkReplayResult']>;
  listAudit(query: Query): Promise<Schemas['AuditPage']>;
}

function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

export function createServiceApiClient(options: ServiceApiClientOptions): ServiceApiClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${options.token}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
    } catch (error) {
      const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new ApiCallError(0, 'unreachable', `Cannot reach the connector at ${base} (${reason})`);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string; details?: [] } } | undefined)
        ?.error;
      throw new ApiCallError(
        response.status,
        error?.code ?? `http_${response.status}`,
        error?.message ?? `The connector answered HTTP ${response.status}`,
        error?.details ?? [],
      );
    }
    return parsed as T;
  }

  const id = encodeURIComponent;
  return {
    getRequest: (ref) => call('GET', `/api/requests/${id(ref)}`),
    listRequests: (query) => call('GET', `/api/requests${queryString(query)}`),
    cancelRequest: (ref, reason) => call('POST', `/api/requests/${id(ref)}/cancel`, { reason }),
    listJobs: (query) => call('GET', `/api/jobs${queryString(query)}`),
    getJob: (jobId) => call('GET', `/api/jobs/${id(jobId)}`),
    replayJob: (jobId, reason) => call('POST', `/api/jobs/${id(jobId)}/replay`, { reason }),
    abandonJob: (jobId, reason) => call('POST', `/api/jobs/${id(jobId)}/abandon`, { reason }),
    replayJobs: (body) => call('POST', '/api/jobs/replay', body),
    listAudit: (query) => call('GET', `/api/audit${queryString(query)}`),
  };
}
