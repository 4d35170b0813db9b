/**
 * The per-tenant start throttle's admission script on a real Redis: the sliding window, the line
 * (first come, first served), idempotence per request, and the admission mark in the ledger entry.
 * Clocks are explicit, so "a minute later" needs no waiting.
 */
import type { Redis } from 'ioredis';
import { createLedger } from '../../src/ledger';
import { ledgerKeys, newRequestId } from '../../src/ledger/codec';
import {
  ADMITTED_FIELD,
  admitTenantStart,
  leaveTenantLine,
  tenantStartKeys,
  TENANT_START_WINDOW_MS,
  type Admission,
  type AdmissionInput,
} from '../../src/tenancy/tenant-starts';
import { deleteByPrefix, newRedis, uniquePrefix } from '../helpers/redis';
import { newRitmNumber, newSysId } from '../helpers/webhook';

const W = TENANT_START_WINDOW_MS;

let redis: Redis;
let prefix: string;
let t0: number;

beforeAll(() => {
  redis = newRedis();
});

beforeEach(() => {
  prefix = uniquePrefix('starts');
  // Real time, so the keys' TTLs (relative to Redis' clock) keep them alive during the test.
  t0 = Date.now();
});

afterEach(async () => {
  await deleteByPrefix(redis, prefix);
});

afterAll(async () => {
  await redis.quit();
});

type Ask = Partial<AdmissionInput> & Pick<AdmissionInput, 'requestId'>;

function admit(ask: Ask): Promise<Admission> {
  return admitTenantStart(redis, prefix, { tenantId: 'acme', limit: 3, now: t0, ...ask });
}

async function inWindow(tenantId = 'acme'): Promise<Array<[string, number]>> {
  const raw = await redis.zrange(tenantStartKeys(prefix, tenantId).window, '0', '-1', 'WITHSCORES');
  const pairs: Array<[string, number]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    pairs.push([raw[i]!, Number(raw[i + 1])]);
  }
  return pairs;
}

function ids(n: number): string[] {
  return Array.from({ length: n }, () => newRequestId());
}

