/**
 * The simulator's hourly rate-limit rules (docs/servicenow.md §1 "Rate limits"), with an injected clock.
 */
import { createRateLimiter } from '../../src/simulators/servicenow/rate-limit';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 2, 10, 59, 0);

describe('simulator rate limits', () => {
  it('when no rule applies, then calls pass without rate-limit headers', () => {
    const limiter = createRateLimiter(undefined, () => T0);

    expect(limiter.hit('anyone')).toEqual({ headers: {} });
  });

  it('when the per-hour limit is reached, then the next call is refused until the clock hour turns', () => {
    let now = T0;
    const limiter = createRateLimiter(2, () => now);

    expect(limiter.hit('svc').refusal).toBeUndefined();
    expect(limiter.hit('svc').refusal).toBeUndefined();
    const refused = limiter.hit('svc');
    now = Date.UTC(2026, 2, 2, 11, 0, 0);
    const nextHour = limiter.hit('svc');

    expect(refused.refusal?.status).toBe(429);
    expect(refused.refusal?.headers).toEqual(
      expect.objectContaining({ 'Retry-After': '60', 'X-RateLimit-Limit': '2' }),
    );
    expect(nextHour.refusal).toBeUndefined();
    expect(nextHour.headers['X-RateLimit-Reset']).toBe(
      String((Date.UTC(2026, 2, 2, 11, 0, 0) + HOUR) / 1000),
    );
  });

  it('when limits are per user, then each user has their own count and rule, and others are unlimited', () => {
    const limiter = createRateLimiter({ 'svc.a': 1, 'svc.b': 5 }, () => T0);

    limiter.hit('svc.a');
    const a = limiter.hit('svc.a');
    const b = limiter.hit('svc.b');
    const other = limiter.hit('someone');

    expect(a.refusal?.status).toBe(429);
    expect(b.refusal).toBeUndefined();
    expect(b.headers['X-RateLimit-Rule']).not.toBe(a.headers['X-RateLimit-Rule']);
    expect(other.headers).toEqual({});
  });

  it('when a limit is removed at run time, then calls pass again', () => {
    const limiter = createRateLimiter(1, () => T0);
    limiter.hit('svc');

    limiter.setLimit('*', undefined);

    expect(limiter.hit('svc')).toEqual({ headers: {} });
  });
});
