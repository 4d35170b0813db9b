/**
 * The tag a request's tasks carry in their window start (src/requests/tasks.ts) is how a retry
 * recognises its own task among the instance's others, so two requests on one instance must never
 * share one. Derived tags alone (1–999 from the request id) collide; the allocator in Redis hands
 * out distinct ones. Property-tested on a real Redis, with requests racing for tags.
 */
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { newRequestId } from '../../src/ledger/codec';
import type { RequestDeps } from '../../src/requests/deps';
import { preferredTag, requestTagOn } from '../../src/requests/tasks';
import { deleteByPrefix, newRedis, uniquePrefix } from '../helpers/redis';

describe('task tags per instance', () => {
  let redis: Redis;

  beforeAll(() => {
    redis = newRedis();
  });

  afterAll(() => {
    redis.disconnect();
  });

  function depsAt(prefix: string, now: () => number): RequestDeps {
    return { redis, config: { redis: { prefix } }, now } as unknown as RequestDeps;
  }

  it('when derived from request ids alone, then tags collide among the requests of a busy day (why they are allocated)', () => {
    const ids = Array.from({ length: 2_000 }, () => newRequestId());
    const tags = new Set(ids.map(preferredTag));
    expect(tags.size).toBeLessThan(ids.length);
  });

  it('when requests on a few instances ask for tags at once and again, then no two requests share a tag on one instance and each keeps its own', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 3 })), {
          minLength: 2,
          maxLength: 60,
        }),
        async (plan) => {
          const prefix = uniquePrefix('tags');
          const deps = depsAt(prefix, () => 1_750_000_000_000);
          // Many requests share a preferred tag: ids made to collide on purpose.
          const requests = plan.map(([instance, repeats], i) => ({
            id: `r-${(i % 3).toString(16).padStart(8, '0')}${newRequestId().slice(10)}`,
            vm: `vm-${instance}`,
            repeats,
          }));
          try {
            const calls = requests.flatMap((r) =>
              Array.from({ length: r.repeats }, async () => ({
                r,
                tag: await requestTagOn(deps, r.id, r.vm),
              })),
            );
            const results = await Promise.all(calls);
            const byRequest = new Map<string, Set<number>>();
            for (const { r, tag } of results) {
              expect(tag).toBeGreaterThanOrEqual(1);
              expect(tag).toBeLessThanOrEqual(999);
              const key = `${r.vm} ${r.id}`;
              byRequest.set(key, (byRequest.get(key) ?? new Set()).add(tag));
            }
            // Each request has one tag per instance, however often it asked.
            for (const tags of byRequest.values()) {
              expect(tags.size).toBe(1);
            }
            // No two requests on one instance share it.
            for (const vm of new Set(requests.map((r) => r.vm))) {
              const tags = [...byRequest]
                .filter(([key]) => key.startsWith(`${vm} `))
                .map(([, t]) => [...t][0]);
              expect(new Set(tags).size).toBe(tags.length);
            }
          } finally {
            await deleteByPrefix(redis, prefix);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('when a tag is free, then the request gets its preferred one; when its holder is a day old, then the tag is reused', async () => {
    const prefix = uniquePrefix('tags');
    let now = 1_750_000_000_000;
    const deps = depsAt(prefix, () => now);
    try {
      const first = newRequestId();
      expect(await requestTagOn(deps, first, 'vm-1')).toBe(preferredTag(first));
      const second = `r-${first.slice(2, 10)}${newRequestId().slice(10)}`;
      expect(preferredTag(second)).toBe(preferredTag(first));
      const taken = await requestTagOn(deps, second, 'vm-1');
      expect(taken).not.toBe(preferredTag(first));
      // The same request on another instance may use its preferred tag there.
      expect(await requestTagOn(deps, second, 'vm-2')).toBe(preferredTag(second));
      now += 86_400_001;
      await redis.del(`${prefix}:tasks:tagof:${second}:vm-1`);
      const third = `r-${first.slice(2, 10)}${newRequestId().slice(10)}`;
      expect(await requestTagOn(deps, third, 'vm-1')).toBe(preferredTag(first));
    } finally {
      await deleteByPrefix(redis, prefix);
    }
  });
});
