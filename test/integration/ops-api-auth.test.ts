/**
 * Who may do what on the service API, the metrics and the dashboard: 401 with a challenge for a
 * missing or unknown token, 403 for an agent trying to act, and every error in the one body shape
 * the spec documents.
 */
import request from 'supertest';
import { bearer, startOpsApp, type OpsApp } from '../helpers/ops-app';
import { loadConnectorOpenApi } from '../helpers/openapi';
import { waitFor } from '../helpers/stack';

const openapi = loadConnectorOpenApi();

describe('service API authentication and roles', () => {
  let app: OpsApp;

  beforeAll(async () => {
    app = await startOpsApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('when no token is sent, then 401 with a Bearer challenge and the error body', async () => {
    const res = await request(app.url).get('/api/requests');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="storware-itsm-connector"');
    expect(res.body.error.code).toBe('unauthenticated');
    expect(openapi.responseErrors('/api/requests', 'get', 401, res.body)).toEqual([]);
  });

  it.each([
    ['an unknown token', 'Bearer not-a-configured-token-0000000000'],
    ['another scheme', 'Basic ZGVzazpzZWNyZXQ='],
    ['an empty bearer', 'Bearer '],
  ])('when %s is sent, then 401 invalid_token', async (_label, header) => {
    const res = await request(app.url).get('/api/jobs?state=failed').set('Authorization', header);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(res.body.error.code).toBe('invalid_token');
    expect(openapi.responseErrors('/api/jobs', 'get', 401, res.body)).toEqual([]);
  });

  it('when an agent token reads, then it is let through', async () => {
    const res = await request(app.url).get('/api/jobs?state=failed').set(bearer(app.tokens.agent));
    expect(res.status).toBe(200);
    expect(openapi.responseErrors('/api/jobs', 'get', 200, res.body)).toEqual([]);
  });

  it.each([
    ['replay', '/api/jobs/run-r-00000000000000000000000000000000/replay', '/api/jobs/{id}/replay'],
    ['abandon', '/api/jobs/run-r-00000000000000000000000000000000/abandon', '/api/jobs/{id}/abandon'],
    ['cancel', '/api/requests/RITM0000001/cancel', '/api/requests/{number}/cancel'],
  ])(
    'when an agent token tries to %s, then 403 names the role and nothing is audited',
    async (_action, path, template) => {
      const res = await request(app.url)
        .post(path)
        .set(bearer(app.tokens.agent))
        .send({ reason: 'testing roles' });
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({
        code: 'forbidden',
        message: expect.stringContaining('agent role'),
      });
      expect(openapi.responseErrors(template, 'post', 403, res.body)).toEqual([]);
      const audit = await request(app.url).get('/api/audit').set(bearer(app.tokens.ops));
      expect(audit.body.items).toEqual([]);
    },
  );

  it('when an agent token asks for a bulk replay, then 403', async () => {
    const res = await request(app.url)
      .post('/api/jobs/replay')
      .set(bearer(app.tokens.agent))
      .send({ reason: 'x', limit: 1, dryRun: true });
    expect(res.status).toBe(403);
  });

  it('when /metrics is scraped without a token, then 401; with any role, then the exposition format', async () => {
    expect((await request(app.url).get('/metrics')).status).toBe(401);
    const res = await request(app.url).get('/metrics').set(bearer(app.tokens.agent));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toMatch(/^connector_queue_jobs\{queue="requests",state="failed"\} 0$/m);
  });

  it('when the dashboard is opened without credentials, then the browser is sent to the login form', async () => {
    const res = await request(app.url).get('/ops/queues');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/status/login?next=%2Fops%2Fqueues');
    const write = await request(app.url).put('/ops/queues/api/queues/requests/retry/failed');
    expect(write.status).toBe(401);
  });

  it('when an agent opens the dashboard, then it reads the read-only board and every write is refused with 403', async () => {
    const board = await request(app.url).get('/ops/queues').set(bearer(app.tokens.agent));
    expect(board.status).toBe(200);
    expect(board.text).toContain('Connector queues (read-only)');
    const queues = await request(app.url).get('/ops/queues/api/queues').set(bearer(app.tokens.agent));
    expect(queues.status).toBe(200);
    for (const [method, path] of [
      ['put', '/ops/queues/api/queues/requests/retry/failed'],
      ['put', '/ops/queues/api/queues/requests/clean/failed'],
      ['put', '/ops/queues/api/queues/requests/run-r-1/remove'],
      ['post', '/ops/queues/api/queues/requests/add'],
    ] as const) {
      const res = await request(app.url)[method](path).set(bearer(app.tokens.agent)).send({});
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
  });

  it('when ops writes through the dashboard, then bull-board acts and the audit trail records who', async () => {
    const board = await request(app.url).get('/ops/queues').set(bearer(app.tokens.ops));
    expect(board.text).toContain('<title>Connector queues</title>');
    const res = await request(app.url)
      .put('/ops/queues/api/queues/requests/retry/failed')
      .set(bearer(app.tokens.ops))
      .send({});
    expect(res.status).toBeLessThan(300);
    // The record is written once the answer has gone out.
    const audit = await waitFor(async () => {
      const page = await request(app.url).get('/api/audit?actor=oncall').set(bearer(app.tokens.ops));
      return (page.body.items as unknown[]).length > 0 ? page : undefined;
    });
    const record = (audit.body.items as Array<Record<string, unknown>>).find((r) => r.action === 'dashboard');
    expect(record).toMatchObject({
      actor: 'oncall',
      role: 'ops',
      outcome: 'done',
      target: { method: 'PUT', path: '/api/queues/requests/retry/failed', queue: 'requests' },
    });
    expect(openapi.responseErrors('/api/audit', 'get', 200, audit.body)).toEqual([]);
  });
});

describe('metrics served publicly', () => {
  let app: OpsApp;

  beforeAll(async () => {
    app = await startOpsApp({ ops: { metricsPublic: true } });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('when METRICS_PUBLIC is on, then /metrics answers without a token while the API still asks for one', async () => {
    const res = await request(app.url).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('connector_requests_open');
    expect((await request(app.url).get('/api/requests')).status).toBe(401);
  });
});
