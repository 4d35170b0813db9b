/**
 * Turning what ServiceNow answered (or failed to answer) into an UpstreamError that tells a worker
 * whether to try again, and a person what happened.
 *
 * Retry classes, decided from docs/servicenow.md §1:
 * - network errors, timeouts, 5xx and 408: retryable (PySNC and Snow-Shell retry the same set);
 * - 429: retryable, with the wait ServiceNow asked for (`Retry-After`, else `X-RateLimit-Reset`)
 *   surfaced as `retryAfterSeconds` so BullMQ can delay the job instead of this client sleeping;
 *   semaphore-queue 429s often carry neither header, then the caller's own backoff applies;
 * - 200 with HTML: a hibernating instance or a maintenance page, retryable;
 * - 401 (after the one token refresh the client attempts): retryable. The request itself is fine;
 *   the credentials are not (rotated password, revoked OAuth client, MFA enforced on basic auth).
 *   Ops can fix that without touching the request and then replay it, so failing the ticket
 *   permanently would be wrong; attempts are capped, and the failed set alerts the service desk;
 * - 3xx: retryable for the same reason (a redirect means a wrong URL or an SSO front, fixable by ops);
 * - any other 4xx (400, 403 ACL / business rule, 404, 405, 415, …): permanent, with the envelope's
 *   message and detail in `remoteMessage`.
 *
 * Nothing here ever holds request headers, bodies or axios' config: those carry the password,
 * the client secret or the bearer token. Causes are fresh errors with only the network code.
 */
import { UpstreamError } from '../../errors';

/** Names one remote operation in messages and logs. */
export interface CallContext {
  readonly operation: string;
  readonly method: string;
  /** Table for Table API calls; absent for the token endpoint. */
  readonly table?: string;
}

/** An HTTP answer as the transport hands it over: status, headers, body text. */
export interface RawResponse {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

const MAX_REMOTE_MESSAGE = 500;

function describe(ctx: CallContext): string {
  return ctx.table === undefined ? `${ctx.operation}` : `${ctx.operation} (${ctx.method} ${ctx.table})`;
}

/** The `{error:{message,detail},status:"failure"}` envelope, or the token endpoint's `{error, error_description}`. */
export function remoteMessageOf(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') {
    return undefined;
  }
  const body = parsed as { error?: unknown; error_description?: unknown };
  let message: string | undefined;
  if (body.error !== null && typeof body.error === 'object') {
    const { message: m, detail } = body.error as { message?: unknown; detail?: unknown };
    const parts = [m, detail].filter((p): p is string => typeof p === 'string' && p.trim() !== '');
    message = parts.length > 0 ? parts.join(': ') : undefined;
  } else if (typeof body.error === 'string') {
    message =
      typeof body.error_description === 'string' ? `${body.error}: ${body.error_description}` : body.error;
  }
  return message === undefined ? undefined : message.slice(0, MAX_REMOTE_MESSAGE);
}

/** `Retry-After` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') {
    return undefined;
  }
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed);
  }
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** `X-RateLimit-Reset` is a UNIX timestamp in seconds (docs/servicenow.md §1 "Rate limits"). */
export function secondsUntilReset(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) {
    return undefined;
  }
  return Math.max(1, Math.ceil(Number(value.trim()) - nowMs / 1000));
}

/** An HTML page rather than JSON (by Content-Type, or a body starting with `<`). */
export function isHtml(response: RawResponse): boolean {
  const type = response.headers['content-type'] ?? '';
  return type.includes('text/html') || /^\s*</.test(response.text);
}

/** A 200 that is not JSON: the hibernation or maintenance page (docs/servicenow.md §1 "Gotcha"). */
export function unexpectedContent(ctx: CallContext, response: RawResponse): UpstreamError {
  const html = isHtml(response);
  return new UpstreamError(
    'servicenow',
    html
      ? `ServiceNow answered ${describe(ctx)} with an HTML page (instance hibernating or in maintenance)`
      : `ServiceNow answered ${describe(ctx)} with content that is not JSON`,
    { status: response.status, retryable: true, operation: ctx.operation },
  );
}

/** A JSON answer without the shape the contract promises; retryable like any unknown failure. */
export function malformedAnswer(ctx: CallContext, what: string): UpstreamError {
  return new UpstreamError('servicenow', `ServiceNow answered ${describe(ctx)} with ${what}`, {
    retryable: true,
    operation: ctx.operation,
  });
}

/** Maps a non-2xx answer. */
export function failureFromResponse(ctx: CallContext, response: RawResponse, nowMs: number): UpstreamError {
  const { status } = response;
  const remoteMessage = remoteMessageOf(response.text);
  const base = { status, remoteMessage, operation: ctx.operation };
  if (status === 429) {
    const retryAfterSeconds =
      parseRetryAfter(response.headers['retry-after'], nowMs) ??
      secondsUntilReset(response.headers['x-ratelimit-reset'], nowMs);
    return new UpstreamError('servicenow', `ServiceNow rate limit reached for ${describe(ctx)}`, {
      ...base,
      retryable: true,
      retryAfterSeconds,
    });
  }
  if (status === 401) {
    return new UpstreamError(
      'servicenow',
      `ServiceNow did not accept the connector's credentials for ${describe(ctx)}`,
      { ...base, retryable: true },
    );
  }
  if (status >= 500 || status === 408) {
    return new UpstreamError('servicenow', `ServiceNow failed ${describe(ctx)} with status ${status}`, {
      ...base,
      retryable: true,
    });
  }
  if (status >= 300 && status < 400) {
    return new UpstreamError(
      'servicenow',
      `ServiceNow redirected ${describe(ctx)} (status ${status}); check SERVICENOW_URL`,
      { ...base, retryable: true },
    );
  }
  return new UpstreamError('servicenow', `ServiceNow refused ${describe(ctx)} with status ${status}`, {
    ...base,
    retryable: false,
  });
}

/** No answer at all: connection refused or reset, DNS, TLS, or our timeout. */
export function networkFailure(ctx: CallContext, code: string | undefined, timeoutMs: number): UpstreamError {
  const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
  const message = timedOut
    ? `ServiceNow did not answer ${describe(ctx)} within ${timeoutMs} ms`
    : `ServiceNow could not be reached for ${describe(ctx)} (${code ?? 'network error'})`;
  // The cause carries the code only; the original axios error holds the request config.
  return new UpstreamError('servicenow', message, {
    retryable: true,
    operation: ctx.operation,
    cause: new Error(code ?? 'network error'),
  });
}
