/**
 * Who is calling the service API, the status page or the dashboard.
 *
 * - `Authorization: Bearer <token>`: a token from API_TOKENS, checked by the ops token verifier
 *   (hashed, constant-time). A header that is present but wrong is refused even when a session
 *   cookie is also sent: what a client says explicitly wins.
 * - The `sic_session` cookie, only where `sessions` is given (the browser pages). A cookie-borne
 *   request that changes something must come from our own origin: the cookie is SameSite=Strict
 *   already, and the Origin / Sec-Fetch-Site check is the second lock on the door.
 *
 * Failures: 401 with `WWW-Authenticate: Bearer` (RFC 6750; `error="invalid_token"` when a token
 * was presented), or for browser pages a redirect to the login form; 403 when the role may not do
 * this. Bodies come from the one error middleware.
 */
import type { Request, RequestHandler, Response } from 'express';
import { AuthenticationError, ForbiddenError } from '../../errors';
import { SESSION_COOKIE, type SessionStore } from './sessions';
import { mayAct, type Actor } from '../../ops/actor';
import type { TokenVerifier } from './tokens';

declare module 'express-serve-static-core' {
  interface Locals {
    /** Set by `authenticate` for every request it lets through. */
    actor?: Actor;
    /** How the actor was recognised. */
    authVia?: 'bearer' | 'session';
  }
}

const REALM = 'storware-itsm-connector';

export interface AuthOptions {
  readonly verifier: TokenVerifier;
  /** Accept the browser session cookie too. */
  readonly sessions?: SessionStore;
  /** Send a browser without credentials to this login path instead of answering 401. */
  readonly loginPath?: string;
}

/** The token of an `Authorization: Bearer …` header (scheme case-insensitive); undefined otherwise. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header ?? '');
  return match?.[1];
}

/** One cookie's value from a Cookie header, without a cookie-parser dependency. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) {
      return part.slice(index + 1).trim();
    }
  }
  return undefined;
}

function isSafeMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}

/** True when a browser says the request comes from another site (or another host). */
export function isCrossSite(req: Request): boolean {
  const fetchSite = req.get('sec-fetch-site');
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') {
    return true;
  }
  const origin = req.get('origin');
  if (origin === undefined) {
    return false;
  }
  try {
    return new URL(origin).host !== req.get('host');
  } catch {
    return true;
  }
}

function challenge(res: Response, error?: 'invalid_token'): void {
  res.set('WWW-Authenticate', `Bearer realm="${REALM}"${error ? `, error="${error}"` : ''}`);
}

export function authenticate(options: AuthOptions): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    if (header !== undefined) {
      const token = bearerToken(header);
      const actor = token === undefined ? undefined : options.verifier.verify(token);
      if (!actor) {
        challenge(res, 'invalid_token');
        next(new AuthenticationError('The bearer token is not valid', 'invalid_token'));
        return;
      }
      res.locals.actor = actor;
      res.locals.authVia = 'bearer';
      next();
      return;
    }
    const sessionId = options.sessions ? readCookie(req.get('cookie'), SESSION_COOKIE) : undefined;
    const actor = sessionId === undefined ? undefined : await options.sessions!.resolve(sessionId);
    if (actor) {
      if (!isSafeMethod(req.method) && isCrossSite(req)) {
        next(new ForbiddenError('Cross-site request refused', 'cross_site_request'));
        return;
      }
      res.locals.actor = actor;
      res.locals.authVia = 'session';
      next();
      return;
    }
    if (options.loginPath !== undefined && isSafeMethod(req.method)) {
      const back = encodeURIComponent(req.originalUrl);
      res.redirect(303, `${options.loginPath}?next=${back}`);
      return;
    }
    challenge(res);
    next(new AuthenticationError('Send Authorization: Bearer <token> with a token from API_TOKENS'));
  };
}

/** Lets only ops tokens through; agents get 403 with the reason. */
export function requireOps(): RequestHandler {
  return (_req, res, next) => {
    const actor = res.locals.actor;
    if (!actor) {
      challenge(res);
      next(new AuthenticationError());
      return;
    }
    if (!mayAct(actor)) {
      next(
        new ForbiddenError(
          `The token "${actor.name}" has the agent role, which reads but does not act; use an ops token`,
        ),
      );
      return;
    }
    next();
  };
}

/** The authenticated caller; only valid behind `authenticate`. */
export function actorOf(res: Response): Actor {
  const actor = res.locals.actor;
  if (!actor) {
    throw new TypeError('actorOf used on a route without authenticate()');
  }
  return actor;
}
