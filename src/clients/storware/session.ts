/**
 * Storware's cookie session (docs/storware-api.md §2): `POST /session/login` answers 201 and sets the
 * cookie; any call without a valid session answers 401, after which a client logs in again and
 * retries. No public client implements that retry (the Horizon plugin logs in on every call), so
 * this is the one place it lives:
 *
 * - login happens lazily, on the first call, and concurrent callers share one login;
 * - a 401 causes exactly one re-login and one retry of that call; a second 401 is an error
 *   (retryable: the server may be mid-restart). Retrying is safe even for a POST that creates a
 *   task: a 401 means the server refused the call before acting on it;
 * - if another call already logged in again while this one was in flight, the retry reuses that
 *   session instead of logging in a second time.
 */
import type { Logger } from '../../logger';
import { CookieJar } from './cookie-jar';
import { type Scrub, httpFailure, loginRefused, unexpectedAnswer } from './errors';
import type { StorwareRequest, StorwareResponse, StorwareTransport } from './http';

export interface Credentials {
  readonly user: string;
  readonly password: string;
}

/** One client's session: cookie jar, lazy single-flight login, one re-login per refused call. */
export class StorwareSession {
  private readonly jar = new CookieJar();
  /** Counts successful logins, so a caller can tell whether someone logged in again meanwhile. */
  private generation = 0;
  private active = false;
  private loginInFlight: Promise<StorwareResponse> | undefined;

  constructor(
    private readonly transport: StorwareTransport,
    private readonly credentials: Credentials,
    private readonly logger: Logger,
    private readonly scrub: Scrub,
  ) {}

  /** Cookie values currently held, for scrubbing. */
  secrets(): string[] {
    return this.jar.values();
  }

  get loggedIn(): boolean {
    return this.active;
  }

  /** Logs in now (replacing any session) and answers the login body. */
  async login(): Promise<StorwareResponse> {
    if (this.loginInFlight) {
      return this.loginInFlight;
    }
    this.loginInFlight = this.doLogin();
    try {
      return await this.loginInFlight;
    } finally {
      this.loginInFlight = undefined;
    }
  }

  /** Sends a call with the session, logging in first or again as needed. */
  async send(request: StorwareRequest): Promise<StorwareResponse> {
    if (!this.active) {
      await this.login();
    }
    const sentWith = this.generation;
    const first = await this.transport.send(request, this.jar.header());
    this.jar.store(first.headers['set-cookie'] as string | string[] | undefined);
    if (first.status !== 401) {
      return first;
    }
    this.logger.debug({ op: request.operation }, 'storware session refused; logging in again');
    if (this.generation === sentWith) {
      await this.login();
    } else if (this.loginInFlight) {
      await this.loginInFlight;
    }
    const second = await this.transport.send(request, this.jar.header());
    this.jar.store(second.headers['set-cookie'] as string | string[] | undefined);
    return second;
  }

  /** Sends without a session and without re-login (logout, session probe). */
  async sendAsIs(request: StorwareRequest): Promise<StorwareResponse> {
    const response = await this.transport.send(request, this.jar.header());
    this.jar.store(response.headers['set-cookie'] as string | string[] | undefined);
    return response;
  }

  forget(): void {
    this.jar.clear();
    this.active = false;
  }

  private async doLogin(): Promise<StorwareResponse> {
    // A stale cookie must not ride along: some servers keep the old session when one is sent.
    this.jar.clear();
    this.active = false;
    const response = await this.transport.send(
      {
        operation: 'login',
        method: 'POST',
        route: '/session/login',
        body: { login: this.credentials.user, password: this.credentials.password },
      },
      undefined,
    );
    if (response.status === 401 || response.status === 403) {
      throw loginRefused(response.status, response.data, this.scrub);
    }
    if (response.status < 200 || response.status >= 300) {
      throw httpFailure('login', response.status, response.headers, response.data, this.scrub);
    }
    this.jar.store(response.headers['set-cookie'] as string | string[] | undefined);
    if (this.jar.size === 0) {
      throw unexpectedAnswer('login', 'no session cookie was set');
    }
    this.generation += 1;
    this.active = true;
    this.logger.debug({ op: 'login' }, 'storware session opened');
    return response;
  }
}
