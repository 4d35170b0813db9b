/**
 * Task scheduling as a discrete-event simulation over an injectable clock (docs/storware-api.md §6):
 *
 * - a task may start only inside [windowStart, windowEnd]; one still queued after windowEnd fails;
 * - queued tasks start by priority (higher first), then in creation order, up to a concurrency
 *   limit, like a Storware node's task slots;
 * - a running task finishes after its duration, or fails halfway when a failure was planned;
 * - timers (inventory becoming visible) run at their time.
 *
 * Nothing runs in the background: `advance(now)` replays every event up to `now` in time order,
 * and the simulator calls it before answering any request. That keeps tests deterministic and
 * lets them jump the clock by hours without waiting.
 */
import type { SimTask } from './model';

export interface TaskEngineHooks {
  /** Called when a task's run is over; a text makes it end FAILED with that `statusInfo`. */
  veto(task: SimTask, at: number): string | undefined;
  /** A task ended as FINISHED at `at`; may enqueue follow-up tasks. */
  onFinished(task: SimTask, at: number): void;
  /** A task ended as FAILED or CANCELLED at `at`. */
  onEnded(task: SimTask, at: number): void;
}

interface Timer {
  readonly at: number;
  readonly run: (at: number) => void;
}

export const NOT_STARTED_IN_WINDOW = 'The task was not started within its time window';

/** Schedules and runs tasks on the injected clock; see the file header for the rules. */
export class TaskEngine {
  private readonly tasks = new Map<string, SimTask>();
  // Queued and running tasks only. Scheduling looks at these alone, so its cost follows the work in
  // flight rather than every task since the start (a long chaos run leaves thousands ended).
  private readonly active = new Set<SimTask>();
  private timers: Timer[] = [];
  private cursor: number;

  constructor(
    private readonly hooks: TaskEngineHooks,
    private readonly maxRunning: number,
    start: number,
  ) {
    this.cursor = start;
  }

  add(task: SimTask): void {
    this.tasks.set(task.guid, task);
    if (task.state === 'QUEUED' || task.state === 'RUNNING') {
      this.active.add(task);
    }
  }

  get(guid: string): SimTask | undefined {
    return this.tasks.get(guid);
  }

  all(): SimTask[] {
    return [...this.tasks.values()];
  }

  schedule(at: number, run: (at: number) => void): void {
    this.timers.push({ at, run });
  }

  /** Processes every event up to and including `target`. */
  advance(target: number): void {
    for (;;) {
      this.settle(this.cursor);
      const next = this.nextEventAfter(this.cursor);
      if (next === undefined || next > target) {
        break;
      }
      this.cursor = next;
    }
    if (target > this.cursor) {
      this.cursor = target;
      this.settle(target);
    }
  }

  /** Ends a queued or running task as CANCELLED; answers false when it had already ended. */
  cancel(task: SimTask, at: number, statusInfo: string): boolean {
    if (task.state !== 'QUEUED' && task.state !== 'RUNNING') {
      return false;
    }
    this.end(task, 'CANCELLED', at, statusInfo);
    this.settle(at);
    return true;
  }

  /** 0–100 with one decimal; rises while RUNNING, frozen once ended. */
  progress(task: SimTask, now: number): number {
    switch (task.state) {
      case 'QUEUED':
        return 0;
      case 'FINISHED':
        return 100;
      case 'FAILED':
      case 'CANCELLED':
        return task.endProgress ?? 0;
      case 'RUNNING':
        return this.progressAt(task, now);
    }
  }

  private progressAt(task: SimTask, at: number): number {
    const elapsed = Math.max(0, at - (task.startTime ?? at));
    const fraction = task.durationMs <= 0 ? 1 : elapsed / task.durationMs;
    return Math.min(99.9, Math.round(fraction * 1000) / 10);
  }

  private endsAt(task: SimTask): number {
    const start = task.startTime ?? this.cursor;
    return task.plannedFailure === undefined
      ? start + task.durationMs
      : start + Math.floor(task.durationMs / 2);
  }

  private end(
    task: SimTask,
    state: 'FINISHED' | 'FAILED' | 'CANCELLED',
    at: number,
    statusInfo?: string,
  ): void {
    task.endProgress = state === 'FINISHED' ? 100 : task.state === 'RUNNING' ? this.progressAt(task, at) : 0;
    task.state = state;
    task.finishTime = at;
    this.active.delete(task);
    if (statusInfo !== undefined) {
      task.statusInfo = statusInfo;
    }
    if (state === 'FINISHED') {
      this.hooks.onFinished(task, at);
    } else {
      this.hooks.onEnded(task, at);
    }
  }

  private settle(t: number): void {
    const running = [...this.active]
      .filter((task) => task.state === 'RUNNING' && this.endsAt(task) <= t)
      .sort((a, b) => this.endsAt(a) - this.endsAt(b) || a.seq - b.seq);
    for (const task of running) {
      const at = this.endsAt(task);
      const failure = task.plannedFailure ?? this.hooks.veto(task, at);
      if (failure === undefined) {
        this.end(task, 'FINISHED', at);
      } else {
        this.end(task, 'FAILED', at, failure);
      }
    }
    const due = this.timers.filter((timer) => timer.at <= t).sort((a, b) => a.at - b.at);
    this.timers = this.timers.filter((timer) => timer.at > t);
    for (const timer of due) {
      timer.run(timer.at);
    }
    for (const task of [...this.active]) {
      if (task.state === 'QUEUED' && task.windowEnd < t) {
        this.end(task, 'FAILED', task.windowEnd, NOT_STARTED_IN_WINDOW);
      }
    }
    let slots = this.maxRunning - [...this.active].filter((task) => task.state === 'RUNNING').length;
    const startable = [...this.active]
      .filter((task) => task.state === 'QUEUED' && task.windowStart <= t && t <= task.windowEnd)
      .sort((a, b) => b.priority - a.priority || a.seq - b.seq);
    for (const task of startable) {
      if (slots <= 0) {
        break;
      }
      task.state = 'RUNNING';
      task.startTime = t;
      slots -= 1;
    }
  }

  private nextEventAfter(c: number): number | undefined {
    const candidates: number[] = [];
    for (const task of this.active) {
      if (task.state === 'RUNNING') {
        candidates.push(this.endsAt(task));
      } else if (task.state === 'QUEUED') {
        candidates.push(task.windowStart, task.windowEnd + 1);
      }
    }
    for (const timer of this.timers) {
      candidates.push(timer.at);
    }
    // A loop, not Math.min(...spread): thousands of candidates would overflow the argument list.
    let next: number | undefined;
    for (const x of candidates) {
      if (x > c && (next === undefined || x < next)) {
        next = x;
      }
    }
    return next;
  }
}
