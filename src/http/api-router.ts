/**
 * The service API under /api: bearer tokens only (no cookies, so no CSRF surface for the JSON
 * endpoints), small JSON bodies, and the requests, jobs and audit routes.
 */
import express, { type Router } from 'express';
import type { OpsDeps } from '../ops/deps';
import type { TokenVerifier } from '../ops/tokens';
import { auditRouter } from './api-audit-route';
import { jobsRouter } from './api-jobs-route';
import { requestsRouter } from './api-requests-route';
import { authenticate } from './middleware/auth';

export function serviceApiRouter(deps: { ops: OpsDeps; verifier: TokenVerifier }): Router {
  const router = express.Router();
  router.use(authenticate({ verifier: deps.verifier }));
  router.use(express.json({ limit: 16 * 1024 }));
  router.use(requestsRouter(deps.ops));
  router.use(jobsRouter(deps.ops));
  router.use(auditRouter(deps.ops));
  return router;
}
