/**
 * Found by the combined chaos run (R5 + R14): a protect request closed its ticket (state 3, its
 * closing note written), then Redis crashed and lost the ledger's terminal write. The re-run found
 * the ticket closed, took it for a cancellation made in ServiceNow and recorded `cancelled`: the
 * status page disagreed with the ticket. The closing note now carries the outcome
 * (`[outcome <requestId> succeeded]`), and a re-run that finds its ticket closed reads it back.
 *
 * The lost write is reproduced exactly: the request is accepted (ledger `queued`, its job not yet
 * taken), and the ticket is closed with the closing note the connector would have written.
 */
import { formatOutcome, parseOutcome } from '../../src/requests/ticket-outcome';
import { outcomeTag } from '../../src/ticket-updates/flush-ticket';
import { FIXTURE } from '../../src/simulators/fixture-ids';
import { startTestStack, waitFor, type TestStack } from '../helpers/stack';

jest.setTimeout(60_000);

describe('a request whose ticket was closed by its own closing update, ledger write lost', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function orderHeld() {
    const requests = stack.workers!.pool.workers.get('requests')!;
    await requests.pause();
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: FIXTURE.instances.acmeWeb.uuid },
    });
    const entry = await stack
      .entryFor(ritm.sysId)
      .then(async (e) => e ?? stack.waitForEntry(ritm.sysId, () => true));
    return { ritm, entry, resume: () => requests.resume() };
  }

  it('when the ticket carries this request’s outcome, then the ledger takes it and nothing more is written or run', async () => {
    const { ritm, entry, resume } = await orderHeld();
    const exportsBefore = stack.storware.state.tasks().length;
    stack.servicenow.update(
      'sc_req_item',
      ritm.sysId,
      {
        state: '3',
        work_notes: `Backup finished: backup point 1234. [ref ${entry.requestId}#4] ${outcomeTag(entry.requestId, 'succeeded')}`,
      },
      'svc.storware',
    );
    // What the run that closed the ticket wrote before dying between the closing update and the
    // terminal write (src/requests/finish.ts): the result is recorded while the request is open.
    await stack.workers!.deps.ledger.update(entry.requestId, { result: { backupGuid: 'b-1234' } });
    const notesBefore = stack.notes(ritm.sysId, 'work_notes').length;
    void resume();

    const after = await stack.waitForEntry(ritm.sysId, (e) => e.state === 'succeeded', 20_000);
    expect(after.result).toMatchObject({ recoveredFromTicket: true, backupGuid: 'b-1234' });
    expect(after.timeline.map((e) => e.type)).toContain('request.succeeded');
    // Give a stray ticket update time to show up before checking there is none.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(stack.notes(ritm.sysId, 'work_notes')).toHaveLength(notesBefore);
    expect(stack.servicenow.record('sc_req_item', ritm.sysId)?.state).toBe('3');
    expect(stack.storware.state.tasks().length).toBe(exportsBefore);
  });

  it('when the ticket was closed by someone else, then it is still a cancellation', async () => {
    const { ritm, resume } = await orderHeld();
    stack.servicenow.update('sc_req_item', ritm.sysId, { state: '7' }, 'agent.smith');
    void resume();
    const after = await stack.waitForEntry(ritm.sysId, (e) => e.state === 'cancelled', 20_000);
    expect(after.state).toBe('cancelled');
    await waitFor(
      () =>
        stack
          .notes(ritm.sysId, 'work_notes')
          .some((n) => n.includes(`[outcome ${after.requestId} cancelled]`)) || undefined,
      10_000,
      'the closing note with its outcome',
    );
  });

  it('when an outcome is written and read back, then kind and code survive and other requests’ tags are ignored', () => {
    const text = `Failed. [ref r-aaa#3] ${outcomeTag('r-aaa', formatOutcome('failed', 'instance_not_found'))}`;
    expect(parseOutcome('r-aaa', text)).toEqual({ kind: 'failed', code: 'instance_not_found' });
    expect(parseOutcome('r-bbb', text)).toBeUndefined();
    expect(parseOutcome('r-aaa', '[outcome r-aaa exploded]')).toBeUndefined();
    expect(formatOutcome('cancelled', 'cancelled')).toBe('cancelled');
  });
});
