import request from 'supertest';
import { createApp } from '../../src/http/app';
import { captureLogger } from '../helpers/log-capture';

// Each secret is a distinctive string, so a leak anywhere in a log line is found by a plain search.
const SECRETS = {
  authorization: 'Bearer sk-authorization-4f1c9a',
  cookie: 'JSESSIONID=cookie-session-77aa21',
  setCookie: 'JSESSIONID=storware-session-9d3e0b; Path=/api; HttpOnly',
  signature: 'v1,c2lnbmF0dXJlLXNlY3JldC1hYmNkZWY=',
  apiKey: 'sn-apikey-secret-51bd',
  password: 'storware-password-1c2d3e',
  clientSecret: 'oauth-client-secret-8e7f',
  token: 'access-token-secret-6a5b',
  refreshToken: 'refresh-token-secret-2c1d',
};

describe('log redaction', () => {
  it('when a request carries every kind of secret, then none of them reaches the log', async () => {
    const { logger, text, lines } = captureLogger();
    const app = createApp({ logger, maxBodyBytes: 1024, readiness: [] });

    await request(app)
      .get('/healthz')
      .set('Authorization', SECRETS.authorization)
      .set('Cookie', SECRETS.cookie)
      .set('webhook-signature', SECRETS.signature)
      .set('x-sn-apikey', SECRETS.apiKey)
      .expect(200);

    // The same secrets as they travel inside objects the code logs: client errors, login bodies,
    // OAuth token answers, Storware's Set-Cookie.
    logger.error(
      {
        err: Object.assign(new Error('request failed'), {
          config: {
            headers: { Authorization: SECRETS.authorization, Cookie: SECRETS.cookie },
            data: `{"password":"${SECRETS.password}"}`,
          },
          response: { headers: { 'set-cookie': SECRETS.setCookie } },
        }),
      },
      'storware call failed',
    );
    logger.info({ headers: { 'set-cookie': SECRETS.setCookie, cookie: SECRETS.cookie } }, 'login answered');
    logger.info({ login: { user: 'svc', password: SECRETS.password } }, 'logging in');
    logger.info(
      {
        oauth: {
          client_secret: SECRETS.clientSecret,
          access_token: SECRETS.token,
          refresh_token: SECRETS.refreshToken,
        },
      },
      'token',
    );
    logger.info(
      {
        auth: {
          clientSecret: SECRETS.clientSecret,
          token: SECRETS.token,
          refreshToken: SECRETS.refreshToken,
        },
      },
      'auth',
    );

    expect(lines().length).toBeGreaterThanOrEqual(6);
    const log = text();
    for (const [name, secret] of Object.entries(SECRETS)) {
      // Search for the distinctive part too (the value after "Bearer " or "JSESSIONID=").
      const core = secret.replace(/^(Bearer |JSESSIONID=|v1,)/, '').split(';')[0]!;
      expect({ name, leaked: log.includes(secret) || log.includes(core) }).toEqual({ name, leaked: false });
    }
    // The header is still visibly present, only its value is hidden.
    expect(log).toContain('"authorization":"[redacted]"');
    expect(log).toContain('"webhook-signature":"[redacted]"');
  });

  it('when a request has a query string, then only the path is logged', async () => {
    const { logger, text } = captureLogger();
    const app = createApp({ logger, maxBodyBytes: 1024, readiness: [] });
    await request(app).get('/healthz?access_token=query-token-secret-0f0f').expect(200);
    expect(text()).not.toContain('query-token-secret-0f0f');
    expect(text()).toContain('"path":"/healthz"');
  });
});
