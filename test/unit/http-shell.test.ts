import express from 'express';
import request from 'supertest';
import { createApp } from '../../src/http/app';
import { AppError, ValidationError } from '../../src/errors';
import { captureLogger } from '../helpers/log-capture';

function appWith(router?: express.Router, readiness: Parameters<typeof createApp>[0]['readiness'] = []) {
  const { logger, text } = captureLogger();
  const app = createApp({
    logger,
    maxBodyBytes: 256,
    readiness,
    routes: router ? [{ path: '/t', router }] : [],
    readinessTimeoutMs: 200,
  });
  return { app, text };
}

describe('HTTP shell', () => {
  it('when /healthz is asked, then the process answers without touching dependencies', async () => {
    const { app } = appWith(undefined, [{ name: 'redis', check: () => Promise.reject(new Error('down')) }]);
    await request(app).get('/healthz').expect(200, { status: 'ok' });
  });

  it('when a readiness check fails, then /readyz answers 503 naming it', async () => {
    const { app } = appWith(undefined, [
      { name: 'redis', check: () => Promise.reject(new Error('connection refused')) },
      { name: 'config', check: () => Promise.resolve() },
    ]);
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body).toEqual({
      status: 'not_ready',
      checks: [
        { name: 'redis', ok: false, error: 'connection refused' },
        { name: 'config', ok: true },
      ],
    });
  });

  it('when a readiness check hangs, then /readyz gives up after its deadline', async () => {
    const { app } = appWith(undefined, [{ name: 'redis', check: () => new Promise(() => undefined) }]);
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body.checks[0].error).toMatch(/no answer within 200 ms/);
  });

  it('when a handler throws an AppError, then the one error body carries its code and details', async () => {
    const router = express.Router();
    router.get('/v', () => {
      throw new ValidationError(
        'Query is not valid',
        [{ path: 'state', message: 'must be one of open, closed' }],
        'invalid_query',
        400,
      );
    });
    const { app } = appWith(router);
    const res = await request(app).get('/t/v').expect(400);
    expect(res.body).toEqual({
      error: {
        code: 'invalid_query',
        message: 'Query is not valid',
        details: [{ path: 'state', message: 'must be one of open, closed' }],
      },
    });
  });

  it('when an async handler rejects with an unknown error, then 500 hides the message and the log keeps it', async () => {
    const router = express.Router();
    router.get('/boom', () => Promise.reject(new Error('secret connection string redis://:pw@host')));
    const { app, text } = appWith(router);
    const res = await request(app).get('/t/boom').expect(500);
    expect(res.body).toEqual({ error: { code: 'internal_error', message: 'Internal error', details: [] } });
    expect(text()).toContain('request failed');
  });

  it('when a JSON body exceeds the limit, then 413 with the error shape', async () => {
    const router = express.Router();
    router.post('/echo', express.json({ limit: 256 }), (req, res) => {
      res.json(req.body);
    });
    const { app } = appWith(router);
    const res = await request(app)
      .post('/t/echo')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ a: 'x'.repeat(400) }))
      .expect(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('when a JSON body is malformed, then 400 malformed_json', async () => {
    const router = express.Router();
    router.post('/echo', express.json(), (req, res) => {
      res.json(req.body);
    });
    const { app } = appWith(router);
    const res = await request(app)
      .post('/t/echo')
      .set('content-type', 'application/json')
      .send('{"a":')
      .expect(400);
    expect(res.body.error.code).toBe('malformed_json');
  });

  it('when no route matches, then 404 in the same shape', async () => {
    const { app } = appWith();
    const res = await request(app).get('/nope').expect(404);
    expect(res.body.error.code).toBe('route_not_found');
  });

  it('when a sane X-Request-Id comes in, then it is echoed; otherwise one is made', async () => {
    const { app } = appWith();
    const echoed = await request(app).get('/healthz').set('X-Request-Id', 'abc12345-trace').expect(200);
    expect(echoed.headers['x-request-id']).toBe('abc12345-trace');
    const made = await request(app).get('/healthz').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when an AppError says 409, then that status is kept', async () => {
    const router = express.Router();
    router.get('/c', () => {
      throw new AppError('conflict', 'Already running', { httpStatus: 409 });
    });
    const { app } = appWith(router);
    await request(app).get('/t/c').expect(409);
  });
});
