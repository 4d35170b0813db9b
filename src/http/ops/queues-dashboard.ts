/**
 * /ops/queues: the bull-board dashboard behind our own auth (bull-board has none).
 *
 * Two boards over the same queues, chosen per request by role: ops get the full board, agents a
 * board whose queues are all in bull-board's readOnlyMode. Read-only mode hides the buttons and
 * answers 405 to writes, but we do not rely on it alone: any non-GET request by an agent is
 * refused with 403 here, before bull-board sees it.
 *
 * Writes by ops (retry, promote, clean, remove, pause…) are recorded in the audit trail with who,
 * the action and its HTTP outcome. The dashboard asks no reason, so its retries are the quick
 * path; `POST /api/jobs/{id}/replay` (or the CLI) is the path with a reason, a fresh set of
 * attempts and a work note on the ticket.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type RequestHandler, type Router } from 'express';
import { ForbiddenError } from '../../errors';
import type { Queues } from '../../jobs/queues';
import type { AuditOutcome } from '../../ops/audit';
import type { OpsDeps } from '../../ops/deps';
import { reportOpsAction } from '../../observability/events';
import type { SessionStore } from '../auth/sessions';
import { mayAct, type Actor } from '../../ops/actor';
import type { TokenVerifier } from '../auth/tokens';
import { authenticate } from '../auth/middleware';

export const DASHBOARD_PATH = '/ops/queues';

export interface DashboardDeps {
  readonly queues: Queues;
  readonly ops: Pick<OpsDeps, 'audit' | 'logger'>;
  readonly verifier: TokenVerifier;
  readonly sessions: SessionStore;
  readonly basePath?: string;
}

function board(queues: Queues, basePath: string, readOnlyMode: boolean): RequestHandler {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(basePath);
  createBullBoard({
    queues: Object.values(queues).map((queue) => new BullMQAdapter(queue, { readOnlyMode })),
    // @bull-board/express 9.10.1 carries its own copy of @bull-board/api 9.10.1, whose private
    // fields make the two adapter types nominally different; at run time they are the same shape.
    serverAdapter: adapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: {
      uiConfig: { boardTitle: readOnlyMode ? 'Connector queues (read-only)' : 'Connector queues' },
    },
  });
  return adapter.getRouter() as RequestHandler;
}

function isWrite(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

export function queueDashboardRouter(deps: DashboardDeps): Router {
  const basePath = deps.basePath ?? DASHBOARD_PATH;
  const full = board(deps.queues, basePath, false);
  const readOnly = board(deps.queues, basePath, true);
  const router = express.Router();
  router.use(authenticate({ verifier: deps.verifier, sessions: deps.sessions, loginPath: '/status/login' }));

  const recordWrite = (actor: Actor, method: string, path: string, status: number) => {
    const outcome: AuditOutcome = status < 400 ? 'done' : status < 500 ? 'refused' : 'failed';
    const queue = /^\/api\/queues\/([^/]+)/.exec(path)?.[1];
    reportOpsAction('dashboard', outcome);
    void deps.ops.audit
      .record({
        actor,
        action: 'dashboard',
        outcome,
        reason: '(queue dashboard: no reason asked)',
        message: `${method} ${path} answered ${status}`,
        target: { method, path, ...(queue ? { queue: decodeURIComponent(queue) } : {}) },
      })
      .catch((error: unknown) => deps.ops.logger.error({ err: error }, 'audit record not written'));
  };

  router.use((req, res, next) => {
    const actor = res.locals.actor!;
    if (!mayAct(actor)) {
      if (isWrite(req.method)) {
        next(
          new ForbiddenError(
            `The token "${actor.name}" has the agent role; the queue dashboard is read-only for it`,
          ),
        );
        return;
      }
      readOnly(req, res, next);
      return;
    }
    if (isWrite(req.method)) {
      const path = req.path;
      res.on('finish', () => recordWrite(actor, req.method, path, res.statusCode));
    }
    full(req, res, next);
  });
  return router;
}
