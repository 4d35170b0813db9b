/**
 * The races behind R4 (a runner that lost its lock while its create call was on the way) and the
 * restore mix-up the combined chaos run found, played deterministically on a real Redis ledger:
 * - while one runner creates a task, no other search may see it (a lock per instance and type),
 *   so a second runner waits instead of taking it;
 * - if the lock has lapsed (its holder frozen longer than the grace period) and the second runner
 *   adopted the very task the first created, the first keeps it — cancelling "its duplicate"
 *   would cancel the request's own backup; when the two really created two tasks, the later one is
 *   still cancelled;
 * - a task known only by a caller's matcher (a restore, by its backup point) is not adopted by a
 *   request that never asked for one: it is another request's restore of the same point;
 * - a ledger entry rebuilt after lost Redis writes gets its request id back.
 */
import type { Redis } from 'ioredis';
import type { StorwareClient, StorwareTask } from '../../src/clients/storware';
import { createLedger, type Ledger, type LedgerEntry } from '../../src/ledger';
import type { RequestDeps } from '../../src/requests/deps';
import { createTaskWatch } from '../../src/requests/task-watch';
import { RunSupersededError, type RunOwner } from '../../src/requests/flow';
import { ensureTask, preferredTag, taggedWindowStart, type EnsureTaskInput } from '../../src/requests/tasks';
import { deleteByPrefix, newRedis, uniquePrefix } from '../helpers/redis';
import { newSysId } from '../helpers/webhook';

