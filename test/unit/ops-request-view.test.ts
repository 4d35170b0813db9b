/** What agents see of a request: built field by field, with plain-words explanations. */
import type { LedgerEntry } from '../../src/ledger';
import { explainProblem, overallProgress, requestDetailView } from '../../src/ops/request-view';
import type { TicketUpdate } from '../../src/ticket-updates/outbox';

const base: LedgerEntry = {
  requestId: 'r-0123456789abcdef0123456789abcdef',
  ritmSysId: '0123456789abcdef0123456789abcdef',
  number: 'RITM0010001',
  item: 'storware_backup_now',
  state: 'running',
  step: 'poll',
  createdAt: 1,
  updatedAt: 2,
  jobIds: ['run-r-0123456789abcdef0123456789abcdef'],
  tasks: {},
  timeline: [],
  cancelRequested: false,
};

describe('request view', () => {
  it('when the last error has a known code, then the explanation says what happened and what comes next', () => {
    const error = { code: 'storware_unavailable', message: 'HTTP 503', retryable: true, at: 1 };
    expect(explainProblem(error, 'running')).toMatch(/retries by itself.*replays the job or abandons it/);
    expect(explainProblem({ ...error, code: 'abandoned' }, 'failed')).toMatch(
      /service desk contacts the requester/,
    );
    expect(explainProblem({ ...error, code: 'something_new' }, 'running')).toMatch(/^A temporary problem/);
    expect(explainProblem({ ...error, code: 'something_new', retryable: false }, 'failed')).toMatch(
      /message says why/,
    );
  });

  it('when tasks progress, then the overall progress is their mean, 100 on success and absent before any task', () => {
    expect(overallProgress(base)).toBeUndefined();
    const tasks = {
      export: { guid: 'a', type: 'EXPORT', state: 'FINISHED', createdAt: 1 },
      store: { guid: 'b', type: 'STORE', state: 'RUNNING', progress: 50, createdAt: 2 },
    };
    expect(overallProgress({ state: 'running', tasks })).toBe(75);
    expect(overallProgress({ state: 'succeeded', tasks: {} })).toBe(100);
  });

  it('when internal records carry extra fields, then the view keeps only the documented ones', () => {
    const entry: LedgerEntry = {
      ...base,
      approval: { hash: 'h', status: 'pending', postedAt: 5, needed: 2, secretish: 'no' },
      window: { startAt: 9, internal: true },
      result: { backupGuid: 'b-1', sizeBytes: 10, nested: { no: 1 }, 'bad key': 'x' },
      tasks: {
        export: { guid: 'g', type: 'EXPORT', state: 'RUNNING', progress: 10, createdAt: 3, intent: 'x' },
      },
      timeline: [
        { at: 1, type: 'ticket.updated', message: 'Ticket state set to 2', data: { update: 'u#1' } },
        { at: 2, type: 'task.recorded', message: 'task', data: { any: 'thing' } },
      ],
    };
    const pending: TicketUpdate[] = [
      {
        id: 'r#2',
        seq: 2,
        kind: 'update',
        requestId: base.requestId,
        ritmSysId: base.ritmSysId,
        createdAt: 3,
        state: 4,
        workNote: 'x'.repeat(2000),
      },
    ];
    const view = requestDetailView(entry, pending, []);
    expect(view.approval).toEqual({ status: 'pending', needed: 2, requestedAt: 5, reference: 'h' });
    expect(view.window).toEqual({ startsAt: 9 });
    expect(view.result).toEqual({ backupGuid: 'b-1', sizeBytes: 10 });
    expect(view.tasks).toEqual([
      { step: 'export', guid: 'g', type: 'EXPORT', state: 'RUNNING', progress: 10, createdAt: 3 },
    ]);
    expect(view.timeline[0]).toEqual({ at: 1, type: 'ticket.updated', message: 'Ticket state set to 2' });
    expect(view.ticketUpdates.sent).toEqual([
      { at: 1, type: 'ticket.updated', message: 'Ticket state set to 2' },
    ]);
    expect(view.ticketUpdates.pending[0]).toMatchObject({ id: 'r#2', state: 4, closes: true });
    expect(view.ticketUpdates.pending[0]!.workNote).toHaveLength(1001);
  });
});
