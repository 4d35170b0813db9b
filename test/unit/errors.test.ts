import {
  AppError,
  AuthenticationError,
  ConfigError,
  isRetryable,
  toHttpError,
  UnavailableError,
  UpstreamError,
  ValidationError,
} from '../../src/errors';

describe('error model', () => {
  it('when a validation error is mapped, then status 422 and every detail reach the body', () => {
    const error = new ValidationError('bad', [{ path: 'variables.instance_id', message: 'must be a UUID' }]);
    expect(toHttpError(error)).toEqual({
      status: 422,
      headers: {},
      body: {
        error: {
          code: 'validation_failed',
          message: 'bad',
          details: [{ path: 'variables.instance_id', message: 'must be a UUID' }],
        },
      },
    });
    expect(error.retryable).toBe(false);
  });

  it('when Redis is unavailable, then 503 carries Retry-After and the error is retryable', () => {
    const mapped = toHttpError(new UnavailableError('queue unavailable', { retryAfterSeconds: 7 }));
    expect(mapped.status).toBe(503);
    expect(mapped.headers).toEqual({ 'Retry-After': '7' });
    expect(mapped.body.error.code).toBe('unavailable');
  });

  it('when an unknown error is mapped, then its message (which may hold secrets) is not sent', () => {
    const mapped = toHttpError(new Error('connect ECONNREFUSED redis://:hunter2@10.0.0.1'));
    expect(mapped).toEqual({
      status: 500,
      headers: {},
      body: { error: { code: 'internal_error', message: 'Internal error', details: [] } },
    });
  });

  it('when an upstream 5xx is wrapped, then it is retryable and named after the system', () => {
    const e = new UpstreamError('storware', 'Storware answered 503', { status: 503, retryable: true });
    expect(e.code).toBe('storware_unavailable');
    expect(isRetryable(e)).toBe(true);
    expect(toHttpError(e).body.error.message).toBe('Internal error');
  });

  it('when an upstream 4xx is wrapped, then it is permanent and keeps the remote message', () => {
    const e = new UpstreamError('servicenow', 'ServiceNow refused', {
      status: 403,
      retryable: false,
      remoteMessage: 'ACL',
    });
    expect(e.code).toBe('servicenow_rejected');
    expect(isRetryable(e)).toBe(false);
    expect(e.remoteMessage).toBe('ACL');
  });

  it('when something unexpected is thrown, then it counts as retryable (a fix can be replayed)', () => {
    expect(isRetryable(new TypeError('x is undefined'))).toBe(true);
    expect(isRetryable(new AuthenticationError())).toBe(false);
  });

  it('when a config error is built, then its message lists every problem on its own line', () => {
    const e = new ConfigError([
      { path: 'A', message: 'is required' },
      { path: 'B', message: 'is wrong' },
    ]);
    expect(e.message).toContain('2 problem(s)');
    expect(e.message).toContain('  - A: is required');
    expect(e.message).toContain('  - B: is wrong');
  });

  it('when an AppError has a cause, then the cause is kept for logs', () => {
    const cause = new Error('root');
    expect(new AppError('x', 'y', { cause }).cause).toBe(cause);
  });
});