describe('two runners of one request around a Storware create', () => {
  let redis: Redis;
  let prefix: string;
  let ledger: Ledger;
  let listed: StorwareTask[];
  let cancelled: string[];
  let deps: RequestDeps;
  /** Runs before the next task search answers (once): a runner frozen right after its search. */
  let beforeList: (() => Promise<void>) | undefined;

  beforeAll(() => {
    redis = newRedis();
  });

  afterAll(() => {
    redis.disconnect();
  });

  beforeEach(() => {
    prefix = uniquePrefix('race');
    ledger = createLedger(redis, prefix, { retentionDays: 1 });
    listed = [];
    cancelled = [];
    beforeList = undefined;
    const storware = {
      listTasks: async () => {
        await beforeList?.();
        return { items: [...listed], total: listed.length };
      },
      listAllTasks: () => Promise.resolve([...listed]),
      cancelTask: (guid: string) => {
        cancelled.push(guid);
        return Promise.resolve();
      },
    } as unknown as StorwareClient;
    deps = {
      config: { redis: { prefix }, storware: { timeoutMs: 1_000 } },
      redis,
      ledger,
      watch: createTaskWatch(redis, prefix, 86_400_000),
      storware,
      now: Date.now,
    } as unknown as RequestDeps;
  });

  afterEach(async () => {
    await deleteByPrefix(redis, prefix);
  });

  /** What a holder frozen past the grace period leaves: its lock gone. */
  async function dropLocks(): Promise<void> {
    const keys = await redis.keys(`${prefix}:tasks:lock:*`);
    if (keys.length > 0) {
      await redis.del(...keys);
    }
  }

  async function newEntry(): Promise<LedgerEntry> {
    const { entry } = await ledger.createOrGet({
      ritmSysId: newSysId(),
      number: `RITM00${Math.floor(Math.random() * 1e8)}`,
      item: 'storware_backup_now',
      receivedEvent: { type: 'request.received', message: 'test' },
    });
    return entry;
  }

  function exportTask(guid: string, entry: LedgerEntry): StorwareTask {
    return {
      guid,
      type: 'EXPORT',
      state: 'RUNNING',
      stateName: 'RUNNING',
      progress: 10,
      windowStart: taggedWindowStart(Date.now(), preferredTag(entry.requestId)),
    };
  }

  const input = (create: () => Promise<StorwareTask>, owner?: RunOwner): EnsureTaskInput => ({
    step: 'export',
    type: 'EXPORT',
    vmGuid: 'vm-1',
    owner,
    create,
  });

  /** A BullMQ job lock as a worker holds it: the key with the worker's token. */
  async function holdJobLock(entry: LedgerEntry, token: string): Promise<RunOwner> {
    const jobLockKey = `${prefix}:requests:run-${entry.requestId}:lock`;
    await redis.set(jobLockKey, token, 'PX', 60_000);
    return { jobLockKey, token };
  }

  it('when a second runner searches while the first is creating, then it waits instead of taking the new task', async () => {
    const entry = await newEntry();
    const a = await ensureTask(
      deps,
      entry,
      input(async () => {
        const task = exportTask('task-1', entry);
        listed.push(task);
        const b = await ensureTask(
          deps,
          entry,
          input(() => Promise.reject(new Error('the second runner must not create'))),
        );
        expect(b).toMatchObject({ kind: 'wait' });
        return task;
      }),
    );
    expect(a).toMatchObject({ kind: 'task', task: { guid: 'task-1' }, created: true });
    expect(cancelled).toEqual([]);
  });

  it('when the lock had lapsed and the other runner adopted the very task this runner created, then nothing is cancelled and both see one task', async () => {
    const entry = await newEntry();
    const a = await ensureTask(
      deps,
      entry,
      input(async () => {
        const task = exportTask('task-1', entry);
        listed.push(task);
        await dropLocks();
        const b = await ensureTask(
          deps,
          entry,
          input(() => Promise.reject(new Error('the second runner must adopt, not create'))),
        );
        expect(b).toMatchObject({ kind: 'task', adopted: true, task: { guid: 'task-1' } });
        return task;
      }),
    );
    expect(a).toMatchObject({ kind: 'task', task: { guid: 'task-1' }, created: false });
    expect(cancelled).toEqual([]);
    expect((await ledger.get(entry.requestId))?.tasks.export?.guid).toBe('task-1');
  });

  it('when another request restores the same backup point, then its task is not adopted by a request that never asked for one', async () => {
    const mine = await newEntry();
    const theirs: StorwareTask = {
      ...exportTask('their-restore', mine),
      type: 'RESTORE',
      backup: { guid: 'b-1' },
    };
    listed.push(theirs);
    const restore = (create: () => Promise<StorwareTask>): EnsureTaskInput => ({
      step: 'restore',
      type: 'RESTORE',
      vmGuid: 'vm-1',
      matches: (t) => t.backup?.guid === 'b-1',
      owner: undefined,
      create,
    });
    const result = await ensureTask(
      deps,
      mine,
      restore(() =>
        Promise.resolve({ ...exportTask('my-restore', mine), type: 'RESTORE', backup: { guid: 'b-1' } }),
      ),
    );
    expect(result).toMatchObject({ kind: 'task', created: true, task: { guid: 'my-restore' } });
    // A retry of a create that got no answer does look, and finds its own.
    const retrying = await newEntry();
    await redis.set(`${prefix}:tasks:intent:${retrying.requestId}:restore`, String(Date.now() - 60_000));
    const adopted = await ensureTask(
      deps,
      retrying,
      restore(() => Promise.reject(new Error('must adopt'))),
    );
    expect(adopted).toMatchObject({ kind: 'task', adopted: true, task: { guid: 'their-restore' } });
  });

  it('when the two runners really created two tasks, then the later one is cancelled and the first kept', async () => {
    const entry = await newEntry();
    const a = await ensureTask(
      deps,
      entry,
      input(async () => {
        // B ran after A's create intent and lock had lapsed, searched before A's task existed,
        // and created its own.
        await redis.del(`${prefix}:tasks:intent:${entry.requestId}:export`);
        await dropLocks();
        const b = await ensureTask(
          deps,
          entry,
          input(() => Promise.resolve(exportTask('task-b', entry))),
        );
        expect(b).toMatchObject({ kind: 'task', created: true, task: { guid: 'task-b' } });
        return exportTask('task-a', entry);
      }),
    );
    expect(a).toMatchObject({ kind: 'task', task: { guid: 'task-b' }, created: false });
    expect(cancelled).toEqual(['task-a']);
  });

  it('when a runner froze between its search and its create while another worker took its job and created the task, then the frozen runner creates nothing', async () => {
    // The interleaving behind the duplicate exports of the combined chaos run: runner A searched
    // (nothing yet), froze past its job lock and the instance lock; BullMQ gave the job to runner
    // B, which searched, created and recorded the export; then A woke up and went on to create.
    const entry = await newEntry();
    const ownerA = await holdJobLock(entry, 'token-a');
    const creates: string[] = [];
    beforeList = async () => {
      beforeList = undefined;
      await dropLocks();
      const ownerB = await holdJobLock(entry, 'token-b');
      const b = await ensureTask(
        deps,
        entry,
        input(() => {
          creates.push('task-b');
          return Promise.resolve(exportTask('task-b', entry));
        }, ownerB),
      );
      expect(b).toMatchObject({ kind: 'task', created: true, task: { guid: 'task-b' } });
    };
    await expect(
      ensureTask(
        deps,
        entry,
        input(() => {
          creates.push('task-a');
          return Promise.resolve(exportTask('task-a', entry));
        }, ownerA),
      ),
    ).rejects.toBeInstanceOf(RunSupersededError);
    expect(creates).toEqual(['task-b']);
    expect(cancelled).toEqual([]);
    expect((await ledger.get(entry.requestId))?.tasks.export?.guid).toBe('task-b');
  });

  it("when the job is still this runner's but the task was recorded while it searched, then it takes the recorded task and creates nothing", async () => {
    const entry = await newEntry();
    const owner = await holdJobLock(entry, 'token-a');
    beforeList = async () => {
      beforeList = undefined;
      await ledger.recordTask(entry.requestId, 'export', {
        guid: 'task-recorded',
        type: 'EXPORT',
        state: 'QUEUED',
        createdAt: Date.now(),
        updatedAt: Date.now(),
      });
    };
    const result = await ensureTask(
      deps,
      entry,
      input(() => Promise.reject(new Error('must not create')), owner),
    );
    expect(result).toMatchObject({ kind: 'task', created: false, task: { guid: 'task-recorded' } });
  });

  it("when the instance's lock lapsed under a slow search but the job is still this runner's, then it looks again later instead of creating", async () => {
    const entry = await newEntry();
    const owner = await holdJobLock(entry, 'token-a');
    beforeList = async () => {
      beforeList = undefined;
      await dropLocks();
    };
    const result = await ensureTask(
      deps,
      entry,
      input(() => Promise.reject(new Error('must not create')), owner),
    );
    expect(result).toMatchObject({ kind: 'wait' });
  });

  it('when a ledger entry is made again for the same RITM (lost writes, rebuilt), then it has the same request id', async () => {
    const ritmSysId = newSysId();
    const input = {
      ritmSysId,
      number: 'RITM0012346',
      item: 'storware_backup_now' as const,
      receivedEvent: { type: 'request.received', message: 'test' },
    };
    const first = await ledger.createOrGet(input);
    await deleteByPrefix(redis, prefix);
    const rebuilt = await ledger.createOrGet(input);
    expect(rebuilt.created).toBe(true);
    expect(rebuilt.entry.requestId).toBe(first.entry.requestId);
    expect((await ledger.createOrGet({ ...input, ritmSysId: newSysId() })).entry.requestId).not.toBe(
      first.entry.requestId,
    );
  });
});
