/**
 * Cookie sessions (docs/storware-api.md §2): login answers 201 and sets a cookie; every other call
 * needs it. The real cookie name and timeout are undocumented, so the name is the common Java
 * default and the timeout is an idle timeout the tests can shorten to exercise the client's
 * re-login on 401.
 */
import type { SeededRandom } from './random';

export const SESSION_COOKIE = 'JSESSIONID';

export interface SimUser {
  readonly login: string;
  readonly password: string;
}

interface Session {
  readonly login: string;
  lastSeen: number;
}

/** Sessions by token, with an idle timeout on the injected clock. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly users: readonly SimUser[],
    private readonly ttlMs: number,
    private readonly rand: SeededRandom,
    private readonly now: () => number,
  ) {}

  /** A new session token, or undefined for unknown credentials. */
  login(login: unknown, password: unknown): string | undefined {
    const user = this.users.find((u) => u.login === login && u.password === password);
    if (!user) {
      return undefined;
    }
    const token = this.rand.hex(16).toUpperCase();
    this.sessions.set(token, { login: user.login, lastSeen: this.now() });
    return token;
  }

  /** The session's login if valid, refreshing its idle timer. */
  touch(token: string | undefined): string | undefined {
    if (token === undefined) {
      return undefined;
    }
    const session = this.sessions.get(token);
    if (!session) {
      return undefined;
    }
    const now = this.now();
    if (now - session.lastSeen > this.ttlMs) {
      this.sessions.delete(token);
      return undefined;
    }
    session.lastSeen = now;
    return session.login;
  }

  logout(token: string | undefined): void {
    if (token !== undefined) {
      this.sessions.delete(token);
    }
  }

  expireAll(): void {
    this.sessions.clear();
  }

  count(): number {
    return this.sessions.size;
  }
}

/** The session token from a Cookie header, if present. */
export function sessionTokenFrom(cookieHeader: string | string[] | undefined): string | undefined {
  const header = Array.isArray(cookieHeader) ? cookieHeader.join('; ') : cookieHeader;
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      return part.slice(eq + 1).trim();
    }
  }
  return undefined;
}
