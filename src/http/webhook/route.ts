/**
 * POST /webhooks/servicenow: the thin HTTP side of the intake. It reads the raw bytes (the
 * signature is over them, so no JSON parser may run first), hands them to the intake service and
 * maps the outcome to the contract in spec/connector.openapi.yaml with an exhaustive switch. One
 * log line per outcome, with the ids an operator searches by; never the body's variables, never
 * the signature (the header is redacted by the logger as well).
 */
import express, { type ErrorRequestHandler, type Response, type Router } from 'express';
import type { components } from '../../../spec/generated/connector';
import { errorBody } from '../../errors';
import type { Intake, IntakeOutcome } from '../../intake/intake';
import type { RateLimiter } from '../../limits/rate-limiter';
import { clientAddress, rateLimit } from '../middleware/rate-limit';

type WebhookAnswer = components['schemas']['WebhookAnswer'];
type ErrorAnswer = components['schemas']['ErrorBody'];

export interface WebhookRouteDeps {
  readonly intake: Intake;
  /** Largest body accepted, in bytes (WEBHOOK_MAX_BODY_BYTES). */
  readonly maxBodyBytes: number;
  /** Deliveries per minute per sending address (RATE_LIMIT_WEBHOOK_PER_MINUTE); 0 = off. */
  readonly rateLimit?: { readonly limiter: RateLimiter; readonly perMinute: number };
}

function sendError(res: Response, status: number, body: ErrorAnswer): void {
  res.status(status).json(body);
}

/** The body of a 202 or 200: the same for a first delivery and its duplicates. */
function answer(outcome: {
  requestId: string;
  ticket: string;
  status: WebhookAnswer['status'];
}): WebhookAnswer {
  return { requestId: outcome.requestId, ticket: outcome.ticket, status: outcome.status };
}

function respond(res: Response, outcome: IntakeOutcome): void {
  const log = res.locals.logger;
  switch (outcome.kind) {
    case 'accepted': {
      log.info(
        {
          webhook: {
            outcome: outcome.kind,
            requestId: outcome.requestId,
            ticket: outcome.ticket,
            event: outcome.event,
            item: outcome.item,
            action: outcome.action,
          },
        },
        'webhook accepted',
      );
      res.status(202).json(answer(outcome));
      return;
    }
    case 'duplicate': {
      log.info(
        {
          webhook: {
            outcome: outcome.kind,
            requestId: outcome.requestId,
            ticket: outcome.ticket,
            reason: outcome.reason,
          },
        },
        'webhook duplicate',
      );
      res.status(200).json(answer(outcome));
      return;
    }
    case 'invalid':
      // Paths only: the messages are the catalog's own words, but the values stay out of logs.
      log.warn(
        {
          webhook: {
            outcome: outcome.kind,
            code: outcome.code,
            status: outcome.status,
            fields: outcome.details.map((d) => d.path),
          },
        },
        'webhook refused',
      );
      sendError(res, outcome.status, errorBody(outcome.code, outcome.message, outcome.details));
      return;
    case 'unauthenticated':
      log.warn({ webhook: { outcome: outcome.kind, code: outcome.code } }, 'webhook not authenticated');
      sendError(res, 401, errorBody(outcome.code, outcome.message));
      return;
    case 'unavailable':
      log.error(
        { webhook: { outcome: outcome.kind, stage: outcome.stage }, err: outcome.cause },
        'webhook not taken',
      );
      res.setHeader('Retry-After', String(outcome.retryAfterSeconds));
      sendError(res, 503, errorBody('unavailable', outcome.message));
      return;
  }
}

/** Errors of the raw body reader on this route, answered and logged here like any outcome. */
const bodyReadErrors: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  const type = (error as { type?: unknown } | null)?.type;
  const limit = (error as { limit?: unknown } | null)?.limit;
  if (type === 'entity.too.large') {
    res.locals.logger.warn(
      { webhook: { outcome: 'invalid', code: 'payload_too_large', status: 413 } },
      'webhook refused',
    );
    sendError(
      res,
      413,
      errorBody('payload_too_large', `Body is larger than the ${String(limit)} byte limit`),
    );
    return;
  }
  if (type === 'encoding.unsupported') {
    res.locals.logger.warn(
      { webhook: { outcome: 'invalid', code: 'unsupported_encoding', status: 415 } },
      'webhook refused',
    );
    sendError(res, 415, errorBody('unsupported_encoding', 'Send the body without Content-Encoding'));
    return;
  }
  next(error);
};

export function webhookRouter(deps: WebhookRouteDeps): Router {
  const router = express.Router();
  if (deps.rateLimit) {
    // Counted before the body is read or the signature checked, so a flood of any kind costs one
    // Redis round trip per request and nothing more.
    router.use(
      rateLimit({
        limiter: deps.rateLimit.limiter,
        scope: 'webhook',
        limit: deps.rateLimit.perMinute,
        subject: clientAddress,
      }),
    );
  }
  router.post(
    '/',
    // Any content type is read as bytes here; the intake decides what it accepts (415). Compressed
    // bodies are refused: the signature covers the bytes sent, and ServiceNow does not compress.
    express.raw({ type: () => true, limit: deps.maxBodyBytes, inflate: false }),
    async (req, res) => {
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const outcome = await deps.intake.accept({
        headers: req.headers,
        rawBody,
        contentType: req.get('content-type'),
      });
      respond(res, outcome);
    },
  );
  router.use(bodyReadErrors);
  return router;
}
