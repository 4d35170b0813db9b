/**
 * Applies a ticket's pending updates to ServiceNow, in order, exactly once.
 *
 * - Order: one flusher per ticket (a short Redis lock); updates are taken from the head of the
 *   ticket's list and removed only after ServiceNow accepted them.
 * - Exactly once: before a write, the update's id is stored as "in flight" and written into the
 *   note as a marker (`[ref r-…#7]`). If the process dies after ServiceNow accepted the write but
 *   before the list was updated, the next flusher finds the in-flight id, looks for the marker in
 *   the ticket's journal, and skips the write when it is there: no duplicate notes.
 * - Finality: once a closing update is applied, everything later for that ticket is dropped; and
 *   before any state change the ticket's current state is read, so a ticket closed in ServiceNow
 *   (cancelled by the requester, closed by an agent) is never moved back.
 * - Progress: one pending placeholder per ticket, written with the latest value, at most once per
 *   interval.
 * - A flow that owns the RITM's state can make ServiceNow refuse a state change (400/403): the
 *   update is then written without the state, into the fallback field if one is configured, and
 *   reported so ops can see it.
 */
import type { Redis } from 'ioredis';
import { UpstreamError } from '../errors';
import { withLock } from '../redis/lock';
import { loadScript } from '../redis/lua-script';
import type { OutboxKeys, ProgressReport, TicketUpdate } from './outbox';

/** What the flusher needs from ServiceNow; implemented over the ServiceNow client. */
export interface TicketWriter {
  /** The RITM's current `state`, or undefined when the RITM cannot be found. */
  currentState(ritmSysId: string): Promise<number | undefined>;
  patch(ritmSysId: string, fields: Record<string, string>): Promise<void>;
  /** Whether a journal entry (work notes or comments) of the RITM contains the text. */
  journalContains(ritmSysId: string, text: string): Promise<boolean>;
}

export interface FlushOptions {
  readonly keys: OutboxKeys;
  readonly ritmSysId: string;
  readonly requestId: string;
  readonly progressIntervalMs: number;
  readonly closedRetentionMs: number;
  /** Field written instead of `state` when a flow owns the state (e.g. `u_storware_status`). */
  readonly fallbackStateField?: string;
  readonly correlationDisplay: string;
  readonly now?: () => number;
  readonly onApplied?: (update: TicketUpdate, fields: Record<string, string>) => Promise<void> | void;
  readonly onDropped?: (update: TicketUpdate, reason: 'ticket_closed') => Promise<void> | void;
  readonly onStateRefused?: (update: TicketUpdate, error: UpstreamError) => Promise<void> | void;
}

export type FlushResult =
  | { readonly kind: 'done'; readonly applied: number; readonly dropped: number }
  | { readonly kind: 'busy' }
  | { readonly kind: 'wait'; readonly until: number; readonly applied: number; readonly dropped: number };

/** ServiceNow states in which the ticket is closed (docs/servicenow.md §2: 3, 4, 7 are inactive). */
const CLOSED_STATES = new Set([3, 4, 7]);
const LOCK_TTL_MS = 60_000;

const STATE_LABEL: Record<number, string> = {
  2: 'Work in Progress',
  3: 'Closed Complete',
  4: 'Closed Incomplete',
};

export function marker(updateId: string): string {
  return `[ref ${updateId}]`;
}

/** The closing note's record of the outcome; read back by src/requests/ticket-outcome.ts. */
export function outcomeTag(requestId: string, outcome: string): string {
  return `[outcome ${requestId} ${outcome}]`;
}

function progressNote(report: ProgressReport | undefined): string | undefined {
  if (!report) {
    return undefined;
  }
  return `Progress: ${report.step} ${Math.round(report.percent)}%${report.text ? ` (${report.text})` : ''}`;
}

// Removes the head only if it is still the update we applied.
const popIfHeadScript = loadScript(__dirname, 'lua/pop-if-head.lua', { keys: 3 });

