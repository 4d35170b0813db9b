/**
 * /status: the agents' status page. Server-rendered HTML (src/http/status-page/html.ts), readable without
 * JavaScript, refreshing itself with a meta tag.
 *
 * Signing in: a bearer token works (curl, a reverse proxy that injects it), and for browsers the
 * login form exchanges a token for an opaque session cookie (src/http/auth/sessions.ts): HttpOnly,
 * SameSite=Strict, Secure when configured, Path=/ (the queue dashboard uses it too). The form
 * posts are refused when they come from another origin. Pages send a strict Content-Security-Policy
 * (no scripts at all, styles only from /status/style.css) and are never cached.
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { isTerminalState, REQUEST_STATES } from '../../ledger';
import type { OpsDeps } from '../../ops/deps';
import { findRequest, isRequestRef, normalizeRequestRef, requestDetail } from '../../ops/request-status';
import { overallProgress, requestSummaryView } from '../../ops/request-view';
import { SESSION_COOKIE, type SessionStore } from '../auth/sessions';
import type { TokenVerifier } from '../auth/tokens';
import { NotFoundError } from '../../errors';
import { pathParam } from '../api/params';
import type { RateLimiter } from '../../limits/rate-limiter';
import { authenticate, isCrossSite, readCookie } from '../auth/middleware';
import { clientAddress, rateLimit } from '../middleware/rate-limit';
import { homeBody, loginBody, notFoundBody, page, requestBody, requestHref } from './html';
import { STATUS_PAGE_CSS } from './style';

export interface StatusPageDeps {
  readonly ops: OpsDeps;
  readonly verifier: TokenVerifier;
  readonly sessions: SessionStore;
  readonly secureCookies: boolean;
  /** 0 turns the auto-refresh off. */
  readonly refreshSeconds: number;
  /** Sign-in attempts per client address and page views per signed-in actor, per minute. */
  readonly rateLimits?: { readonly limiter: RateLimiter; readonly login: number; readonly pages: number };
}

const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const ROWS = 25;

const homeQuery = z.object({
  q: z.string().max(64).optional(),
  state: z.enum(REQUEST_STATES).optional().catch(undefined),
  cursor: z.string().max(200).optional(),
});

function sendPage(res: Response, status: number, document: string): void {
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': CSP,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      // Same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on our own form
      // posts, which the cross-site check must refuse.
      'Referrer-Policy': 'same-origin',
    })
    .send(document);
}

/** Where to go after signing in: only our own pages, never another site (open redirect). */
export function safeNext(value: unknown): string {
  return typeof value === 'string' &&
    /^\/(?:status|ops\/queues)(?:[/?][^\s\\]*)?$/.test(value) &&
    !value.includes('//')
    ? value
    : '/status';
}

