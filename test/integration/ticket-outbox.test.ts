import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { UpstreamError } from '../../src/errors';
import { createTicketOutbox, outboxKeys, type TicketOutbox } from '../../src/ticket-updates/outbox';
import {
  flushTicket,
  marker,
  type FlushOptions,
  type TicketWriter,
} from '../../src/ticket-updates/flush-ticket';
import { deleteByPrefix, newRedis, uniquePrefix } from '../helpers/redis';

const RITM = 'c0c0e000000000000000000000000001';
const REQ = 'r-0123456789abcdef0123456789abcdef';

/** A ServiceNow stand-in at the port boundary: records writes, can refuse or fail them. */
class FakeWriter implements TicketWriter {
  state = 1;
  writes: Array<Record<string, string>> = [];
  journal: string[] = [];
  failNext: Error | undefined;
  refuseState = false;

  currentState(): Promise<number | undefined> {
    return Promise.resolve(this.state);
  }

  patch(_sysId: string, fields: Record<string, string>): Promise<void> {
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      return Promise.reject(error);
    }
    if (this.refuseState && fields.state !== undefined) {
      return Promise.reject(
        new UpstreamError('servicenow', 'refused', {
          status: 403,
          retryable: false,
          remoteMessage: 'Operation against file sc_req_item was aborted by Business Rule',
        }),
      );
    }
    this.writes.push(fields);
    if (fields.state) {
      this.state = Number(fields.state);
    }
    for (const f of ['work_notes', 'comments'] as const) {
      if (fields[f]) {
        this.journal.push(fields[f]);
      }
    }
    return Promise.resolve();
  }

  journalContains(_sysId: string, text: string): Promise<boolean> {
    return Promise.resolve(this.journal.some((j) => j.includes(text)));
  }
}

