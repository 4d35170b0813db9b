/**
 * Everything the service desk and ops reach over HTTP, as routers for `createApp({ routes })`:
 * the service API (/api), the status page (/status), the queue dashboard (/ops/queues) and the
 * metrics (/metrics). src/processes/api.ts builds the dependencies and mounts these.
 */
import type { Queues } from '../../jobs/queues';
import type { RateLimiter } from '../../limits/rate-limiter';
import type { OpsDeps } from '../../ops/deps';
import type { ConnectorMetrics } from '../../ops/metrics';
import type { OpsOptions } from '../../ops/options';
import type { SessionStore } from '../auth/sessions';
import type { TokenVerifier } from '../auth/tokens';
import type { MountedRouter } from '../app';
import { serviceApiRouter } from '../api/router';
import { metricsRouter } from './metrics-route';
import { DASHBOARD_PATH, queueDashboardRouter } from './queues-dashboard';
import { statusPageRouter } from '../status-page/route';

export interface OpsRoutesDeps {
  readonly ops: OpsDeps;
  readonly queues: Queues;
  readonly verifier: TokenVerifier;
  readonly sessions: SessionStore;
  readonly metrics: ConnectorMetrics;
  readonly options: OpsOptions;
  /** Per-minute limits (0 = off): the service API per token, the status pages per actor, sign-in per address. */
  readonly rateLimits?: {
    readonly limiter: RateLimiter;
    readonly api: number;
    readonly login: number;
  };
}

export function opsRoutes(deps: OpsRoutesDeps): MountedRouter[] {
  return [
    {
      path: '/api',
      router: serviceApiRouter({
        ops: deps.ops,
        verifier: deps.verifier,
        rateLimit: deps.rateLimits && { limiter: deps.rateLimits.limiter, perMinute: deps.rateLimits.api },
      }),
    },
    {
      path: '/status',
      router: statusPageRouter({
        ops: deps.ops,
        verifier: deps.verifier,
        sessions: deps.sessions,
        secureCookies: deps.options.secureCookies,
        refreshSeconds: deps.options.statusRefreshSeconds,
        rateLimits: deps.rateLimits && {
          limiter: deps.rateLimits.limiter,
          login: deps.rateLimits.login,
          pages: deps.rateLimits.api,
        },
      }),
    },
    {
      path: DASHBOARD_PATH,
      router: queueDashboardRouter({
        queues: deps.queues,
        ops: deps.ops,
        verifier: deps.verifier,
        sessions: deps.sessions,
      }),
    },
    {
      path: '/metrics',
      router: metricsRouter({
        metrics: deps.metrics,
        verifier: deps.verifier,
        public: deps.options.metricsPublic,
      }),
    },
  ];
}
