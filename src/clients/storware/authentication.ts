/**
 * The session as callers see it (`/session`, docs/storware-api.md §2): logging in ahead of the
 * first call, probing the session and logging out. The cookie handling itself is session.ts.
 */
import type { StorwareCore } from './core';
import { toSessionInfo } from './normalize';
import type { SessionInfo } from './types';

export interface AuthenticationCalls {
  /**
   * Opens a session now (other calls do it lazily) and answers who Storware thinks we are.
   *
   * @throws UpstreamError retryable when the credentials are refused (an operator must fix them).
   */
  login(): Promise<SessionInfo>;

  /** Ends the session, if there is one. A session that already expired counts as ended. */
  logout(): Promise<void>;

  /**
   * True while the current session is valid (`GET /session` → 204). Never logs in: answers
   * false when there is no session or Storware refused it.
   */
  checkSession(): Promise<boolean>;
}

export function authenticationCalls(core: StorwareCore): AuthenticationCalls {
  const { session } = core;
  return {
    async login() {
      const response = await session.login();
      return toSessionInfo(response.data);
    },

    async logout() {
      if (!session.loggedIn) {
        return;
      }
      try {
        const response = await session.sendAsIs({
          operation: 'logout',
          method: 'POST',
          route: '/session/logout',
        });
        if (response.status !== 401) {
          core.ensureOk('logout', response);
        }
      } finally {
        session.forget();
      }
    },

    async checkSession() {
      if (!session.loggedIn) {
        return false;
      }
      const response = await session.sendAsIs({
        operation: 'checkSession',
        method: 'GET',
        route: '/session',
      });
      if (response.status === 401) {
        session.forget();
        return false;
      }
      core.ensureOk('checkSession', response);
      return true;
    },
  };
}