describe('ticket outbox and flusher', () => {
  let redis: Redis;
  let prefix: string;
  let queue: Queue;
  let outbox: TicketOutbox;
  let clock: number;
  let writer: FakeWriter;

  const options = (extra: Partial<FlushOptions> = {}): FlushOptions => ({
    keys: outboxKeys(prefix, REQ),
    ritmSysId: RITM,
    requestId: REQ,
    progressIntervalMs: 60_000,
    closedRetentionMs: 86_400_000,
    correlationDisplay: 'storware-itsm-connector',
    now: () => clock,
    ...extra,
  });

  beforeEach(() => {
    redis = newRedis();
    prefix = uniquePrefix('outbox');
    queue = new Queue('ticket-updates', { connection: redis, prefix });
    clock = Date.UTC(2026, 10, 28, 10);
    outbox = createTicketOutbox(redis, prefix, queue, {
      progressIntervalMs: 60_000,
      closedRetentionMs: 86_400_000,
      now: () => clock,
    });
    writer = new FakeWriter();
  });

  afterEach(async () => {
    await queue.close();
    await deleteByPrefix(redis, prefix);
    redis.disconnect();
  });

  it('when updates are enqueued, then they are written in order with markers and one job each', async () => {
    await outbox.enqueue(REQ, RITM, {
      state: 2,
      correlate: true,
      workNote: 'Accepted',
      comment: 'We received your request.',
    });
    await outbox.enqueue(REQ, RITM, { workNote: 'Export task started' });
    await outbox.enqueue(REQ, RITM, { state: 3, comment: 'Done.', closeNotes: 'task t-1' });
    expect(await queue.getJobCounts('waiting', 'prioritized')).toEqual({ waiting: 0, prioritized: 3 });

    const result = await flushTicket(redis, writer, options());
    expect(result).toEqual({ kind: 'done', applied: 3, dropped: 0 });
    expect(writer.writes.map((w) => w.state)).toEqual(['2', undefined, '3']);
    expect(writer.writes[0]).toMatchObject({
      correlation_id: REQ,
      correlation_display: 'storware-itsm-connector',
      comments: 'We received your request.',
    });
    expect(writer.writes[1]!.work_notes).toBe(`Export task started ${marker(`${REQ}#2`)}`);
    expect(writer.writes[2]).toMatchObject({ close_notes: 'task t-1' });
    expect(await outbox.pendingCount(REQ)).toBe(0);
    expect(await outbox.ticketsWithPending()).toEqual([]);
  });

  it('when the ticket was closed by a terminal update, then late updates are dropped, never reopening it', async () => {
    await outbox.enqueue(REQ, RITM, { state: 3, comment: 'Done.' });
    await flushTicket(redis, writer, options());
    await outbox.enqueue(REQ, RITM, { state: 2, workNote: 'late replayed accept' });
    const dropped: string[] = [];
    const result = await flushTicket(redis, writer, options({ onDropped: (u) => void dropped.push(u.id) }));
    expect(result).toEqual({ kind: 'done', applied: 0, dropped: 1 });
    expect(writer.state).toBe(3);
    expect(writer.writes).toHaveLength(1);
    expect(dropped).toEqual([`${REQ}#2`]);
  });

  it('when ServiceNow closed the ticket itself, then a state change is stripped but the note is written', async () => {
    writer.state = 4; // cancelled by the requester
    await outbox.enqueue(REQ, RITM, { state: 2, workNote: 'Accepted' });
    await flushTicket(redis, writer, options());
    expect(writer.writes).toHaveLength(1);
    expect(writer.writes[0]!.state).toBeUndefined();
    expect(writer.state).toBe(4);
  });

  it('when a write fails, then it stays at the head and is retried in order', async () => {
    await outbox.enqueue(REQ, RITM, { workNote: 'first' });
    await outbox.enqueue(REQ, RITM, { workNote: 'second' });
    writer.failNext = new UpstreamError('servicenow', 'down', { status: 503, retryable: true });
    await expect(flushTicket(redis, writer, options())).rejects.toThrow('down');
    expect(await outbox.pendingCount(REQ)).toBe(2);
    await flushTicket(redis, writer, options());
    expect(writer.writes.map((w) => w.work_notes!.split(' [')[0])).toEqual(['first', 'second']);
  });

  it('when a flusher died after ServiceNow accepted a write, then the retry finds the marker and writes nothing twice', async () => {
    const update = (await outbox.enqueue(REQ, RITM, { workNote: 'Backup finished' }))!;
    // Simulate the crash: the write reached ServiceNow and the in-flight marker is set, the pop never happened.
    await writer.patch(RITM, { work_notes: `Backup finished ${marker(update.id)}` });
    await redis.set(outbox.keys(REQ).inflight, update.id);
    const result = await flushTicket(redis, writer, options());
    expect(result).toEqual({ kind: 'done', applied: 1, dropped: 0 });
    expect(writer.writes).toHaveLength(1);
  });

  it('when an update is enqueued once under a key twice, then only the first is queued', async () => {
    expect(await outbox.enqueue(REQ, RITM, { workNote: 'Accepted' }, { once: 'accepted' })).toBeDefined();
    expect(await outbox.enqueue(REQ, RITM, { workNote: 'Accepted' }, { once: 'accepted' })).toBeUndefined();
    expect(await outbox.pendingCount(REQ)).toBe(1);
  });

  it('when another flusher holds the ticket, then this one backs off', async () => {
    await outbox.enqueue(REQ, RITM, { workNote: 'x' });
    await redis.set(outbox.keys(REQ).lock, 'someone-else');
    expect(await flushTicket(redis, writer, options())).toEqual({ kind: 'busy' });
  });

  it('when 200 progress events arrive, then one note per interval carries the latest value', async () => {
    for (let i = 1; i <= 100; i += 1) {
      await outbox.progress(REQ, RITM, { step: 'export', percent: i / 2, text: '' });
    }
    expect(await outbox.pendingCount(REQ)).toBe(1);
    await flushTicket(redis, writer, options());
    expect(writer.writes).toHaveLength(1);
    expect(writer.writes[0]!.work_notes).toContain('Progress: export 50%');

    for (let i = 101; i <= 200; i += 1) {
      await outbox.progress(REQ, RITM, { step: 'export', percent: i / 2, text: '' });
    }
    const waiting = await flushTicket(redis, writer, options());
    expect(waiting).toEqual({ kind: 'wait', until: clock + 60_000, applied: 0, dropped: 0 });
    clock += 60_000;
    await flushTicket(redis, writer, options());
    expect(writer.writes).toHaveLength(2);
    expect(writer.writes[1]!.work_notes).toContain('Progress: export 100%');
  });

  it('when a flow owns the state and ServiceNow refuses it, then notes and the fallback field are written and it is reported', async () => {
    writer.refuseState = true;
    await outbox.enqueue(REQ, RITM, { state: 3, comment: 'Done.', closeNotes: 'evidence' });
    const refused: number[] = [];
    await flushTicket(
      redis,
      writer,
      options({
        fallbackStateField: 'u_storware_status',
        onStateRefused: (_u, e) => void refused.push(e.status ?? 0),
      }),
    );
    expect(refused).toEqual([403]);
    expect(writer.writes).toHaveLength(1);
    expect(writer.writes[0]).toMatchObject({ u_storware_status: 'Closed Complete', comments: 'Done.' });
    expect(writer.writes[0]!.state).toBeUndefined();
    expect(writer.writes[0]!.work_notes).toContain('could not set the state');
  });
});