export async function flushTicket(
  redis: Redis,
  writer: TicketWriter,
  options: FlushOptions,
): Promise<FlushResult> {
  const now = options.now ?? Date.now;
  const { keys } = options;
  // One flusher per ticket; the lock is released only while it is still ours, so a slow flusher
  // cannot free a successor's.
  const outcome = await withLock(redis, keys.lock, LOCK_TTL_MS, async (): Promise<FlushResult> => {
    let applied = 0;
    let dropped = 0;
    for (;;) {
      const head = await redis.lindex(keys.pending, 0);
      if (head === null) {
        await redis.srem(keys.tickets, options.requestId);
        return { kind: 'done', applied, dropped };
      }
      const update = JSON.parse(head) as TicketUpdate;
      const pop = () =>
        popIfHeadScript.run(
          redis,
          [keys.pending, keys.inflight, keys.tickets],
          [update.id, options.requestId],
        );

      if ((await redis.exists(keys.closed)) === 1) {
        await pop();
        dropped += 1;
        await options.onDropped?.(update, 'ticket_closed');
        continue;
      }

      let content: Pick<
        TicketUpdate,
        'state' | 'workNote' | 'comment' | 'closeNotes' | 'correlate' | 'outcome'
      > = update;
      if (update.kind === 'progress') {
        const last = Number((await redis.get(keys.lastProgress)) ?? 0);
        const due = last + options.progressIntervalMs;
        if (now() < due) {
          return { kind: 'wait', until: due, applied, dropped };
        }
        const raw = await redis.get(keys.progress);
        const note = progressNote(raw ? (JSON.parse(raw) as ProgressReport) : undefined);
        if (!note) {
          await pop();
          continue;
        }
        content = { workNote: note };
      }

      // A previous flusher may have written this update and died before popping it.
      if (
        (await redis.get(keys.inflight)) === update.id &&
        (await writer.journalContains(options.ritmSysId, marker(update.id)))
      ) {
        await pop();
        applied += 1;
        continue;
      }

      const fields: Record<string, string> = {};
      let state = content.state;
      let closeNotes = content.closeNotes;
      if (state !== undefined) {
        const current = await writer.currentState(options.ritmSysId);
        if (current !== undefined && CLOSED_STATES.has(current)) {
          // Closed in ServiceNow already (cancelled, or closed by an agent): never reopen or move it.
          state = undefined;
          closeNotes = undefined;
          await redis.set(keys.closed, String(current), 'PX', options.closedRetentionMs);
        }
      }
      if (state !== undefined) {
        fields.state = String(state);
      }
      if (closeNotes) {
        fields.close_notes = closeNotes;
      }
      if (content.correlate) {
        fields.correlation_id = options.requestId;
        fields.correlation_display = options.correlationDisplay;
      }
      if (content.comment) {
        fields.comments = content.comment;
      }
      // Every write carries a work note with the marker, so a re-applied write is detectable.
      fields.work_notes = `${content.workNote ?? (state !== undefined ? `State set to ${STATE_LABEL[state] ?? state}.` : 'Update from the Storware connector.')} ${marker(update.id)}${content.outcome ? ` ${outcomeTag(update.requestId, content.outcome)}` : ''}`;

      await redis.set(keys.inflight, update.id, 'PX', options.closedRetentionMs);
      try {
        await writer.patch(options.ritmSysId, fields);
      } catch (error) {
        const refusedState =
          error instanceof UpstreamError &&
          !error.retryable &&
          (error.status === 400 || error.status === 403) &&
          fields.state !== undefined;
        if (!refusedState) {
          throw error;
        }
        const fallback: Record<string, string> = { ...fields };
        delete fallback.state;
        delete fallback.close_notes;
        if (options.fallbackStateField) {
          fallback[options.fallbackStateField] = STATE_LABEL[Number(fields.state)] ?? String(fields.state);
        }
        fallback.work_notes = `${fields.work_notes}\nThe connector could not set the state (${error.remoteMessage ?? `HTTP ${error.status}`}); an agent should set it to ${STATE_LABEL[Number(fields.state)] ?? fields.state}.`;
        await writer.patch(options.ritmSysId, fallback);
        await options.onStateRefused?.(update, error);
      }
      if (state === 3 || state === 4) {
        // The ticket is final: its bookkeeping only has to outlive late, replayed updates.
        await redis
          .multi()
          .set(keys.closed, String(state), 'PX', options.closedRetentionMs)
          .pexpire(keys.seq, options.closedRetentionMs)
          .pexpire(keys.once, options.closedRetentionMs)
          .exec();
      }
      if (update.kind === 'progress') {
        await redis.set(keys.lastProgress, String(now()), 'PX', options.closedRetentionMs);
      }
      await pop();
      applied += 1;
      await options.onApplied?.(update, fields);
    }
  });
  return outcome.acquired ? outcome.value : { kind: 'busy' };
}
