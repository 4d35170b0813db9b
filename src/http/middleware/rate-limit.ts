/**
 * Express side of the request rate limits (src/limits/rate-limiter.ts): counts the request against
 * its subject and answers 429 with Retry-After when the subject is over its limit. Senders that
 * retry (ServiceNow's webhook script, any well-behaved API client) wait at least that long.
 *
 * RateLimit-Limit / RateLimit-Remaining tell a client where it stands before it is refused.
 */
import type { Request, RequestHandler, Response } from 'express';
import { errorBody } from '../../errors';
import type { RateLimitDecision, RateLimiter } from '../../limits/rate-limiter';

export interface RateLimitOptions {
  readonly limiter: RateLimiter;
  /** What is limited, in the key and the log: 'webhook', 'api', 'login'. */
  readonly scope: string;
  /** Requests per window; 0 = this limit is off (the middleware then does nothing). */
  readonly limit: number;
  /** Who is counted: a client address, a token's name. */
  readonly subject: (req: Request, res: Response) => string;
  /** What the refused request is told; a JSON error body unless given. */
  readonly refuse?: (req: Request, res: Response, decision: RateLimitDecision) => void;
}

/** The address of the peer. `trust proxy` is off, so this is the socket's, never a header's. */
export function clientAddress(req: Request): string {
  return req.socket.remoteAddress ?? 'unknown';
}

export function rateLimit(options: RateLimitOptions): RequestHandler {
  if (options.limit <= 0) {
    return (_req, _res, next) => next();
  }
  return async (req, res, next) => {
    const subject = options.subject(req, res);
    const decision = await options.limiter.hit(options.scope, subject, options.limit);
    res.set('RateLimit-Limit', String(options.limit));
    res.set('RateLimit-Remaining', String(decision.remaining));
    if (decision.allowed) {
      next();
      return;
    }
    res.set('Retry-After', String(decision.retryAfterSeconds));
    res.locals.logger.warn(
      {
        rateLimit: {
          scope: options.scope,
          subject,
          limit: options.limit,
          retryAfter: decision.retryAfterSeconds,
        },
      },
      'rate limit reached',
    );
    if (options.refuse) {
      options.refuse(req, res, decision);
      return;
    }
    res
      .status(429)
      .json(
        errorBody(
          'rate_limited',
          `Too many requests: ${options.limit} per minute are allowed here; try again in ${decision.retryAfterSeconds} s`,
        ),
      );
  };
}
