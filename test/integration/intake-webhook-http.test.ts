import request from 'supertest';
import { requestJobId } from '../../src/jobs/catalog';
import { TEST_WEBHOOK_SECRET } from '../helpers/config';
import { startIntakeApp, type IntakeApp } from '../helpers/intake-app';
import { loadConnectorOpenApi } from '../helpers/openapi';
import { randomSecret, signedDelivery, validBody, type Delivery } from '../helpers/webhook';

const openapi = loadConnectorOpenApi();
const PATH = '/webhooks/servicenow';

/** Sends the exact bytes: superagent would otherwise re-serialise a Buffer sent as JSON. */
function post(app: IntakeApp, delivery: Delivery) {
  return request(app.url)
    .post(PATH)
    .set(delivery.headers)
    .serialize((bytes: unknown) => bytes as string)
    .send(delivery.rawBody);
}

/** Every answer is checked against the spec, whatever the test asserts on top. */
function expectDocumented(res: request.Response): void {
  expect(openapi.responseErrors(PATH, 'post', res.status, res.body)).toEqual([]);
}

describe('POST /webhooks/servicenow', () => {
  let app: IntakeApp;

  beforeAll(async () => {
    app = await startIntakeApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('when a signed, valid submission arrives, then 202 carries the request id and one run job is queued', async () => {
    const body = validBody();
    const res = await post(app, signedDelivery(body));

    expect(res.status).toBe(202);
    expectDocumented(res);
    expect(res.body).toEqual({
      requestId: expect.stringMatching(/^r-[0-9a-f]{32}$/) as unknown,
      ticket: body.number,
      status: 'queued',
    });
    const requestId = (res.body as { requestId: string }).requestId;
    const job = await app.queues.requests.getJob(requestJobId(requestId));
    expect(job?.name).toBe('request.backup-now');
    // Ids only: the variables and anything secret stay out of the clear-text job data.
    expect(job?.data).toEqual({
      requestId,
      ritmSysId: body.sys_id,
      number: body.number,
      item: 'storware_backup_now',
    });
    const entry = await app.ledger.getByNumber(body.number);
    expect(entry).toMatchObject({ requestId, state: 'queued', jobIds: [requestJobId(requestId)] });
    expect(entry?.timeline.map((e) => e.type)).toEqual(['request.received', 'request.queued']);
  });

  it('when a delivery is answered, then one log line names the request and neither variables nor the signature appear', async () => {
    const body = validBody();
    body.variables.instance_id = '0badc0de-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
    const delivery = signedDelivery(body);
    const res = await post(app, delivery);

    const lines = app.logs().filter((l) => l.msg === 'webhook accepted');
    expect(
      lines.some(
        (l) =>
          (l.webhook as { requestId?: string }).requestId === (res.body as { requestId: string }).requestId,
      ),
    ).toBe(true);
    const raw = app.rawLogs();
    expect(raw).not.toContain('0badc0de');
    expect(raw).not.toContain(delivery.headers['webhook-signature']!.slice(3));
    expect(raw).not.toContain(TEST_WEBHOOK_SECRET.slice(6));
  });

  it('when the signature was made with an unknown secret, then 401 invalid_signature and nothing is recorded', async () => {
    const body = validBody();
    const res = await post(app, signedDelivery(body, { secrets: randomSecret() }));

    expect(res.status).toBe(401);
    expectDocumented(res);
    expect((res.body as { error: { code: string } }).error.code).toBe('invalid_signature');
    expect(await app.ledger.getByRitm(body.sys_id)).toBeUndefined();
  });

  it('when one byte of the body is changed in transit, then 401', async () => {
    const delivery = signedDelivery(validBody());
    const tampered = Buffer.from(delivery.rawBody.toString('utf8').replace('"FULL"', '"INCREMENTAL"'));
    const res = await post(app, { ...delivery, rawBody: tampered });

    expect(res.status).toBe(401);
    expectDocumented(res);
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    'when %s is missing, then 401 missing_signature',
    async (header) => {
      const delivery = signedDelivery(validBody());
      delete delivery.headers[header];
      const res = await post(app, delivery);

      expect(res.status).toBe(401);
      expectDocumented(res);
      expect((res.body as { error: { code: string } }).error.code).toBe('missing_signature');
    },
  );

  it('when the content type is not JSON, then 415', async () => {
    const delivery = signedDelivery(validBody());
    const res = await post(app, {
      ...delivery,
      headers: { ...delivery.headers, 'content-type': 'text/plain' },
    });

    expect(res.status).toBe(415);
    expectDocumented(res);
    expect((res.body as { error: { code: string } }).error.code).toBe('unsupported_media_type');
  });

  it('when the body is larger than the limit, then 413 before anything else is looked at', async () => {
    const big = Buffer.alloc(app.config.webhook.maxBodyBytes + 1, 0x20);
    const res = await post(app, signedDelivery(undefined, { raw: big }));

    expect(res.status).toBe(413);
    expectDocumented(res);
    expect((res.body as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('when a signed body is not JSON, then 400 malformed_json', async () => {
    const res = await post(app, signedDelivery(undefined, { raw: '{"event": "ritm.submitted",' }));

    expect(res.status).toBe(400);
    expectDocumented(res);
    expect((res.body as { error: { code: string } }).error.code).toBe('malformed_json');
  });

  it('when the catalog item is unknown, then 422 unknown_catalog_item naming cat_item', async () => {
    const res = await post(app, signedDelivery(validBody({ cat_item: 'storware_format_disk' })));

    expect(res.status).toBe(422);
    expectDocumented(res);
    expect(res.body).toMatchObject({
      error: { code: 'unknown_catalog_item', details: [{ path: 'cat_item' }] },
    });
  });

  it('when a variable is invalid, then 422 names variables.instance_id', async () => {
    const body = validBody();
    body.variables.instance_id = 'web-server-1';
    const res = await post(app, signedDelivery(body));

    expect(res.status).toBe(422);
    expectDocumented(res);
    expect(res.body).toMatchObject({
      error: { code: 'invalid_variables', details: [{ path: 'variables.instance_id' }] },
    });
  });

  it('when the body has a field the contract does not know, then 422 names it', async () => {
    const res = await post(app, signedDelivery({ ...validBody(), tenant_project: 'someone-else' }));

    expect(res.status).toBe(422);
    expectDocumented(res);
    expect(res.body).toMatchObject({
      error: { code: 'invalid_body', details: [{ path: 'tenant_project' }] },
    });
  });

  it('when the spec is asked for, then /openapi.json serves it and /healthz matches it', async () => {
    const spec = await request(app.url).get('/openapi.json');
    expect(spec.status).toBe(200);
    expect(spec.headers['content-type']).toMatch(/^application\/json/);
    expect((spec.body as { openapi: string }).openapi).toBe('3.0.3');
    expect(Object.keys((spec.body as { paths: object }).paths)).toEqual(
      expect.arrayContaining([PATH, '/api/requests/{number}']),
    );

    const health = await request(app.url).get('/healthz');
    expect(openapi.responseErrors('/healthz', 'get', health.status, health.body)).toEqual([]);
  });
});

describe('POST /webhooks/servicenow with a fixed clock and two secrets', () => {
  const NOW_MS = 1_767_225_600_000;
  const NOW_S = NOW_MS / 1000;
  const OLD = TEST_WEBHOOK_SECRET;
  const NEW = randomSecret();
  let app: IntakeApp;

  beforeAll(async () => {
    app = await startIntakeApp({ env: { WEBHOOK_SECRETS: `${OLD} ${NEW}` }, now: () => NOW_MS });
  });

  afterAll(async () => {
    await app.close();
  });

  it('when a secret is being rotated, then deliveries signed with the old, the new, or both are accepted', async () => {
    for (const secrets of [[OLD], [NEW], [OLD, NEW]]) {
      const res = await post(app, signedDelivery(validBody(), { secrets, timestampSeconds: NOW_S }));
      expect(res.status).toBe(202);
    }
    const retired = await post(
      app,
      signedDelivery(validBody(), { secrets: randomSecret(), timestampSeconds: NOW_S }),
    );
    expect(retired.status).toBe(401);
  });

  it.each([
    [-300, 202],
    [-301, 401],
    [300, 202],
    [301, 401],
  ])('when the timestamp is %i s from the receiver clock, then %i', async (offset, status) => {
    const res = await post(app, signedDelivery(validBody(), { timestampSeconds: NOW_S + offset }));

    expect(res.status).toBe(status);
    expectDocumented(res);
    if (status === 401) {
      expect((res.body as { error: { code: string } }).error.code).toBe('timestamp_out_of_tolerance');
    }
  });
});

describe('POST /webhooks/servicenow in Basic mode', () => {
  const USER = 'servicenow-sender';
  const PASSWORD = 'basic-password-0123456789';
  let app: IntakeApp;

  beforeAll(async () => {
    app = await startIntakeApp({
      env: { WEBHOOK_BASIC_AUTH: 'true', WEBHOOK_BASIC_USER: USER, WEBHOOK_BASIC_PASSWORD: PASSWORD },
    });
  });

  afterAll(async () => {
    await app.close();
  });

  it('when Basic mode is on, then an unsigned delivery with the right credentials is accepted and a wrong one is not', async () => {
    const body = validBody();
    const ok = await request(app.url)
      .post(PATH)
      .auth(USER, PASSWORD)
      .type('application/json')
      .send(JSON.stringify(body));
    expect(ok.status).toBe(202);
    expectDocumented(ok);

    const wrong = await request(app.url)
      .post(PATH)
      .auth(USER, 'not-the-password')
      .type('application/json')
      .send(JSON.stringify(validBody()));
    expect(wrong.status).toBe(401);
    expect((wrong.body as { error: { code: string } }).error.code).toBe('invalid_credentials');
  });

  it('when Basic mode is on, then the same event sent again is still recognised as a duplicate', async () => {
    const body = JSON.stringify(validBody());
    const first = await request(app.url).post(PATH).auth(USER, PASSWORD).type('application/json').send(body);
    const again = await request(app.url).post(PATH).auth(USER, PASSWORD).type('application/json').send(body);

    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect((again.body as { requestId: string }).requestId).toBe(
      (first.body as { requestId: string }).requestId,
    );
  });
});
