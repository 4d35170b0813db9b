/**
 * The ticket-update outbox: everything the connector wants to write on a ServiceNow ticket goes
 * through here, so that writes for one ticket apply in order, exactly once, and never reopen a
 * closed ticket — whatever retries, crashes and replays happen in between.
 *
 * Key layout (all under the connector prefix, so one hash slot):
 *   <p>:outbox:<requestId>:seq        INCR counter for update sequence numbers
 *   <p>:outbox:<requestId>:pending    list of pending updates (JSON), applied head first
 *   <p>:outbox:<requestId>:inflight   id of the update being applied (crash detection)
 *   <p>:outbox:<requestId>:progress   latest progress (JSON); coalesced into one note per interval
 *   <p>:outbox:<requestId>:lastprog   when the last progress note was written (ms)
 *   <p>:outbox:<requestId>:closed     set once a terminal update was applied: later ones are dropped
 *   <p>:outbox:<requestId>:lock       one flusher per ticket at a time
 *   <p>:outbox:tickets                set of request ids with pending updates (for the reconciler)
 *
 * Each enqueue also adds a `ticket.update` job (id `tu-<requestId>-<seq>`). A job flushes every
 * pending update of its ticket; jobs that find nothing left simply complete. So ordering comes from
 * the list, not from the queue, and many tickets still flush in parallel.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobName } from '../jobs/catalog';
import { loadScript } from '../redis/lua-script';

/** RITM states the connector sets (docs/servicenow.md §2, "state"). */
export const TICKET_STATE = {
  workInProgress: 2,
  closedComplete: 3,
  closedIncomplete: 4,
} as const;
export type TicketStateValue = (typeof TICKET_STATE)[keyof typeof TICKET_STATE];

const TICKET_UPDATE_JOB = 'ticket.update' satisfies JobName;

/** Queue priorities of ticket jobs (lower runs first). */
const PRIORITY = { closing: 1, note: 5, progress: 10 } as const;

export interface TicketUpdateContent {
  /** RITM state to set; 3 and 4 close the ticket. */
  readonly state?: TicketStateValue;
  /** Timeline for agents (private work notes). */
  readonly workNote?: string;
  /** What the requester must know (customer-visible comment). */
  readonly comment?: string;
  /** Evidence on close: task ids, backup point, sizes, durations. */
  readonly closeNotes?: string;
  /** Set correlation_id / correlation_display to link the ticket to the request. */
  readonly correlate?: boolean;
  /**
   * The request's outcome (`succeeded`, `failed:<code>` …) on its closing update, written into the
   * note as `[outcome <requestId> <outcome>]`: if Redis loses its last writes after the ticket was
   * closed, a re-run reads the outcome back from the ticket instead of guessing (see
   * src/requests/ticket-outcome.ts).
   */
  readonly outcome?: string;
}

export interface TicketUpdate extends TicketUpdateContent {
  /** `<requestId>#<seq>`; also the marker that makes a re-applied note detectable. */
  readonly id: string;
  readonly seq: number;
  readonly kind: 'update' | 'progress';
  readonly requestId: string;
  readonly ritmSysId: string;
  readonly createdAt: number;
}

export interface ProgressReport {
  readonly step: string;
  readonly percent: number;
  readonly text: string;
  readonly at: number;
}

export interface TicketOutboxOptions {
  readonly progressIntervalMs: number;
  /** How long the closed marker lives (≥ ledger retention, so late updates stay dropped). */
  readonly closedRetentionMs: number;
  readonly now?: () => number;
}

export interface TicketOutbox {
  /**
   * Queues an update. With `once`, an update with the same key for this request is queued at most
   * once, ever (within retention): a step that runs again after a crash or a replay does not post
   * its note twice. Returns undefined when skipped for that reason.
   */
  enqueue(
    requestId: string,
    ritmSysId: string,
    content: TicketUpdateContent,
    options?: { readonly once?: string },
  ): Promise<TicketUpdate | undefined>;
  /** Records the latest progress; at most one progress note per interval reaches the ticket. */
  progress(requestId: string, ritmSysId: string, report: Omit<ProgressReport, 'at'>): Promise<void>;
  keys(requestId: string): OutboxKeys;
  pendingCount(requestId: string): Promise<number>;
  pending(requestId: string): Promise<TicketUpdate[]>;
  /** Request ids with updates still pending (the reconciler re-adds a job for each). */
  ticketsWithPending(): Promise<string[]>;
  /** Adds a flush job for the ticket (idempotent per delay bucket). */
  scheduleFlush(requestId: string, ritmSysId: string, delayMs?: number): Promise<void>;
}

