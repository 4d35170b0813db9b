/**
 * Request id and access log. The id is taken from `X-Request-Id` when a proxy set a sane one, so a
 * request can be followed across hops; otherwise a new UUID. It is echoed back and carried by a
 * child logger in `res.locals.logger` for handlers to use.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../../logger';

const SAFE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

declare module 'express-serve-static-core' {
  interface Locals {
    requestId: string;
    logger: Logger;
  }
}

export function requestId(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const id = incoming !== undefined && SAFE_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}

export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const log = logger.child({ requestId: res.locals.requestId });
    res.locals.logger = log;
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      // The path only: query strings are where careless clients put tokens.
      log[level](
        {
          req: { method: req.method, path: req.path, headers: req.headers },
          res: { statusCode: res.statusCode },
          durationMs: Math.round(durationMs * 100) / 100,
        },
        'request finished',
      );
    });
    next();
  };
}
