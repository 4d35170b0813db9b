/**
 * The simulator's task scheduling (docs/storware-api.md §6: start only inside the window, priority
 * 0–100 with higher first, states QUEUED → RUNNING → FINISHED / FAILED / CANCELLED), tested on the
 * engine alone, including a property test over random task sets.
 */
import fc from 'fast-check';
import type { SimTask } from '../../src/simulators/storware/model';
import { NOT_STARTED_IN_WINDOW, TaskEngine } from '../../src/simulators/storware/task-engine';

const T0 = 1_000_000;

function task(seq: number, overrides: Partial<SimTask> = {}): SimTask {
  return {
    guid: `t${seq}`,
    type: 'EXPORT',
    state: 'QUEUED',
    priority: 50,
    seq,
    createdAt: T0,
    windowStart: T0,
    windowEnd: T0 + 10_000,
    durationMs: 1_000,
    hypervisorManagerGuid: 'hvm',
    ...overrides,
  };
}

function engine(maxRunning = 2) {
  const finished: string[] = [];
  const ended: string[] = [];
  const e = new TaskEngine(
    {
      veto: () => undefined,
      onFinished: (t) => finished.push(t.guid),
      onEnded: (t) => ended.push(t.guid),
    },
    maxRunning,
    T0,
  );
  return { e, finished, ended };
}

describe('simulator task engine (docs/storware-api.md §6)', () => {
  it('when time passes, then a task runs with rising progress and finishes at start + duration', () => {
    const { e, finished } = engine();
    const t = task(1);
    e.add(t);
    e.advance(T0);
    expect(t).toMatchObject({ state: 'RUNNING', startTime: T0 });
    expect(e.progress(t, T0 + 333)).toBe(33.3);
    e.advance(T0 + 1_000);
    expect(t).toMatchObject({ state: 'FINISHED', finishTime: T0 + 1_000 });
    expect(e.progress(t, T0 + 5_000)).toBe(100);
    expect(finished).toEqual(['t1']);
  });

  it('when slots are full, then higher priority starts first and ties go by creation order', () => {
    const { e } = engine(1);
    const first = task(1);
    const low = task(2, { priority: 10 });
    const highLater = task(4, { priority: 90 });
    const highEarlier = task(3, { priority: 90 });
    [first, low, highLater, highEarlier].forEach((t) => e.add(t));
    const order: string[] = [];
    for (let now = T0; now <= T0 + 3_000; now += 1_000) {
      e.advance(now);
      order.push([first, low, highLater, highEarlier].find((t) => t.state === 'RUNNING')!.guid);
    }
    expect(order).toEqual(['t3', 't4', 't1', 't2']);
  });

  it('when a planned failure is set, then the task fails halfway with that statusInfo and frozen progress', () => {
    const { e, ended } = engine();
    const t = task(1, { plannedFailure: 'disk unreadable' });
    e.add(t);
    e.advance(T0 + 10_000);
    expect(t).toMatchObject({ state: 'FAILED', statusInfo: 'disk unreadable', finishTime: T0 + 500 });
    expect(e.progress(t, T0 + 10_000)).toBe(50);
    expect(ended).toEqual(['t1']);
  });

  it('when a queued task passes windowEnd, then it fails at windowEnd without starting', () => {
    const { e } = engine(1);
    const blocker = task(1, { durationMs: 20_000 });
    const late = task(2, { windowEnd: T0 + 5_000 });
    e.add(blocker);
    e.add(late);
    e.advance(T0 + 30_000);
    expect(late).toMatchObject({
      state: 'FAILED',
      statusInfo: NOT_STARTED_IN_WINDOW,
      finishTime: T0 + 5_000,
    });
    expect(late.startTime).toBeUndefined();
  });

  it('when cancelled, then a queued or running task ends CANCELLED and frees its slot; an ended one refuses', () => {
    const { e } = engine(1);
    const a = task(1);
    const b = task(2);
    e.add(a);
    e.add(b);
    e.advance(T0 + 400);
    expect(e.cancel(a, T0 + 400, 'Canceled by user')).toBe(true);
    expect(a).toMatchObject({ state: 'CANCELLED', endProgress: 40 });
    expect(b).toMatchObject({ state: 'RUNNING', startTime: T0 + 400 });
    expect(e.cancel(a, T0 + 500, 'again')).toBe(false);
  });

  it('when timers are due, then they run in time order during advance', () => {
    const { e } = engine();
    const seen: number[] = [];
    e.schedule(T0 + 300, (at) => seen.push(at));
    e.schedule(T0 + 100, (at) => seen.push(at));
    e.advance(T0 + 200);
    expect(seen).toEqual([T0 + 100]);
    e.advance(T0 + 300);
    expect(seen).toEqual([T0 + 100, T0 + 300]);
  });

  it('for any set of tasks, then slots are never exceeded, every task ends, and none starts outside its window', () => {
    const taskArb = fc.record({
      priority: fc.integer({ min: 0, max: 100 }),
      startOffset: fc.integer({ min: 0, max: 5_000 }),
      windowLength: fc.integer({ min: 1, max: 8_000 }),
      durationMs: fc.integer({ min: 1, max: 3_000 }),
      fails: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(taskArb, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 3 }),
        (specs, slots) => {
          const { e } = engine(slots);
          const tasks = specs.map((s, i) =>
            task(i, {
              priority: s.priority,
              windowStart: T0 + s.startOffset,
              windowEnd: T0 + s.startOffset + s.windowLength,
              durationMs: s.durationMs,
              ...(s.fails ? { plannedFailure: 'x' } : {}),
            }),
          );
          tasks.forEach((t) => e.add(t));
          for (let now = T0; now <= T0 + 60_000; now += 97) {
            e.advance(now);
            expect(tasks.filter((t) => t.state === 'RUNNING').length).toBeLessThanOrEqual(slots);
          }
          for (const t of tasks) {
            expect(['FINISHED', 'FAILED']).toContain(t.state);
            if (t.startTime !== undefined) {
              expect(t.startTime).toBeGreaterThanOrEqual(t.windowStart);
              expect(t.startTime).toBeLessThanOrEqual(t.windowEnd);
            } else {
              expect(t.statusInfo).toBe(NOT_STARTED_IN_WINDOW);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
