/**
 * The HTTP application, without `listen`, so tests drive it with supertest and processes decide
 * where it listens. Routes added by later capabilities plug in through `routes`; the shell owns
 * what every route shares: request ids, access log, body limit, and the one error middleware.
 */
import express, { type Express, type Router } from 'express';
import type { Logger } from '../logger';
import { withTimeout } from '../util/with-timeout';
import { errorHandler, notFoundHandler } from './middleware/error-handler';
import { accessLog, requestId } from './middleware/request-context';

export interface ReadinessCheck {
  readonly name: string;
  /** Resolves when the dependency is usable; rejects (quickly) when it is not. */
  readonly check: () => Promise<void>;
}

export interface MountedRouter {
  readonly path: string;
  readonly router: Router;
}

export interface AppDeps {
  readonly logger: Logger;
  /** Largest JSON body accepted anywhere (bytes). */
  readonly maxBodyBytes: number;
  readonly readiness: readonly ReadinessCheck[];
  /** Routers mounted in order, before the 404 handler. */
  readonly routes?: readonly MountedRouter[];
  /** Per-check deadline for /readyz. */
  readonly readinessTimeoutMs?: number;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // Default JSON parsing for service routes. Routes that must see the raw bytes (the signed
  // webhook) mount their own parser before this one runs, see the intake router.
  app.set('json limit', deps.maxBodyBytes);

  app.use(requestId());
  app.use(accessLog(deps.logger));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const timeoutMs = deps.readinessTimeoutMs ?? 1_000;
    const results = await Promise.all(
      deps.readiness.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), timeoutMs, `no answer within ${timeoutMs} ms`);
          return { name, ok: true as const };
        } catch (error) {
          return { name, ok: false as const, error: (error as Error).message };
        }
      }),
    );
    const ready = results.every((r) => r.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: results });
  });

  for (const { path, router } of deps.routes ?? []) {
    app.use(path, router);
  }

  app.use(notFoundHandler());
  app.use(errorHandler(deps.logger));
  return app;
}
