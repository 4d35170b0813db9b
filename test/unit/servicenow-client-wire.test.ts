/**
 * The client's value readers (docs/servicenow.md §1 value shapes) and its failure classification
 * (src/clients/servicenow/errors.ts), without a network.
 */
import fc from 'fast-check';
import {
  failureFromResponse,
  networkFailure,
  parseRetryAfter,
  remoteMessageOf,
  secondsUntilReset,
  type RawResponse,
} from '../../src/clients/servicenow/errors';
import {
  formatDateTime,
  parseDateTime,
  readBoolean,
  readInteger,
  readReference,
  requireSysId,
} from '../../src/clients/servicenow/wire';
import { UpstreamError, ValidationError } from '../../src/errors';

const CTX = { operation: 'getRequestItem', method: 'GET', table: 'sc_req_item' };
const NOW = Date.UTC(2026, 2, 2, 10, 0, 0);

function response(status: number, body: unknown, headers: Record<string, string> = {}): RawResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    text: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

describe('ServiceNow values', () => {
  it('when a UTC date-time is formatted and parsed back, then the instant survives to the second', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) }), (ms) => {
        expect(parseDateTime(formatDateTime(ms))).toBe(Math.floor(ms / 1000) * 1000);
      }),
    );
  });

  it('when a date is malformed or impossible, then it reads as undefined rather than a rolled-over day', () => {
    expect(parseDateTime('2026-02-30 10:00:00')).toBeUndefined();
    expect(parseDateTime('2026-03-02T10:00:00Z')).toBeUndefined();
    expect(parseDateTime('2026-03-02 24:00:00')).toBeUndefined();
    expect(parseDateTime('')).toBeUndefined();
    expect(parseDateTime(undefined)).toBeUndefined();
  });

  it('when a reference comes as {link,value}, a bare sys_id or "", then the sys_id (or undefined) is read', () => {
    const id = 'b0b0e000000000000000000000000001';
    expect(readReference({ link: `https://x/api/now/table/sys_user/${id}`, value: id })).toBe(id);
    expect(readReference(id)).toBe(id);
    expect(readReference('')).toBeUndefined();
    expect(readReference(undefined)).toBeUndefined();
  });

  it('when numbers and booleans arrive as strings, then they are converted, with a fallback for garbage', () => {
    expect(readInteger('-5', 0)).toBe(-5);
    expect(readInteger('2.5', 9)).toBe(9);
    expect(readBoolean('true')).toBe(true);
    expect(readBoolean('false')).toBe(false);
    expect(readBoolean(true)).toBe(false);
  });

  it('when a sys_id is anything but 32 lower-case hex digits, then it is refused', () => {
    expect(requireSysId('0123456789abcdef0123456789abcdef', 'id')).toBe('0123456789abcdef0123456789abcdef');
    for (const bad of [
      '0123456789ABCDEF0123456789ABCDEF',
      '../etc',
      '0123456789abcdef0123456789abcde',
      `${'a'.repeat(32)}/x`,
    ]) {
      expect(() => requireSysId(bad, 'id')).toThrow(ValidationError);
    }
  });
});

describe('ServiceNow failure classification', () => {
  it.each([
    [400, false],
    [403, false],
    [404, false],
    [405, false],
    [415, false],
    [401, true],
    [408, true],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [302, true],
  ])('when the status is %i, then retryable is %s', (status, retryable) => {
    const error = failureFromResponse(
      CTX,
      response(status, { error: { message: 'm', detail: 'd' }, status: 'failure' }),
      NOW,
    );

    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ system: 'servicenow', status, retryable, operation: 'getRequestItem' });
    expect(error.code).toBe(retryable ? 'servicenow_unavailable' : 'servicenow_rejected');
  });

  it('when the envelope has message and detail, then both reach remoteMessage; a null detail is left out', () => {
    expect(
      remoteMessageOf(
        JSON.stringify({ error: { message: 'No Record found', detail: 'gone' }, status: 'failure' }),
      ),
    ).toBe('No Record found: gone');
    expect(
      remoteMessageOf(
        JSON.stringify({ error: { message: 'Invalid table x', detail: null }, status: 'failure' }),
      ),
    ).toBe('Invalid table x');
    expect(
      remoteMessageOf(JSON.stringify({ error: 'server_error', error_description: 'access_denied' })),
    ).toBe('server_error: access_denied');
    expect(remoteMessageOf('<html>')).toBeUndefined();
    expect(remoteMessageOf(JSON.stringify({ error: { message: 'x'.repeat(2000) } }))).toHaveLength(500);
  });

  it('when Retry-After is seconds or a date, then it is read; X-RateLimit-Reset is the fallback', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120);
    expect(parseRetryAfter(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(30);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(secondsUntilReset(String(NOW / 1000 + 45), NOW)).toBe(45);
    expect(secondsUntilReset(String(NOW / 1000 - 45), NOW)).toBe(1);

    const fromReset = failureFromResponse(
      CTX,
      response(429, {}, { 'x-ratelimit-reset': String(NOW / 1000 + 600) }),
      NOW,
    );
    const fromBoth = failureFromResponse(
      CTX,
      response(429, {}, { 'retry-after': '5', 'x-ratelimit-reset': String(NOW / 1000 + 600) }),
      NOW,
    );
    expect(fromReset.retryAfterSeconds).toBe(600);
    expect(fromBoth.retryAfterSeconds).toBe(5);
  });

  it('when there was no answer, then a timeout names the limit and other codes are kept, nothing else', () => {
    const timeout = networkFailure(CTX, 'ECONNABORTED', 1500);
    const reset = networkFailure(CTX, 'ECONNRESET', 1500);

    expect(timeout).toMatchObject({ retryable: true, status: undefined });
    expect(timeout.message).toBe('ServiceNow did not answer getRequestItem (GET sc_req_item) within 1500 ms');
    expect(reset.message).toContain('ECONNRESET');
    expect(Object.keys(reset.cause as object)).toEqual([]);
  });
});
