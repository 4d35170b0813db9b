/**
 * Turns every way a Storware call can fail into an `UpstreamError` (system `storware`), which is
 * what workers steer retries by: network failures, timeouts, 5xx, 408, 429 and a session that is
 * refused even after a fresh login are retryable; any other 4xx is permanent because the same
 * request will be refused again. Storware's own `message` (docs/storware-api.md §3 Errors) travels as
 * `remoteMessage` so an agent can read why.
 *
 * Nothing from axios is kept: its errors carry the request config, headers (the session cookie)
 * and the login body (the password). Only the error code and a scrubbed message survive.
 */
import { UpstreamError } from '../../errors';

/** Removes known secret values (password, cookie values) from text that leaves the client. */
export type Scrub = (text: string) => string;

const MAX_REMOTE_MESSAGE = 500;

/** A transport failure stripped down to what is safe to keep as an error's `cause`. */
export class StorwareTransportFailure extends Error {
  readonly errorCode: string;
  constructor(errorCode: string, message: string) {
    super(message);
    this.name = 'StorwareTransportFailure';
    this.errorCode = errorCode;
  }
}

/** Storware's own error text from an answer body, scrubbed and cut to a readable length. */
export function remoteMessageOf(data: unknown, scrub: Scrub): string | undefined {
  if (typeof data !== 'object' || data === null) {
    return undefined;
  }
  const body = data as { message?: unknown; error?: { message?: unknown } };
  // The Storware UI shows `error.message` first, then `message` (docs/storware-api.md §3).
  const candidate =
    typeof body.error?.message === 'string'
      ? body.error.message
      : typeof body.message === 'string'
        ? body.message
        : undefined;
  if (candidate === undefined || candidate.trim() === '') {
    return undefined;
  }
  const clean = scrub(candidate.trim());
  return clean.length > MAX_REMOTE_MESSAGE ? `${clean.slice(0, MAX_REMOTE_MESSAGE)}…` : clean;
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date). */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
  const text = Array.isArray(value) ? (value[0] as unknown) : value;
  if (typeof text !== 'string' || text.trim() === '') {
    return undefined;
  }
  if (/^\d+$/.test(text.trim())) {
    return Number(text.trim());
  }
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429 || status === 401;
}

/** A non-2xx answer. A 401 reaching this point already had its one re-login. */
export function httpFailure(
  operation: string,
  status: number,
  headers: Record<string, unknown>,
  data: unknown,
  scrub: Scrub,
): UpstreamError {
  const remoteMessage = remoteMessageOf(data, scrub);
  const retryable = isRetryableStatus(status);
  const retryAfterSeconds =
    status === 429 || status === 503 ? parseRetryAfter(headers['retry-after']) : undefined;
  const reason =
    status === 401
      ? 'the session was refused even after a fresh login'
      : (remoteMessage ?? (retryable ? 'Storware is unavailable' : 'Storware refused the request'));
  return new UpstreamError('storware', `Storware ${operation} failed with HTTP ${status}: ${reason}`, {
    status,
    retryable,
    retryAfterSeconds,
    remoteMessage,
    operation,
  });
}

/** The login itself was refused: the service account's credentials or its account state. */
export function loginRefused(status: number, data: unknown, scrub: Scrub): UpstreamError {
  // Retryable on purpose: a wrong or expired service password is an operator problem, not the
  // tenant's. The job lands in the failed set and is replayed once the secret is fixed, instead of
  // closing the ticket as if the request itself were wrong.
  return new UpstreamError(
    'storware',
    `Storware refused the service account's login with HTTP ${status}; check STORWARE_USER and STORWARE_PASSWORD`,
    { status, retryable: true, remoteMessage: remoteMessageOf(data, scrub), operation: 'login' },
  );
}

/** No answer: connection refused or reset, DNS, TLS, timeout. */
export function transportFailure(
  operation: string,
  error: unknown,
  timeoutMs: number,
  scrub: Scrub,
): UpstreamError {
  const code = errorCodeOf(error);
  const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED';
  const tls = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code);
  const detail = timedOut
    ? `no answer within ${timeoutMs} ms`
    : tls
      ? `TLS verification failed (${code}); set STORWARE_CA_FILE to the CA that signed Storware's certificate`
      : `network error (${code})`;
  const rawMessage = error instanceof Error ? error.message : String(error);
  return new UpstreamError('storware', `Storware ${operation} failed: ${detail}`, {
    retryable: true,
    operation,
    cause: new StorwareTransportFailure(timedOut ? 'ETIMEDOUT' : code, scrub(rawMessage)),
  });
}

/** A 2xx whose body is not what the API documents. */
export function unexpectedAnswer(operation: string, problem: string): UpstreamError {
  return new UpstreamError('storware', `Storware ${operation} answered unexpectedly: ${problem}`, {
    retryable: true,
    operation,
  });
}

function errorCodeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, cause } = error as { code?: unknown; cause?: unknown };
    if (typeof code === 'string' && code !== 'ERR_BAD_REQUEST' && code !== 'ERR_NETWORK') {
      return code;
    }
    // axios wraps some socket errors; the interesting code sits on the cause.
    if (
      typeof cause === 'object' &&
      cause !== null &&
      typeof (cause as { code?: unknown }).code === 'string'
    ) {
      return (cause as { code: string }).code;
    }
    if (typeof code === 'string') {
      return code;
    }
  }
  return 'UNKNOWN';
}
