/**
 * Credentials for every Table API call (docs/servicenow.md §1 "Authentication").
 *
 * - Basic: a fixed header; nothing to refresh, so a 401 is final for that call.
 * - OAuth 2 (`password` or `client_credentials` grant): `POST /oauth_token.do`, form-encoded (JSON
 *   bodies are refused there). The token is cached and replaced ahead of expiry, 60 s early as the
 *   ansible collection does, or halfway through its life when that is shorter than two minutes.
 *   The password grant also returns a refresh token, used first for the next token; ServiceNow
 *   re-issues the *same* access token when the original grant is repeated inside its lifetime, so
 *   the refresh grant is also what gets a genuinely new one. After a 401 the client discards the
 *   token it used and asks once more (see `invalidate`).
 *
 * Concurrent calls share one token request. Secrets live only in the closure: never logged, never
 * in an error (token failures carry the status and ServiceNow's `error_description` only).
 */
import type { components } from '../../../spec/generated/servicenow';
import type { ServiceNowAuth } from '../../config';
import { UpstreamError } from '../../errors';
import type { Logger } from '../../logger';
import {
  failureFromResponse,
  malformedAnswer,
  remoteMessageOf,
  unexpectedContent,
  type CallContext,
} from './errors';
import type { Transport } from './http';

type TokenResponse = components['schemas']['TokenResponse'];
type TokenRequest = components['schemas']['TokenRequest'];

export interface Authenticator {
  /** The Authorization header value for the next call. */
  authorization(): Promise<string>;
  /**
   * Called after a 401 with the header that was refused. Drops that token (a newer one fetched by
   * a concurrent call is kept) and says whether asking again with fresh credentials can help.
   */
  invalidate(refused: string): boolean;
}

/** What the authenticator needs: the configured credentials, a transport for the token endpoint, a clock. */
export interface AuthenticatorOptions {
  readonly auth: ServiceNowAuth;
  readonly transport: Transport;
  readonly now: () => number;
  readonly logger: Logger;
}

interface CachedToken {
  readonly header: string;
  readonly refreshAtMs: number;
}

const TOKEN_CONTEXT: CallContext = { operation: 'oauth.token', method: 'POST' };
const EARLY_REFRESH_MS = 60_000;

type OAuthCredentials = Exclude<ServiceNowAuth, { kind: 'basic' }>;

/** Basic auth when configured so, else an OAuth token cache for the password or client-credentials grant. */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  if (options.auth.kind === 'basic') {
    const auth = options.auth;
    const header = `Basic ${Buffer.from(`${auth.user}:${auth.password}`, 'utf8').toString('base64')}`;
    return {
      authorization: () => Promise.resolve(header),
      invalidate: () => false,
    };
  }

  // Narrowed once here: closures below do not keep the narrowing of `options.auth`.
  const auth: OAuthCredentials = options.auth;
  const log = options.logger.child({ component: 'servicenow-auth', grant: auth.kind });
  let cached: CachedToken | undefined;
  // Survives `invalidate`: a revoked access token does not mean a revoked refresh token.
  let refreshToken: string | undefined;
  let pending: Promise<CachedToken> | undefined;

  function originalGrant(): TokenRequest {
    return auth.kind === 'oauth-password'
      ? {
          grant_type: 'password',
          client_id: auth.clientId,
          client_secret: auth.clientSecret,
          username: auth.user,
          password: auth.password,
        }
      : { grant_type: 'client_credentials', client_id: auth.clientId, client_secret: auth.clientSecret };
  }

  async function requestToken(form: TokenRequest): Promise<CachedToken> {
    const fields = Object.entries(form).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    );
    const response = await options.transport.send({
      ...TOKEN_CONTEXT,
      path: '/oauth_token.do',
      body: new URLSearchParams(fields).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    });
    if (response.status === 400 || response.status === 401) {
      // Wrong client or user credentials, or a grant the instance does not allow: ops must fix
      // the configuration; the work itself is fine and can be replayed (see errors.ts).
      throw new UpstreamError('servicenow', `ServiceNow refused the OAuth ${form.grant_type} grant`, {
        status: response.status,
        retryable: true,
        remoteMessage: remoteMessageOf(response.text),
        operation: TOKEN_CONTEXT.operation,
      });
    }
    if (response.status !== 200) {
      throw failureFromResponse(TOKEN_CONTEXT, response, options.now());
    }
    if (!(response.headers['content-type'] ?? '').includes('json')) {
      throw unexpectedContent(TOKEN_CONTEXT, response);
    }
    let body: Partial<TokenResponse>;
    try {
      body = JSON.parse(response.text) as Partial<TokenResponse>;
    } catch {
      throw unexpectedContent(TOKEN_CONTEXT, response);
    }
    const expiresIn = Number(body.expires_in);
    if (typeof body.access_token !== 'string' || body.access_token === '' || !(expiresIn > 0)) {
      throw malformedAnswer(TOKEN_CONTEXT, 'a token answer without access_token or expires_in');
    }
    const lifetimeMs = expiresIn * 1000;
    const margin = Math.min(EARLY_REFRESH_MS, lifetimeMs / 2);
    if (typeof body.refresh_token === 'string' && body.refresh_token !== '') {
      refreshToken = body.refresh_token;
    }
    log.debug({ expiresIn }, 'servicenow token obtained');
    return {
      header: `Bearer ${body.access_token}`,
      refreshAtMs: options.now() + lifetimeMs - margin,
    };
  }

  async function obtain(): Promise<CachedToken> {
    if (auth.kind === 'oauth-password' && refreshToken !== undefined) {
      try {
        return await requestToken({
          grant_type: 'refresh_token',
          client_id: auth.clientId,
          client_secret: auth.clientSecret,
          refresh_token: refreshToken,
        });
      } catch (error) {
        // An expired or revoked refresh token is normal after 100 days or a revocation: fall
        // back to the password grant. Anything else (network, 5xx) is reported as it is.
        if (!(error instanceof UpstreamError && (error.status === 400 || error.status === 401))) {
          throw error;
        }
        refreshToken = undefined;
        log.debug('servicenow refresh token refused; using the password grant');
      }
    }
    return requestToken(originalGrant());
  }

  return {
    async authorization() {
      if (cached !== undefined && options.now() < cached.refreshAtMs) {
        return cached.header;
      }
      pending ??= obtain().finally(() => {
        pending = undefined;
      });
      cached = await pending;
      return cached.header;
    },
    invalidate(refused) {
      if (cached?.header === refused) {
        cached = undefined;
      }
      return true;
    },
  };
}
