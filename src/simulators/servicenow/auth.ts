/**
 * Who is calling (docs/servicenow.md §1 "Authentication"): basic auth against configured passwords, OAuth 2
 * bearer tokens from `/oauth_token.do`, and `x-sn-apikey` keys. Every identity is a `sys_user`
 * row, active, found by `user_name`.
 *
 * The token endpoint takes form-encoded bodies only; grants `password` (access + refresh token),
 * `refresh_token` (a new access token) and `client_credentials` (for the client's OAuth
 * Application User; no refresh token [I]). Access tokens live 1800 s unless configured otherwise,
 * refresh tokens 100 days, and repeating a `password` or `client_credentials` grant while the
 * previous access token is still valid returns that same token with its remaining lifetime
 * (docs/servicenow.md §1: asking again within the lifetime returns the same token).
 *
 * Failures answer as an instance does: the Table API with the 401 envelope
 * "User Not Authenticated" / "Required to provide Auth information" [O]; the token endpoint with
 * 401 `{"error":"server_error","error_description":"access_denied"}` [I: what instances send,
 * not in docs/servicenow.md].
 */
import type { IncomingHttpHeaders } from 'node:http';
import { json, type SimResponse } from '../http-kit';
import type { IdSource } from './ids';
import type { TableStore } from './tables';

export interface OAuthClient {
  readonly secret: string;
  /** `user_name` of the OAuth Application User that client_credentials tokens act as. */
  readonly user: string;
}

export interface SimCredentials {
  /** user_name → password, for basic auth and the password grant. */
  readonly users: Readonly<Record<string, string>>;
  /** client_id → client. */
  readonly oauthClients: Readonly<Record<string, OAuthClient>>;
  /** API key → user_name. */
  readonly apiKeys: Readonly<Record<string, string>>;
}

export const DEFAULT_TOKEN_TTL_SECONDS = 1800;
const REFRESH_TTL_SECONDS = 8_640_000;

export const UNAUTHENTICATED_BODY = {
  error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' },
  status: 'failure',
};

export function unauthenticated(): SimResponse {
  return json(401, UNAUTHENTICATED_BODY, { 'WWW-Authenticate': 'BASIC realm="Service-now"' });
}

const TOKEN_REFUSED = { error: 'server_error', error_description: 'access_denied' };

interface IssuedToken {
  readonly user: string;
  readonly clientId: string;
  readonly expiresAtMs: number;
}

export interface SimAuth {
  /** The calling user's `user_name`, or undefined when the request is not authenticated. */
  authenticate(headers: IncomingHttpHeaders): string | undefined;
  /** `POST /oauth_token.do`. */
  tokenEndpoint(headers: IncomingHttpHeaders, body: unknown): SimResponse;
  /** Forgets every access token (refresh tokens stay valid), as revoking them on the instance does. */
  revokeAccessTokens(): void;
  /** Forgets every token, access and refresh. */
  revokeAllTokens(): void;
  setTokenTtl(seconds: number): void;
}