export interface OutboxKeys {
  readonly seq: string;
  readonly pending: string;
  readonly inflight: string;
  readonly progress: string;
  readonly lastProgress: string;
  readonly closed: string;
  readonly lock: string;
  readonly tickets: string;
  readonly once: string;
}

export function outboxKeys(prefix: string, requestId: string): OutboxKeys {
  const base = `${prefix}:outbox:${requestId}`;
  return {
    seq: `${base}:seq`,
    pending: `${base}:pending`,
    inflight: `${base}:inflight`,
    progress: `${base}:progress`,
    lastProgress: `${base}:lastprog`,
    closed: `${base}:closed`,
    lock: `${base}:lock`,
    tickets: `${prefix}:outbox:tickets`,
    once: `${base}:once`,
  };
}

// Appends an update with the next sequence number in one step (KEYS, ARGV and the reply are
// described in the script's header).
const enqueueScript = loadScript(__dirname, 'lua/enqueue-update.lua', { keys: 4 });

export function createTicketOutbox(
  redis: Redis,
  prefix: string,
  queue: Queue,
  options: TicketOutboxOptions,
): TicketOutbox {
  const now = options.now ?? Date.now;

  async function push(
    requestId: string,
    update: Omit<TicketUpdate, 'id' | 'seq'>,
    once = '',
  ): Promise<{ added: boolean; seq: number }> {
    const keys = outboxKeys(prefix, requestId);
    const [added, seq] = (await enqueueScript.run(
      redis,
      [keys.seq, keys.pending, keys.tickets, keys.once],
      [JSON.stringify(update), requestId, once, String(options.closedRetentionMs)],
    )) as [number, number];
    return { added: added === 1, seq };
  }

  // A closing update jumps the line: under a burst, hundreds of progress and start notes wait in
  // the queue, and a finished request should not look unfinished for that long. (BullMQ runs lower
  // priority numbers first; every ticket job carries one so the order is well defined.)
  async function addJob(
    requestId: string,
    ritmSysId: string,
    seq: number,
    delayMs = 0,
    priority: number = PRIORITY.note,
  ): Promise<void> {
    await queue.add(
      TICKET_UPDATE_JOB,
      { requestId, ritmSysId },
      { jobId: `tu-${requestId}-${seq}`, delay: delayMs > 0 ? delayMs : undefined, priority },
    );
  }

  return {
    keys: (requestId) => outboxKeys(prefix, requestId),

    async enqueue(requestId, ritmSysId, content, enqueueOptions) {
      const base = { ...content, kind: 'update' as const, requestId, ritmSysId, createdAt: now() };
      const { added, seq } = await push(requestId, base, enqueueOptions?.once ?? '');
      if (!added) {
        return undefined;
      }
      const closing =
        content.state === TICKET_STATE.closedComplete || content.state === TICKET_STATE.closedIncomplete;
      await addJob(requestId, ritmSysId, seq, 0, closing ? PRIORITY.closing : PRIORITY.note);
      return { ...base, seq, id: `${requestId}#${seq}` };
    },

    async progress(requestId, ritmSysId, report) {
      const keys = outboxKeys(prefix, requestId);
      await redis.set(
        keys.progress,
        JSON.stringify({ ...report, at: now() }),
        'PX',
        options.closedRetentionMs,
      );
      const { added, seq } = await push(requestId, {
        kind: 'progress',
        requestId,
        ritmSysId,
        createdAt: now(),
      });
      if (added) {
        const last = Number((await redis.get(keys.lastProgress)) ?? 0);
        const wait = Math.max(0, last + options.progressIntervalMs - now());
        await addJob(requestId, ritmSysId, seq, wait, PRIORITY.progress);
      }
    },

    async pendingCount(requestId) {
      return redis.llen(outboxKeys(prefix, requestId).pending);
    },

    async pending(requestId) {
      const raw = await redis.lrange(outboxKeys(prefix, requestId).pending, 0, -1);
      return raw.map((r) => JSON.parse(r) as TicketUpdate);
    },

    async ticketsWithPending() {
      return redis.smembers(`${prefix}:outbox:tickets`);
    },

    async scheduleFlush(requestId, ritmSysId, delayMs = 0) {
      const bucket = Math.floor((now() + delayMs) / 1000);
      await queue.add(
        TICKET_UPDATE_JOB,
        { requestId, ritmSysId },
        {
          jobId: `tu-${requestId}-f${bucket}`,
          delay: delayMs > 0 ? delayMs : undefined,
          priority: PRIORITY.note,
        },
      );
    },
  };
}
