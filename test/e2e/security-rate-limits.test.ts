/**
 * Request rate limits on the real API composition (docs/reliability.md §4.3 S3; OWASP API4): the
 * webhook per sending address, the service API and the status pages per token, the sign-in form
 * per address. Over a limit the answer is 429 with Retry-After; what was accepted before stays
 * accepted, and other senders and tokens go on unaffected. Requests come from two loopback
 * addresses (127.0.0.1 and 127.0.0.2) to show the limits are per address.
 */
import { request } from 'node:http';
import { startApi, type ApiProcess } from '../../src/processes/api';
import { createLedger } from '../../src/ledger';
import { captureLogger } from '../helpers/log-capture';
import { TEST_AGENT_TOKEN, TEST_OPS_TOKEN, testConfig } from '../helpers/config';
import { deleteByPrefix, newRedis, testRedisUrl, uniquePrefix } from '../helpers/redis';
import { signedDelivery, validBody } from '../helpers/webhook';

jest.setTimeout(60_000);

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string; from?: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        localAddress: options.from ?? '127.0.0.1',
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('request rate limits (429 with Retry-After)', () => {
  const prefix = uniquePrefix('ratelimits');
  const log = captureLogger('info');
  let api: ApiProcess;
  let base: string;
  const redis = newRedis();

  beforeAll(async () => {
    const config = testConfig({
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
      PORT: '0',
      RATE_LIMIT_WEBHOOK_PER_MINUTE: '4',
      RATE_LIMIT_API_PER_MINUTE: '3',
      RATE_LIMIT_LOGIN_PER_MINUTE: '2',
    });
    api = await startApi(config, log.logger, { host: '127.0.0.1' });
    base = `http://127.0.0.1:${api.http.port}`;
    // The producer connection refuses commands until it is ready (503), which is not what this is about.
    const until = Date.now() + 10_000;
    while ((await send(`${base}/readyz`, {})).status !== 200 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  afterAll(async () => {
    for (const closer of api?.closers ?? []) {
      await closer.close();
    }
    await deleteByPrefix(redis, prefix);
    await redis.quit();
  });

  it('when a sender goes over the webhook limit, then it gets 429 with Retry-After, the accepted ones stay, and another sender is unaffected', async () => {
    const bodies = Array.from({ length: 6 }, () => validBody());
    const answers: Answer[] = [];
    for (const body of bodies) {
      const delivery = signedDelivery(body);
      answers.push(
        await send(`${base}/webhooks/servicenow`, {
          method: 'POST',
          headers: delivery.headers,
          body: delivery.rawBody,
        }),
      );
    }
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 429, 429]);
    for (const refused of answers.slice(4)) {
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(refused.text)).toMatchObject({ error: { code: 'rate_limited' } });
    }
    expect(answers[0]!.headers['ratelimit-limit']).toBe('4');

    const ledger = createLedger(redis, prefix, { retentionDays: 1 });
    for (const [index, body] of bodies.entries()) {
      const entry = await ledger.getByRitm(body.sys_id);
      // Accepted requests are recorded; refused ones left nothing behind to be half-done.
      expect(entry !== undefined).toBe(index < 4);
    }

    const other = validBody();
    const delivery = signedDelivery(other);
    const fromElsewhere = await send(`${base}/webhooks/servicenow`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.rawBody,
      from: '127.0.0.2',
    });
    expect(fromElsewhere.status).toBe(202);
    expect(log.text()).toContain('rate limit reached');
  });

  it('when a token goes over the service API limit, then it gets 429 and another token is unaffected; unknown callers count against nobody', async () => {
    const agent = { Authorization: `Bearer ${TEST_AGENT_TOKEN}` };
    for (let i = 0; i < 5; i += 1) {
      expect(
        (await send(`${base}/api/requests`, { headers: { Authorization: 'Bearer wrong-token' } })).status,
      ).toBe(401);
    }
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push((await send(`${base}/api/requests`, { headers: agent })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await send(`${base}/api/requests`, { headers: agent });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(refused.text)).toMatchObject({ error: { code: 'rate_limited' } });

    const ops = await send(`${base}/api/requests`, {
      headers: { Authorization: `Bearer ${TEST_OPS_TOKEN}` },
    });
    expect(ops.status).toBe(200);
  });

  it('when an address tries sign-ins too often, then even a right token is refused with the form and Retry-After, and other addresses can still sign in', async () => {
    const form = (token: string) => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, next: '/status' }).toString(),
    });
    const first = await send(`${base}/status/login`, form('guess-1'));
    const second = await send(`${base}/status/login`, form('guess-2'));
    expect([first.status, second.status]).toEqual([401, 401]);
    const third = await send(`${base}/status/login`, form(TEST_OPS_TOKEN));
    expect(third.status).toBe(429);
    expect(Number(third.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(third.headers['content-type']).toContain('text/html');
    expect(third.text).toContain('Too many sign-in attempts');
    expect(third.headers['set-cookie']).toBeUndefined();

    const elsewhere = await send(`${base}/status/login`, { ...form(TEST_OPS_TOKEN), from: '127.0.0.2' });
    expect(elsewhere.status).toBe(303);
    expect(String(elsewhere.headers['set-cookie'])).toContain('sic_session=');
  });
});
