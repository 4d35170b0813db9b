/**
 * The service API under /api: bearer tokens only (no cookies, so no CSRF surface for the JSON
 * endpoints), small JSON bodies, and the requests, jobs and audit routes.
 */
import express, { type Router } from 'express';
import type { RateLimiter } from '../../limits/rate-limiter';
import type { OpsDeps } from '../../ops/deps';
import type { TokenVerifier } from '../auth/tokens';
import { auditRouter } from './audit-route';
import { jobsRouter } from './jobs-route';
import { requestsRouter } from './requests-route';
import { authenticate } from '../auth/middleware';
import { rateLimit } from '../middleware/rate-limit';

export function serviceApiRouter(deps: {
  ops: OpsDeps;
  verifier: TokenVerifier;
  rateLimit?: { limiter: RateLimiter; perMinute: number };
}): Router {
  const router = express.Router();
  router.use(authenticate({ verifier: deps.verifier }));
  if (deps.rateLimit) {
    // Per token, after authentication: an unknown caller is refused before it costs a count.
    router.use(
      rateLimit({
        limiter: deps.rateLimit.limiter,
        scope: 'api',
        limit: deps.rateLimit.perMinute,
        subject: (_req, res) => res.locals.actor?.name ?? 'unknown',
      }),
    );
  }
  router.use(express.json({ limit: 16 * 1024 }));
  router.use(requestsRouter(deps.ops));
  router.use(jobsRouter(deps.ops));
  router.use(auditRouter(deps.ops));
  return router;
}