export function createSimAuth(options: {
  readonly credentials: SimCredentials;
  readonly store: TableStore;
  readonly ids: IdSource;
  readonly now: () => number;
  readonly tokenTtlSeconds: number;
}): SimAuth {
  const { credentials, store, ids, now } = options;
  let ttlSeconds = options.tokenTtlSeconds;
  const access = new Map<string, IssuedToken>();
  const refresh = new Map<string, IssuedToken>();
  // (grant, client, user) → the access token to hand out again while it is valid.
  const current = new Map<string, string>();

  function activeUser(userName: string): boolean {
    const id = store.userIdByName(userName);
    return id !== undefined && store.get('sys_user', id)?.active === 'true';
  }

  function issue(grant: string, clientId: string, user: string, withRefresh: boolean): SimResponse {
    const key = `${grant}|${clientId}|${user}`;
    const existing = current.get(key);
    const existingToken = existing === undefined ? undefined : access.get(existing);
    let token: string;
    let expiresAtMs: number;
    if (
      existing !== undefined &&
      existingToken !== undefined &&
      existingToken.expiresAtMs > now() &&
      grant !== 'refresh_token'
    ) {
      token = existing;
      expiresAtMs = existingToken.expiresAtMs;
    } else {
      token = ids.token(86);
      expiresAtMs = now() + ttlSeconds * 1000;
      access.set(token, { user, clientId, expiresAtMs });
      current.set(key, token);
    }
    const body: Record<string, unknown> = {
      access_token: token,
      scope: 'useraccount',
      token_type: 'Bearer',
      expires_in: Math.max(1, Math.floor((expiresAtMs - now()) / 1000)),
    };
    if (withRefresh) {
      const refreshToken = ids.token(86);
      refresh.set(refreshToken, { user, clientId, expiresAtMs: now() + REFRESH_TTL_SECONDS * 1000 });
      body.refresh_token = refreshToken;
    }
    return json(200, body);
  }

  function basicUser(header: string): string | undefined {
    const decoded = Buffer.from(header.slice('Basic '.length).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) {
      return undefined;
    }
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const expected = Object.prototype.hasOwnProperty.call(credentials.users, user)
      ? credentials.users[user]
      : undefined;
    return expected !== undefined && expected === password ? user : undefined;
  }

  return {
    authenticate(headers) {
      let user: string | undefined;
      const authorization = headers.authorization ?? '';
      if (/^Basic /i.test(authorization)) {
        user = basicUser(authorization);
      } else if (/^Bearer /i.test(authorization)) {
        const token = access.get(authorization.slice('Bearer '.length).trim());
        user = token !== undefined && token.expiresAtMs > now() ? token.user : undefined;
      } else {
        const key = headers['x-sn-apikey'];
        if (typeof key === 'string' && Object.prototype.hasOwnProperty.call(credentials.apiKeys, key)) {
          user = credentials.apiKeys[key];
        }
      }
      return user !== undefined && activeUser(user) ? user : undefined;
    },

    tokenEndpoint(headers, body) {
      // JSON bodies are refused: the endpoint reads form parameters only (docs/servicenow.md §1).
      if (
        !(headers['content-type'] ?? '').includes('application/x-www-form-urlencoded') ||
        body === undefined
      ) {
        return json(401, TOKEN_REFUSED);
      }
      const form = body as Record<string, string | undefined>;
      const clientId = form.client_id ?? '';
      const client = Object.prototype.hasOwnProperty.call(credentials.oauthClients, clientId)
        ? credentials.oauthClients[clientId]
        : undefined;
      if (client === undefined || client.secret !== form.client_secret) {
        return json(401, TOKEN_REFUSED);
      }
      switch (form.grant_type ?? '') {
        case 'password': {
          const user = form.username ?? '';
          const known = Object.prototype.hasOwnProperty.call(credentials.users, user)
            ? credentials.users[user]
            : undefined;
          if (known === undefined || known !== form.password || !activeUser(user)) {
            return json(401, TOKEN_REFUSED);
          }
          return issue('password', clientId, user, true);
        }
        case 'refresh_token': {
          const stored = refresh.get(form.refresh_token ?? '');
          if (
            stored === undefined ||
            stored.clientId !== clientId ||
            stored.expiresAtMs <= now() ||
            !activeUser(stored.user)
          ) {
            return json(401, TOKEN_REFUSED);
          }
          return issue('refresh_token', clientId, stored.user, false);
        }
        case 'client_credentials':
          return activeUser(client.user)
            ? issue('client_credentials', clientId, client.user, false)
            : json(401, TOKEN_REFUSED);
        default:
          return json(401, TOKEN_REFUSED);
      }
    },

    revokeAccessTokens() {
      access.clear();
      current.clear();
    },

    revokeAllTokens() {
      access.clear();
      refresh.clear();
      current.clear();
    },

    setTokenTtl(seconds) {
      ttlSeconds = seconds;
    },
  };
}
