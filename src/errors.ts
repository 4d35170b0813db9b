/**
 * One error model for the whole connector.
 *
 * Every error the connector raises on purpose is an AppError with a stable `code` (part of the
 * public contract: the error body, the status API and the ledger carry it), an HTTP status for the
 * rare case it reaches a client, and `retryable`, which is what workers use to decide between
 * "try again with backoff" and "fail now and close the ticket". Anything else that is thrown is a
 * programmer error and is reported as `internal_error` without its message (it may hold secrets).
 */

export interface ErrorDetail {
  /** Dotted path of the offending field (`variables.instance_id`), when there is one. */
  readonly path?: string;
  readonly message: string;
  readonly [key: string]: unknown;
}

export interface AppErrorOptions {
  readonly httpStatus?: number;
  readonly retryable?: boolean;
  readonly details?: readonly ErrorDetail[];
  readonly cause?: unknown;
}

export class AppError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  readonly retryable: boolean;
  readonly details: readonly ErrorDetail[];

  constructor(code: string, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.httpStatus = options.httpStatus ?? 500;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? [];
  }
}

/** Input that does not satisfy a schema. Never retryable: the same input fails the same way. */
export class ValidationError extends AppError {
  constructor(
    message: string,
    details: readonly ErrorDetail[],
    code = 'validation_failed',
    httpStatus = 422,
  ) {
    super(code, message, { httpStatus, details, retryable: false });
  }
}

/** The process cannot start with this configuration. Lists every problem at once. */
export class ConfigError extends AppError {
  constructor(details: readonly ErrorDetail[]) {
    const lines = details.map((d) => `  - ${d.path ?? '(root)'}: ${d.message}`).join('\n');
    super('invalid_config', `Invalid configuration (${details.length} problem(s)):\n${lines}`, {
      httpStatus: 500,
      details,
    });
  }
}

export class AuthenticationError extends AppError {
  constructor(message = 'Authentication required', code = 'unauthenticated') {
    super(code, message, { httpStatus: 401 });
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Not allowed', code = 'forbidden') {
    super(code, message, { httpStatus: 403 });
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found', code = 'not_found') {
    super(code, message, { httpStatus: 404 });
  }
}

/** A dependency we need (Redis, usually) cannot take the work now; the caller should retry. */
export class UnavailableError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(message: string, options: { retryAfterSeconds?: number; cause?: unknown } = {}) {
    super('unavailable', message, { httpStatus: 503, retryable: true, cause: options.cause });
    this.retryAfterSeconds = options.retryAfterSeconds ?? 5;
  }
}

export type UpstreamSystem = 'storware' | 'servicenow';

export interface UpstreamErrorOptions {
  readonly status?: number;
  readonly retryable: boolean;
  /** Seconds the remote asked us to wait (429 Retry-After, rate-limit reset). */
  readonly retryAfterSeconds?: number;
  /** The remote's own error message, already free of secrets; safe to show an agent. */
  readonly remoteMessage?: string;
  readonly operation?: string;
  readonly cause?: unknown;
}

/**
 * A call to Storware or ServiceNow failed. Network errors, timeouts, 5xx, 429 and auth that failed
 * even after one re-login are retryable; other 4xx are permanent (the request itself is wrong).
 */
export class UpstreamError extends AppError {
  readonly system: UpstreamSystem;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly remoteMessage: string | undefined;
  readonly operation: string | undefined;

  constructor(system: UpstreamSystem, message: string, options: UpstreamErrorOptions) {
    super(`${system}_${options.retryable ? 'unavailable' : 'rejected'}`, message, {
      httpStatus: 502,
      retryable: options.retryable,
      cause: options.cause,
    });
    this.system = system;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.remoteMessage = options.remoteMessage;
    this.operation = options.operation;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** True when trying the same thing again later may succeed. Unknown errors count as retryable:
 * a bug fixed by a deploy should be replayable, and attempts are capped anyway. */
export function isRetryable(error: unknown): boolean {
  return isAppError(error) ? error.retryable : true;
}

export interface ErrorBody {
  error: { code: string; message: string; details: ErrorDetail[] };
}

/** The one JSON shape every failed HTTP answer has. */
export function errorBody(code: string, message: string, details: readonly ErrorDetail[] = []): ErrorBody {
  return { error: { code, message, details: [...details] } };
}

/**
 * Maps anything thrown to a status and a body that is safe to send. Unknown errors never leak their
 * message: it may contain a connection string or a token.
 */
export function toHttpError(error: unknown): {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
} {
  if (isAppError(error)) {
    const headers: Record<string, string> = {};
    if (error instanceof UnavailableError) {
      headers['Retry-After'] = String(error.retryAfterSeconds);
    }
    const message =
      error.httpStatus >= 500 && !(error instanceof UnavailableError) ? 'Internal error' : error.message;
    return { status: error.httpStatus, body: errorBody(error.code, message, error.details), headers };
  }
  return { status: 500, body: errorBody('internal_error', 'Internal error'), headers: {} };
}
