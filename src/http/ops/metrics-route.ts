/**
 * GET /metrics (Prometheus text format). Any API token may read it; with METRICS_PUBLIC=true no
 * token is asked, for a scrape network only Prometheus reaches.
 */
import express, { type Router } from 'express';
import type { ConnectorMetrics } from '../../ops/metrics';
import type { TokenVerifier } from '../auth/tokens';
import { authenticate } from '../auth/middleware';

export function metricsRouter(deps: {
  metrics: ConnectorMetrics;
  verifier: TokenVerifier;
  public: boolean;
}): Router {
  const router = express.Router();
  if (!deps.public) {
    router.use(authenticate({ verifier: deps.verifier }));
  }
  router.get('/', async (_req, res) => {
    const text = await deps.metrics.render();
    res.set('Content-Type', deps.metrics.contentType).set('Cache-Control', 'no-store').send(text);
  });
  return router;
}
