/**
 * The one place an HTTP error body is produced. Handlers throw (or pass to `next`) an AppError; the
 * body parser's own errors are mapped to the same shape. Unknown errors are logged with their stack
 * and answered as `internal_error` without their message.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, errorBody, toHttpError } from '../../errors';
import type { Logger } from '../../logger';

interface BodyParserError {
  type?:
    | 'entity.too.large'
    | 'entity.parse.failed'
    | 'encoding.unsupported'
    | 'charset.unsupported'
    | 'request.aborted'
    | (string & {});
  status?: number;
  limit?: number;
}

function fromBodyParser(error: unknown): AppError | undefined {
  const e = error as BodyParserError;
  switch (e?.type) {
    case 'entity.too.large':
      return new AppError(
        'payload_too_large',
        `Body is larger than the ${e.limit ?? ''} byte limit`.replace('  ', ' '),
        {
          httpStatus: 413,
        },
      );
    case 'entity.parse.failed':
      return new AppError('malformed_json', 'Body is not valid JSON', { httpStatus: 400 });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_encoding', 'Body encoding is not supported; send UTF-8 JSON', {
        httpStatus: 415,
      });
    case 'request.aborted':
      return new AppError('request_aborted', 'Client closed the request', { httpStatus: 400 });
    case undefined:
    default:
      return undefined;
  }
}

export function notFoundHandler(): RequestHandler {
  return (req, res) => {
    res.status(404).json(errorBody('route_not_found', `No route for ${req.method} ${req.path}`));
  };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const mapped = fromBodyParser(error) ?? error;
    const { status, body, headers } = toHttpError(mapped);
    const log = res.locals.logger ?? logger;
    if (status >= 500) {
      log.error({ err: error }, 'request failed');
    }
    res.status(status).set(headers).json(body);
  };
}