describe('tenant start admission', () => {
  it('when a tenant with a limit of 3 starts 4 requests, then 3 are admitted and the 4th learns when the oldest slot frees', async () => {
    const [a, b, c, d] = ids(4) as [string, string, string, string];
    expect(await admit({ requestId: a, now: t0 })).toEqual({ admitted: true, fresh: true, admittedAt: t0 });
    expect(await admit({ requestId: b, now: t0 + 10 })).toMatchObject({ admitted: true, fresh: true });
    expect(await admit({ requestId: c, now: t0 + 20 })).toMatchObject({ admitted: true, fresh: true });
    expect(await admit({ requestId: d, now: t0 + 30 })).toEqual({
      admitted: false,
      retryAt: t0 + W,
      ahead: 0,
    });

    // Scores are the admission times, to the millisecond (no float formatting on the way).
    expect(await inWindow()).toEqual([
      [a, t0],
      [b, t0 + 10],
      [c, t0 + 20],
    ]);
    const keys = tenantStartKeys(prefix, 'acme');
    const ttl = await redis.pttl(keys.window);
    expect(ttl).toBeGreaterThan(W);
    expect(ttl).toBeLessThanOrEqual(2 * W);
    expect(await redis.pttl(keys.line)).toBeGreaterThan(0);
    expect(await redis.pttl(keys.deadline)).toBeGreaterThan(0);
  });

  it('when the same request asks again (a retry, a stalled job, a wake-up), then it stays admitted on one slot', async () => {
    const [a, b] = ids(2) as [string, string];
    await admit({ requestId: a, limit: 2, now: t0 });
    expect(await admit({ requestId: a, limit: 2, now: t0 + 5 })).toEqual({
      admitted: true,
      fresh: false,
      admittedAt: t0,
    });
    expect(await admit({ requestId: a, limit: 2, now: t0 + 6 })).toMatchObject({
      admitted: true,
      fresh: false,
    });
    expect(await inWindow()).toHaveLength(1);
    expect(await admit({ requestId: b, limit: 2, now: t0 + 7 })).toMatchObject({
      admitted: true,
      fresh: true,
    });
  });

  it('when one tenant is at its limit, then another tenant is admitted as usual', async () => {
    for (const id of ids(3)) {
      await admit({ requestId: id });
    }
    expect(await admit({ requestId: newRequestId(), now: t0 + 1 })).toMatchObject({ admitted: false });
    expect(await admit({ tenantId: 'globex', requestId: newRequestId(), now: t0 + 1 })).toMatchObject({
      admitted: true,
      fresh: true,
    });
    expect(await inWindow('globex')).toHaveLength(1);
  });

  it('when 20 requests ask at once with a limit of 5, then exactly 5 are admitted and 15 wait in line', async () => {
    const all = ids(20);
    const results = await Promise.all(
      all.map((requestId) =>
        admitTenantStart(redis, prefix, { tenantId: 'acme', requestId, limit: 5, now: t0 }),
      ),
    );
    expect(results.filter((r) => r.admitted)).toHaveLength(5);
    expect(await inWindow()).toHaveLength(5);
    const waiting = all.filter((_, i) => !results[i]!.admitted);
    expect(await redis.zcard(tenantStartKeys(prefix, 'acme').line)).toBe(15);

    // Asked again, each waiter has its own place; slots free a window after the admissions, the
    // first five waiters get that round, the next five the round after, and so on.
    const again = await Promise.all(waiting.map((requestId) => admit({ requestId, limit: 5, now: t0 + 1 })));
    const places = again
      .flatMap((r) => (r.admitted ? [] : [[r.ahead, r.retryAt] as const]))
      .sort((x, y) => x[0] - y[0]);
    expect(places.map(([ahead]) => ahead)).toEqual(Array.from({ length: 15 }, (_, i) => i));
    expect(places.map(([, retryAt]) => retryAt)).toEqual([
      ...Array<number>(5).fill(t0 + W),
      ...Array<number>(5).fill(t0 + 2 * W),
      ...Array<number>(5).fill(t0 + 3 * W),
    ]);
  });

  it('when the window has passed, then the slot is free again (short window)', async () => {
    const windowMs = 500;
    const [a, b] = ids(2) as [string, string];
    await admit({ requestId: a, limit: 1, windowMs, now: t0 });
    expect(await admit({ requestId: b, limit: 1, windowMs, now: t0 + 100 })).toEqual({
      admitted: false,
      retryAt: t0 + windowMs,
      ahead: 0,
    });
    expect(await admit({ requestId: b, limit: 1, windowMs, now: t0 + windowMs - 1 })).toMatchObject({
      admitted: false,
    });
    expect(await admit({ requestId: b, limit: 1, windowMs, now: t0 + windowMs })).toEqual({
      admitted: true,
      fresh: true,
      admittedAt: t0 + windowMs,
    });
    expect(await inWindow()).toEqual([[b, t0 + windowMs]]);
  });

  it('when a slot frees, then the request that waited longest gets it, not the first to ask nor a newcomer', async () => {
    const [a, first, second, newcomer] = ids(4) as [string, string, string, string];
    await admit({ requestId: a, limit: 1, now: t0 });
    expect(await admit({ requestId: first, limit: 1, now: t0 + 1 })).toMatchObject({
      ahead: 0,
      retryAt: t0 + W,
    });
    expect(await admit({ requestId: second, limit: 1, now: t0 + 2 })).toMatchObject({
      ahead: 1,
      retryAt: t0 + 2 * W,
    });

    // The slot is free; the second waiter and a newcomer happen to ask before the first waiter.
    const later = t0 + W + 5;
    expect(await admit({ requestId: second, limit: 1, now: later })).toMatchObject({
      admitted: false,
      ahead: 1,
      retryAt: later + W,
    });
    expect(await admit({ requestId: newcomer, limit: 1, now: later + 1 })).toMatchObject({
      admitted: false,
      ahead: 2,
    });
    expect(await admit({ requestId: first, limit: 1, now: later + 2 })).toMatchObject({
      admitted: true,
      fresh: true,
    });
    expect(await admit({ requestId: newcomer, limit: 1, now: later + 3 })).toMatchObject({ ahead: 1 });
  });

  it('when a waiter does not come back by its deadline, then it no longer holds the line; when it returns with its place, it gets it back', async () => {
    const [a, gone, patient] = ids(3) as [string, string, string];
    await admit({ requestId: a, limit: 1, now: t0 });
    const first = await admit({ requestId: gone, limit: 1, now: t0 + 1 });
    expect(first).toMatchObject({ ahead: 0, retryAt: t0 + W });
    expect(await admit({ requestId: patient, limit: 1, now: t0 + 2 })).toMatchObject({ ahead: 1 });

    // `gone` should have asked again by t0 + W, and counts as gone a window after that.
    const late = t0 + 2 * W + 1;
    expect(await admit({ requestId: patient, limit: 1, now: late })).toMatchObject({
      admitted: true,
      fresh: true,
    });

    // It comes back (a worker outage) and keeps the place it took at t0 + 1 against later arrivals.
    const newcomer = newRequestId();
    expect(await admit({ requestId: newcomer, limit: 1, now: late + 10 })).toMatchObject({ ahead: 0 });
    expect(await admit({ requestId: gone, limit: 1, now: late + 20, queuedAt: t0 + 1 })).toMatchObject({
      admitted: false,
      ahead: 0,
    });
    expect(await admit({ requestId: newcomer, limit: 1, now: late + 30 })).toMatchObject({ ahead: 1 });
  });

  it('when a waiting request ends (cancelled, window over), then leaving the line lets the next one move up', async () => {
    const [a, quitter, next] = ids(3) as [string, string, string];
    await admit({ requestId: a, limit: 1, now: t0 });
    await admit({ requestId: quitter, limit: 1, now: t0 + 1 });
    expect(await admit({ requestId: next, limit: 1, now: t0 + 2 })).toMatchObject({ ahead: 1 });
    await leaveTenantLine(redis, prefix, 'acme', quitter);
    await leaveTenantLine(redis, prefix, 'acme', quitter); // harmless twice
    expect(await admit({ requestId: next, limit: 1, now: t0 + 3 })).toMatchObject({
      ahead: 0,
      retryAt: t0 + W,
    });
    expect(await admit({ requestId: next, limit: 1, now: t0 + W })).toMatchObject({ admitted: true });
  });

  it('when the limit is lowered below the admissions in the window, then waiters wait until enough have expired', async () => {
    const admitted = ids(4);
    for (const [i, id] of admitted.entries()) {
      await admit({ requestId: id, limit: 4, now: t0 + i });
    }
    // Limit now 2: two admissions must expire before any slot is free, and the third frees it.
    expect(await admit({ requestId: newRequestId(), limit: 2, now: t0 + 10 })).toMatchObject({
      admitted: false,
      retryAt: t0 + 2 + W,
    });
  });

  it('when an admitted request reruns long after its slot expired, then the mark in its ledger entry admits it without a slot', async () => {
    const ledger = createLedger(redis, prefix, { retentionDays: 1 });
    const { entry } = await ledger.createOrGet({
      ritmSysId: newSysId(),
      number: newRitmNumber(),
      item: 'storware_backup_now',
      receivedEvent: { type: 'request.received', message: 'test' },
    });
    expect(await admit({ requestId: entry.requestId, limit: 1, now: t0 })).toMatchObject({ fresh: true });
    expect(await redis.hget(ledgerKeys(prefix).data(entry.requestId), ADMITTED_FIELD)).toBe(String(t0));

    // Ten windows later: the window has forgotten it and another request holds the only slot.
    const other = newRequestId();
    expect(await admit({ requestId: other, limit: 1, now: t0 + 10 * W })).toMatchObject({ fresh: true });
    expect(await admit({ requestId: entry.requestId, limit: 1, now: t0 + 10 * W + 1 })).toEqual({
      admitted: true,
      fresh: false,
      admittedAt: t0,
    });
    expect(await inWindow()).toEqual([[other, t0 + 10 * W]]);

    // The ledger still reads the entry as before (the extra field is ignored by its readers).
    const read = await ledger.get(entry.requestId);
    expect(read).toMatchObject({ requestId: entry.requestId, state: 'received' });

    // No entry (the other request): no stray :data hash is made for it.
    expect(await redis.exists(ledgerKeys(prefix).data(other))).toBe(0);
  });

  it('when the limit is not a positive integer, then nothing is asked of Redis', async () => {
    await expect(admit({ requestId: newRequestId(), limit: 0 })).rejects.toThrow(RangeError);
  });
});
