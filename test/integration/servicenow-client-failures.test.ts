/**
 * How the client reports what went wrong (docs/servicenow.md §1; decisions in
 * src/clients/servicenow/errors.ts): 429 with the wait surfaced, not slept; the hibernation page;
 * 5xx, network and timeouts retryable; other 4xx permanent with ServiceNow's message; redirects
 * not followed; no secret in any thrown error.
 */
import { createServiceNowClient } from '../../src/clients/servicenow';
import { UpstreamError } from '../../src/errors';
import { freePort } from '../../src/cli/local-redis';
import { FIXTURE } from '../../src/simulators/fixture-ids';
import {
  BASIC_AUTH,
  captureLogs,
  errorText,
  PASSWORD_GRANT,
  rejectionOf,
  SECRETS,
  START_MS,
  startPair,
  startReceiver,
  type Pair,
} from '../helpers/servicenow-harness';

const ALICE = FIXTURE.users.alice.sysId;
const ENVELOPE = (message: string, detail: string) => ({ error: { message, detail }, status: 'failure' });

describe('ServiceNow client failures', () => {
  let pair: Pair;
  const errors: unknown[] = [];

  beforeEach(async () => {
    pair = await startPair({ auth: PASSWORD_GRANT, timeoutMs: 300 });
  });

  afterEach(async () => {
    // Whatever failed, no secret may travel in the thrown object.
    for (const error of errors.splice(0)) {
      for (const secret of SECRETS) {
        expect(errorText(error)).not.toContain(secret);
      }
    }
    await pair.close();
  });

  async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
    const error = await rejectionOf(promise);
    errors.push(error);
    expect(error).toBeInstanceOf(UpstreamError);
    return error as UpstreamError;
  }

  describe('429 rate limit (docs/servicenow.md §1 "Rate limits")', () => {
    it("when the hourly limit is used up, then the error is retryable with Retry-After's seconds and no retry is attempted", async () => {
      pair.sim.setRateLimit('svc.storware', 2);
      await pair.client.getUser(ALICE);
      await pair.client.getUser(ALICE);
      pair.sim.http.clearCalls();

      const error = await failure(pair.client.getUser(ALICE));

      // 10:15:30 → the window resets at 11:00:00.
      expect(error).toMatchObject({
        system: 'servicenow',
        status: 429,
        retryable: true,
        retryAfterSeconds: 44 * 60 + 30,
        remoteMessage: 'Rate limit exceeded: Rate limit of 2 requests per hour for Table API exceeded',
      });
      expect(pair.sim.http.calls()).toHaveLength(1);
    });

    it('when a 429 has no Retry-After, then X-RateLimit-Reset gives the wait', async () => {
      const reset = Math.floor(START_MS / 1000) + 120;
      pair.sim.http.addFault({
        path: '^/api/now/table/',
        status: 429,
        headers: { 'X-RateLimit-Reset': String(reset), 'Content-Type': 'application/json' },
        body: ENVELOPE('Rate limit exceeded', 'Rate limit of 100 requests per hour for Table API exceeded'),
      });

      const error = await failure(pair.client.getUser(ALICE));

      expect(error).toMatchObject({ status: 429, retryable: true, retryAfterSeconds: 120 });
    });

    it('when Retry-After is an HTTP date, then it is turned into seconds from now', async () => {
      pair.sim.http.addFault({
        path: '^/api/now/table/',
        status: 429,
        headers: { 'Retry-After': new Date(START_MS + 90_000).toUTCString() },
      });

      const error = await failure(pair.client.getUser(ALICE));

      expect(error.retryAfterSeconds).toBe(90);
    });

    it('when a 429 carries neither header (semaphore queue full), then it is retryable without a wait', async () => {
      pair.sim.http.addFault({
        path: '^/api/now/table/',
        status: 429,
        body: ENVELOPE('Too Many Requests', ''),
      });

      const error = await failure(pair.client.getUser(ALICE));

      expect(error).toMatchObject({ status: 429, retryable: true, retryAfterSeconds: undefined });
    });
  });

  describe('200 with HTML (docs/servicenow.md §1 "Gotcha")', () => {
    it('when the instance hibernates, then the Table API call fails retryably instead of crashing on the HTML', async () => {
      await pair.client.getUser(ALICE);
      pair.sim.setHibernating(true);

      const error = await failure(pair.client.getUser(ALICE));

      expect(error).toMatchObject({ status: 200, retryable: true, operation: 'getUser' });
      expect(error.message).toContain('HTML page');
    });

    it('when the token endpoint answers with the hibernation page, then that is retryable too', async () => {
      pair.sim.setHibernating(true);

      const error = await failure(pair.client.getUser(ALICE));

      expect(error).toMatchObject({ status: 200, retryable: true, operation: 'oauth.token' });
    });

    it('when the http-kit html fault hits one call, then only that call fails', async () => {
      await pair.client.getUser(ALICE);
      pair.sim.http.addFault({ path: '^/api/now/table/sys_user/', html: true, times: 1 });

      await failure(pair.client.getUser(ALICE));
      await expect(pair.client.getUser(ALICE)).resolves.toEqual(expect.objectContaining({ sysId: ALICE }));
    });
  });

  describe('server errors, network and timeouts', () => {
    it("when ServiceNow answers 503 with its envelope, then the error is retryable and carries the instance's message", async () => {
      pair.sim.http.addFault({
        path: '^/api/now/table/',
        status: 503,
        body: ENVELOPE('Service Unavailable', 'The node is shutting down'),
      });

      const error = await failure(pair.client.getUser(ALICE));

      expect(error).toMatchObject({
        status: 503,
        retryable: true,
        remoteMessage: 'Service Unavailable: The node is shutting down',
        code: 'servicenow_unavailable',
      });
    });

    it('when a 500 has no JSON body, then it is retryable with no remote message', async () => {
      pair.sim.http.addFault({ path: '^/api/now/table/', status: 500, body: 'Internal Server Error' });

      const error = await failure(pair.client.getUser(ALICE));

      expect(error).toMatchObject({ status: 500, retryable: true, remoteMessage: undefined });
    });

    it('when ServiceNow does not answer in time, then the timeout is retryable and names the limit', async () => {
      await pair.client.getUser(ALICE);
      pair.sim.http.addFault({ path: '^/api/now/table/', hang: true, times: 1 });

      const error = await failure(pair.client.getUser(ALICE));

      expect(error).toMatchObject({ status: undefined, retryable: true, operation: 'getUser' });
      expect(error.message).toContain('within 300 ms');
    });

    it('when nothing listens, then the connection error is retryable and carries only the network code', async () => {
      const client = createServiceNowClient({
        baseUrl: `http://127.0.0.1:${await freePort()}`,
        auth: BASIC_AUTH,
        timeoutMs: 1_000,
        logger: captureLogs().logger,
      });

      const error = await failure(client.getUser(ALICE));

      expect(error).toMatchObject({ retryable: true });
      expect(error.message).toContain('ECONNREFUSED');
      expect((error.cause as Error).message).toBe('ECONNREFUSED');
    });
  });

  describe('permanent refusals', () => {
    it("when an ACL refuses the write (403), then the error is permanent with ServiceNow's message and detail", async () => {
      pair.sim.http.addFault({
        method: 'PATCH',
        path: '^/api/now/table/sc_req_item/',
        status: 403,
        body: ENVELOPE('Operation Failed', 'ACL Exception Update Failed due to security constraints'),
      });

      const error = await failure(
        pair.client.updateRequestItem('0123456789abcdef0123456789abcdef', { comments: 'x' }),
      );

      expect(error).toMatchObject({
        status: 403,
        retryable: false,
        code: 'servicenow_rejected',
        remoteMessage: 'Operation Failed: ACL Exception Update Failed due to security constraints',
      });
    });

    it('when a 200 JSON answer has no "result", then it is reported (retryable) rather than mapped to garbage', async () => {
      pair.sim.http.addFault({ path: '^/api/now/table/sys_user/', status: 200, body: { records: [] } });

      const error = await failure(pair.client.getUser(ALICE));

      expect(error).toMatchObject({ retryable: true });
      expect(error.message).toContain('without "result"');
    });
  });

  it('when ServiceNow redirects, then the redirect is not followed and the credentials stay home', async () => {
    const elsewhere = await startReceiver();
    try {
      pair.sim.http.addFault({
        path: '^/api/now/table/',
        status: 302,
        headers: { Location: `${elsewhere.url}/webhooks/servicenow` },
      });

      const error = await failure(pair.client.getUser(ALICE));

      expect(error).toMatchObject({ status: 302, retryable: true });
      expect(elsewhere.received).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });
});
