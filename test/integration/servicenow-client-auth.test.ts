/**
 * Client authentication against the simulator (docs/servicenow.md §1 "Authentication"): basic, OAuth 2
 * password and client-credentials grants (form-encoded), token caching and early refresh, one
 * forced refresh + retry after a 401, and no secret in any error or log line.
 */
import { createServiceNowClient } from '../../src/clients/servicenow';
import { UpstreamError } from '../../src/errors';
import { FIXTURE } from '../../src/simulators/fixture-ids';
import {
  BASIC_AUTH,
  captureLogs,
  CLIENT_CREDENTIALS,
  errorText,
  PASSWORD_GRANT,
  rejectionOf,
  SECRETS,
  startPair,
  testClock,
  type Pair,
} from '../helpers/servicenow-harness';

const ALICE = FIXTURE.users.alice.sysId;
const TOKEN_PATH = '/oauth_token.do';
const USER_PATH = `/api/now/table/sys_user/${ALICE}`;

function authorizationOf(pair: Pair, path: string): string[] {
  return pair.sim.http.calls({ path }).map((c) => String(c.headers.authorization));
}

describe('ServiceNow client authentication', () => {
  let pair: Pair | undefined;

  afterEach(async () => {
    await pair?.close();
    pair = undefined;
  });

  describe('basic', () => {
    it('when configured, then every call carries the Basic header and no token is requested', async () => {
      pair = await startPair({ auth: BASIC_AUTH });

      await pair.client.getUser(ALICE);

      const expected = `Basic ${Buffer.from(`${BASIC_AUTH.kind === 'basic' ? BASIC_AUTH.user : ''}:${SECRETS[0]}`).toString('base64')}`;
      expect(authorizationOf(pair, USER_PATH)).toEqual([expected]);
      expect(pair.sim.http.calls({ path: TOKEN_PATH })).toHaveLength(0);
    });

    it('when the password is wrong, then one call is made and the 401 is retryable with the real texts (docs/servicenow.md §1)', async () => {
      pair = await startPair({
        auth: { kind: 'basic', user: 'svc.storware', password: 'wrong-password-123' },
      });

      const error = await rejectionOf(pair.client.getUser(ALICE));

      expect(error).toBeInstanceOf(UpstreamError);
      expect(error).toMatchObject({
        status: 401,
        retryable: true,
        remoteMessage: 'User Not Authenticated: Required to provide Auth information',
      });
      expect(pair.sim.http.calls({ path: USER_PATH })).toHaveLength(1);
      expect(errorText(error)).not.toContain('wrong-password-123');
    });
  });

  describe('OAuth password grant', () => {
    it('when the first call is made, then a form-encoded password grant precedes it and the token is reused', async () => {
      pair = await startPair({ auth: PASSWORD_GRANT });

      await pair.client.getUser(ALICE);
      await pair.client.getCompany(FIXTURE.companies.acme.sysId);

      const tokenCalls = pair.sim.http.calls({ path: TOKEN_PATH });
      expect(tokenCalls).toHaveLength(1);
      expect(tokenCalls[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(tokenCalls[0]?.body).toEqual({
        grant_type: 'password',
        client_id: 'storware-itsm-connector',
        client_secret: SECRETS[1],
        username: 'svc.storware',
        password: SECRETS[0],
      });
      const [bearer] = authorizationOf(pair, USER_PATH);
      expect(bearer).toMatch(/^Bearer [0-9a-f]{86}$/);
      expect(pair.sim.http.calls({ path: /core_company/ })[0]?.headers.authorization).toBe(bearer);
    });

    it('when the token is within 60 s of expiry, then it is refreshed with the refresh token before the call', async () => {
      pair = await startPair({ auth: PASSWORD_GRANT });
      await pair.client.getUser(ALICE);
      const [first] = authorizationOf(pair, USER_PATH);

      pair.clock.advance((1800 - 59) * 1000);
      await pair.client.getUser(ALICE);

      const tokenCalls = pair.sim.http.calls({ path: TOKEN_PATH });
      expect(tokenCalls.map((c) => (c.body as Record<string, string>).grant_type)).toEqual([
        'password',
        'refresh_token',
      ]);
      const [, second] = authorizationOf(pair, USER_PATH);
      expect(second).not.toBe(first);
      expect(pair.sim.http.calls().filter((c) => c.status === 401)).toHaveLength(0);
    });

    it('when the access token was revoked, then one 401 leads to one refresh and one successful retry', async () => {
      pair = await startPair({ auth: PASSWORD_GRANT });
      await pair.client.getUser(ALICE);
      pair.sim.revokeAccessTokens();
      pair.sim.http.clearCalls();

      await expect(pair.client.getUser(ALICE)).resolves.toEqual(expect.objectContaining({ sysId: ALICE }));

      expect(pair.sim.http.calls().map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
        `GET ${USER_PATH} 401`,
        `POST ${TOKEN_PATH} 200`,
        `GET ${USER_PATH} 200`,
      ]);
      expect((pair.sim.http.calls({ path: TOKEN_PATH })[0]?.body as Record<string, string>).grant_type).toBe(
        'refresh_token',
      );
    });

    it('when the refresh token was revoked too, then the client falls back to the password grant', async () => {
      pair = await startPair({ auth: PASSWORD_GRANT });
      await pair.client.getUser(ALICE);
      pair.sim.revokeAllTokens();
      pair.sim.http.clearCalls();

      await pair.client.getUser(ALICE);

      expect(
        pair.sim.http
          .calls({ path: TOKEN_PATH })
          .map((c) => [(c.body as Record<string, string>).grant_type, c.status]),
      ).toEqual([
        ['refresh_token', 401],
        ['password', 200],
      ]);
    });

    it('when concurrent calls need a token, then they share one token request', async () => {
      pair = await startPair({ auth: PASSWORD_GRANT });

      await Promise.all(Object.values(FIXTURE.users).map((u) => pair!.client.getUser(u.sysId)));

      expect(pair.sim.http.calls({ path: TOKEN_PATH })).toHaveLength(1);
    });

    it('when the 401 persists after the refresh, then exactly one retry is made and the error is retryable', async () => {
      pair = await startPair({ auth: PASSWORD_GRANT });
      await pair.client.getUser(ALICE);
      pair.sim.http.addFault({
        method: 'GET',
        path: '^/api/now/table/sys_user/',
        status: 401,
        body: {
          error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' },
          status: 'failure',
        },
      });
      pair.sim.http.clearCalls();

      const error = await rejectionOf(pair.client.getUser(ALICE));

      expect(error).toMatchObject({ status: 401, retryable: true, operation: 'getUser' });
      expect(pair.sim.http.calls({ path: USER_PATH })).toHaveLength(2);
    });

    it('when the account is deactivated, then the token request is refused, retryable, and no secret leaks', async () => {
      pair = await startPair({ auth: PASSWORD_GRANT });
      pair.sim.update('sys_user', FIXTURE.users.integration.sysId, { active: 'false' });

      const error = await rejectionOf(pair.client.getUser(ALICE));

      expect(error).toBeInstanceOf(UpstreamError);
      expect(error).toMatchObject({
        status: 401,
        retryable: true,
        operation: 'oauth.token',
        remoteMessage: 'server_error: access_denied',
      });
      for (const secret of SECRETS) {
        expect(errorText(error)).not.toContain(secret);
        expect(pair.logs.lines.join('\n')).not.toContain(secret);
      }
    });
  });

  describe('OAuth client-credentials grant', () => {
    it('when the first call is made, then the grant sends only the client credentials, form-encoded', async () => {
      pair = await startPair({ auth: CLIENT_CREDENTIALS });

      await pair.client.getUser(ALICE);

      const [tokenCall] = pair.sim.http.calls({ path: TOKEN_PATH });
      expect(tokenCall?.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(tokenCall?.body).toEqual({
        grant_type: 'client_credentials',
        client_id: 'storware-itsm-connector',
        client_secret: SECRETS[1],
      });
      expect(authorizationOf(pair, USER_PATH)[0]).toMatch(/^Bearer /);
    });

    it('when the token nears expiry, then the grant is repeated before it expires, so no call sees a 401', async () => {
      pair = await startPair({ auth: CLIENT_CREDENTIALS });
      await pair.client.getUser(ALICE);

      pair.clock.advance((1800 - 30) * 1000);
      await pair.client.getUser(ALICE);
      pair.clock.advance(31 * 1000);
      await pair.client.getUser(ALICE);

      const tokenCalls = pair.sim.http.calls({ path: TOKEN_PATH });
      expect(tokenCalls.length).toBeGreaterThanOrEqual(3);
      expect(pair.sim.http.calls().filter((c) => c.status === 401)).toHaveLength(0);
      const bearers = authorizationOf(pair, USER_PATH);
      // ServiceNow hands out the same token while it is valid, then a new one (docs/servicenow.md §1).
      expect(bearers[1]).toBe(bearers[0]);
      expect(bearers[2]).not.toBe(bearers[0]);
    });

    it('when the token expired in ServiceNow before the client expected, then one refresh and one retry succeed', async () => {
      const simClock = testClock();
      pair = await startPair({ auth: CLIENT_CREDENTIALS, sim: { now: simClock.now } });
      // A client whose clock lags the instance's by more than the token lifetime.
      const lagging = createServiceNowClient({
        baseUrl: pair.sim.url,
        auth: CLIENT_CREDENTIALS,
        timeoutMs: 2_000,
        logger: captureLogs().logger,
        now: testClock().now,
      });
      await lagging.getUser(ALICE);
      simClock.advance(1801 * 1000);
      pair.sim.http.clearCalls();

      await expect(lagging.getUser(ALICE)).resolves.toEqual(expect.objectContaining({ sysId: ALICE }));

      expect(pair.sim.http.calls().map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
        `GET ${USER_PATH} 401`,
        `POST ${TOKEN_PATH} 200`,
        `GET ${USER_PATH} 200`,
      ]);
    });

    it('when the client secret is wrong, then the refusal is retryable and the secret is nowhere in it', async () => {
      pair = await startPair({
        auth: {
          kind: 'oauth-client-credentials',
          clientId: 'storware-itsm-connector',
          clientSecret: 'not-the-secret-42',
        },
      });

      const error = await rejectionOf(pair.client.getUser(ALICE));

      expect(error).toMatchObject({ status: 401, retryable: true, operation: 'oauth.token' });
      expect(errorText(error)).not.toContain('not-the-secret-42');
      expect(pair.logs.lines.join('\n')).not.toContain('not-the-secret-42');
    });
  });

  it('when a token was used, then it appears in no log line and no error', async () => {
    pair = await startPair({ auth: PASSWORD_GRANT });
    await pair.client.getUser(ALICE);
    const token = authorizationOf(pair, USER_PATH)[0]!.slice('Bearer '.length);
    pair.sim.http.addFault({ path: '^/api/now/table/core_company/', status: 500 });

    const error = await rejectionOf(pair.client.getCompany(FIXTURE.companies.acme.sysId));

    expect(pair.logs.lines.length).toBeGreaterThan(0);
    expect(pair.logs.lines.join('\n')).not.toContain(token);
    expect(errorText(error)).not.toContain(token);
  });
});
