/**
 * pino, JSON lines, one root per process; everything else logs through child loggers that carry
 * the ids an operator searches by (requestId, ticket, jobId, …).
 *
 * Redaction is by path (fast-redact), so it costs little and cannot miss a renamed variable inside
 * a known shape. Paths cover the places secrets travel: HTTP headers of inbound requests and of
 * outbound client errors, and any object field whose name says it is a secret. Values are replaced,
 * not removed, so a reader can still see that the header was present.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

const SECRET_FIELDS = [
  'password',
  'passwd',
  'secret',
  'clientSecret',
  'client_secret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'apiKey',
  'authorization',
  'cookie',
];

const HEADER_FIELDS = [
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  'set-cookie',
  'Set-Cookie',
  'webhook-signature',
  'Webhook-Signature',
  'x-sn-apikey',
  'proxy-authorization',
];

function headerPaths(base: string): string[] {
  return HEADER_FIELDS.map((h) => `${base}["${h}"]`);
}

/** Every path redacted; exported so the redaction test can prove each one with a real secret. */
export const REDACT_PATHS: string[] = [
  ...headerPaths('req.headers'),
  ...headerPaths('res.headers'),
  ...headerPaths('headers'),
  ...headerPaths('request.headers'),
  ...headerPaths('response.headers'),
  ...headerPaths('err.config.headers'),
  ...headerPaths('err.response.headers'),
  ...headerPaths('error.config.headers'),
  'err.config.data',
  'error.config.data',
  'err.config.auth',
  'error.config.auth',
  ...SECRET_FIELDS.map((f) => f),
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  ...SECRET_FIELDS.map((f) => `*.*.${f}`),
];

export interface LoggerOptions {
  readonly level?: string;
  /** Where lines go; tests pass a stream to capture them. Defaults to stdout. */
  readonly destination?: DestinationStream;
  readonly name?: string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      name: options.name ?? 'storware-itsm-connector',
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // Keep the error serializer but never let axios' whole config (with credentials) in.
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}

/** A logger that drops everything; for code paths tests do not care about. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