export function statusPageRouter(deps: StatusPageDeps): Router {
  const router = express.Router();
  const { ops } = deps;

  router.get('/style.css', (_req, res) => {
    res
      .set({ 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=300' })
      .send(STATUS_PAGE_CSS);
  });

  router.get('/login', (req, res) => {
    sendPage(res, 200, page({ title: 'Sign in' }, loginBody({ next: safeNext(req.query.next) })));
  });

  const limits = deps.rateLimits;
  router.post(
    '/login',
    // Guessing tokens through the form is slow: a few tries per minute per address, counted
    // before the form is even read.
    ...(limits
      ? [
          rateLimit({
            limiter: limits.limiter,
            scope: 'login',
            limit: limits.login,
            subject: clientAddress,
            refuse: (req, res, decision) =>
              sendPage(
                res,
                429,
                page(
                  { title: 'Sign in' },
                  loginBody({
                    next: safeNext(req.query.next),
                    error: `Too many sign-in attempts from your address. Try again in ${decision.retryAfterSeconds} seconds.`,
                  }),
                ),
              ),
          }),
        ]
      : []),
    express.urlencoded({ extended: false, limit: 4 * 1024 }),
    async (req: Request, res) => {
      if (isCrossSite(req)) {
        sendPage(
          res,
          403,
          page({ title: 'Sign in' }, loginBody({ next: '/status', error: 'Sign in from this page.' })),
        );
        return;
      }
      const body = (req.body ?? {}) as { token?: unknown; next?: unknown };
      const next = safeNext(body.next);
      const actor = typeof body.token === 'string' ? deps.verifier.verify(body.token.trim()) : undefined;
      if (!actor) {
        res.set('WWW-Authenticate', 'Bearer realm="storware-itsm-connector"');
        sendPage(
          res,
          401,
          page({ title: 'Sign in' }, loginBody({ next, error: 'That token is not valid.' })),
        );
        return;
      }
      const session = await deps.sessions.create(actor);
      res.cookie(SESSION_COOKIE, session, {
        httpOnly: true,
        sameSite: 'strict',
        secure: deps.secureCookies,
        path: '/',
        maxAge: deps.sessions.ttlSeconds * 1000,
      });
      res.locals.logger.info({ actor: actor.name, role: actor.role }, 'status page sign-in');
      res.redirect(303, next);
    },
  );

  router.post('/logout', async (req, res) => {
    const id = readCookie(req.get('cookie'), SESSION_COOKIE);
    if (id !== undefined && !isCrossSite(req)) {
      await deps.sessions.destroy(id);
    }
    res.clearCookie(SESSION_COOKIE, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.secureCookies,
    });
    res.redirect(303, '/status/login');
  });

  router.use(authenticate({ verifier: deps.verifier, sessions: deps.sessions, loginPath: '/status/login' }));
  if (limits) {
    router.use(
      rateLimit({
        limiter: limits.limiter,
        scope: 'pages',
        limit: limits.pages,
        subject: (_req, res) => res.locals.actor?.name ?? 'unknown',
      }),
    );
  }

  router.get('/', async (req, res) => {
    const actor = res.locals.actor;
    const parsed = homeQuery.safeParse(req.query);
    const query = parsed.success ? parsed.data : {};
    const q = (query.q ?? '').trim();
    let notice: string | undefined;
    let status = 200;
    if (q !== '') {
      if (!isRequestRef(normalizeRequestRef(q))) {
        notice = `"${q}" is not a ticket number (RITM…), a RITM sys_id or a request id.`;
        status = 400;
      } else {
        const entry = await findRequest(ops, q);
        if (entry) {
          res.redirect(303, requestHref(entry.number));
          return;
        }
        notice = `No request found for ${q}.`;
        status = 404;
      }
    }
    let listed;
    try {
      listed = await ops.ledger.list({ state: query.state, limit: ROWS, cursor: query.cursor });
    } catch {
      // A stale or hand-edited cursor: show the first page rather than an error page.
      listed = await ops.ledger.list({ state: query.state, limit: ROWS });
    }
    const entries = await Promise.all(listed.items.map((s) => ops.ledger.get(s.requestId)));
    const rows = listed.items.map((summary, i) => ({
      summary: requestSummaryView(summary),
      progress: overallProgress(entries[i] ?? { state: summary.state, tasks: {} }),
    }));
    sendPage(
      res,
      status,
      page(
        { title: 'Requests', actor, refreshSeconds: q === '' ? deps.refreshSeconds : 0 },
        homeBody({ query: q, state: query.state, rows, nextCursor: listed.nextCursor, notice }),
      ),
    );
  });

  router.get('/requests/:number', async (req, res) => {
    const actor = res.locals.actor;
    const ref = pathParam(req.params, 'number');
    if (!isRequestRef(normalizeRequestRef(ref))) {
      sendPage(res, 404, page({ title: 'Not found', actor }, notFoundBody(ref)));
      return;
    }
    try {
      const detail = await requestDetail(ops, ref);
      const finished = isTerminalState(detail.state);
      // A finished request changes no more; an open one is worth watching.
      const refresh = finished && detail.ticketUpdates.pending.length === 0 ? 0 : deps.refreshSeconds;
      sendPage(res, 200, page({ title: detail.ticket, actor, refreshSeconds: refresh }, requestBody(detail)));
    } catch (error) {
      if (error instanceof NotFoundError) {
        sendPage(res, 404, page({ title: 'Not found', actor }, notFoundBody(ref)));
        return;
      }
      throw error;
    }
  });

  return router;
}
