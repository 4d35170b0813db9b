/**
 * Contract tests: every client operation against the ServiceNow simulator over HTTP, basic auth.
 * What the client asks for (recorded calls) and what it makes of the answers (domain objects).
 */
import { RITM_STATE } from '../../src/clients/servicenow';
import { UpstreamError, ValidationError } from '../../src/errors';
import { FIXTURE } from '../../src/simulators/fixture-ids';
import { rejectionOf, START_MS, startPair, type Pair } from '../helpers/servicenow-harness';

const INSTANCE = FIXTURE.instances.acmeWeb.uuid;

describe('ServiceNow client against the simulator', () => {
  let pair: Pair;

  beforeEach(async () => {
    pair = await startPair();
  });

  afterEach(async () => {
    await pair.close();
  });

  async function orderBackup(requestedFor: 'alice' | 'carol' = 'alice') {
    return pair.sim.requester.order('storware_backup_now', {
      requestedFor,
      variables: { instance_id: INSTANCE, backup_type: 'FULL', priority: 70 },
    });
  }

  describe('getRequestItem', () => {
    it('when read by sys_id, then values are typed: state a number, references sys_ids, dates epoch ms (docs/servicenow.md §1, §2)', async () => {
      const { ritm, request } = await orderBackup();

      const item = await pair.client.getRequestItem(ritm.sysId);

      expect(item).toEqual({
        sysId: ritm.sysId,
        number: ritm.number,
        state: RITM_STATE.open,
        approval: 'not requested',
        stage: 'fulfillment',
        active: true,
        catItem: pair.sim.catalogItemSysId('storware_backup_now'),
        request: request.sysId,
        requestedFor: FIXTURE.users.alice.sysId,
        openedBy: FIXTURE.users.alice.sysId,
        company: FIXTURE.companies.acme.sysId,
        shortDescription: 'Back up my instance now',
        correlationId: '',
        correlationDisplay: '',
        closeNotes: '',
        openedAt: START_MS,
        closedAt: undefined,
        updatedOn: START_MS,
        modCount: 0,
      });
    });

    it('when read, then the client asks for raw values and only the fields it maps', async () => {
      const { ritm } = await orderBackup();
      pair.sim.http.clearCalls();

      await pair.client.getRequestItem(ritm.sysId);

      const [call] = pair.sim.http.calls();
      expect(call?.path).toBe(`/api/now/table/sc_req_item/${ritm.sysId}`);
      expect(call?.query.sysparm_display_value).toBe('false');
      expect(call?.query.sysparm_fields?.split(',')).toEqual(
        expect.arrayContaining(['sys_id', 'number', 'state', 'approval', 'requested_for', 'sys_updated_on']),
      );
    });

    it('when read by RITM number, then the same item comes back through a query', async () => {
      const { ritm } = await orderBackup();
      pair.sim.http.clearCalls();

      const item = await pair.client.getRequestItem(ritm.number);

      expect(item?.sysId).toBe(ritm.sysId);
      expect(pair.sim.http.calls()[0]?.query.sysparm_query).toBe(`number=${ritm.number}`);
    });

    it('when the RITM does not exist, then the result is undefined (404 by sys_id, empty list by number)', async () => {
      await expect(pair.client.getRequestItem('0123456789abcdef0123456789abcdef')).resolves.toBeUndefined();
      await expect(pair.client.getRequestItem('RITM0099999')).resolves.toBeUndefined();
    });

    it('when the argument is neither a sys_id nor a RITM number, then it is refused before any call', async () => {
      const error = await rejectionOf(
        pair.client.getRequestItem('../sys_user/b0b0e000000000000000000000000001'),
      );

      expect(error).toBeInstanceOf(ValidationError);
      expect(pair.sim.http.calls()).toHaveLength(0);
    });
  });

  describe('listRequestItems', () => {
    it('when filtered by updatedSince, then only later updates come back, oldest first, with the total', async () => {
      const first = await orderBackup();
      pair.clock.advance(60_000);
      const second = await orderBackup('carol');
      pair.clock.advance(60_000);
      await pair.sim.requester.updateVariables(first.ritm.sysId, { priority: '10' });

      const page = await pair.client.listRequestItems({ updatedSince: START_MS + 30_000 });

      expect(page.items.map((i) => i.number)).toEqual([second.ritm.number, first.ritm.number]);
      expect(page.total).toBe(2);
    });

    it('when an update falls in the same second as updatedSince, then it is included (>=, seconds precision)', async () => {
      const { ritm } = await orderBackup();

      const page = await pair.client.listRequestItems({ updatedSince: START_MS + 999 });

      expect(page.items.map((i) => i.sysId)).toEqual([ritm.sysId]);
    });

    it('when filtered by catalog items and active, then other items and closed ones are left out', async () => {
      const backup = await orderBackup();
      const protect = await pair.sim.requester.order('storware_protect_vm', {
        requestedFor: 'alice',
        variables: { instance_id: INSTANCE },
      });
      const cancelled = await orderBackup();
      await pair.sim.requester.cancel(cancelled.ritm.sysId);

      const page = await pair.client.listRequestItems({
        catItems: [pair.sim.catalogItemSysId('storware_backup_now')],
        active: true,
      });

      expect(page.items.map((i) => i.sysId)).toEqual([backup.ritm.sysId]);
      expect(page.items.map((i) => i.sysId)).not.toContain(protect.ritm.sysId);
    });

    it('when paged with limit and offset, then pages do not overlap and total counts every match', async () => {
      const orders = [];
      for (let i = 0; i < 5; i += 1) {
        orders.push(await orderBackup());
        pair.clock.advance(1_000);
      }

      const first = await pair.client.listRequestItems({ limit: 2, offset: 0 });
      const second = await pair.client.listRequestItems({ limit: 2, offset: 2 });

      expect(first.total).toBe(5);
      expect([...first.items, ...second.items].map((i) => i.number)).toEqual(
        orders.slice(0, 4).map((o) => o.ritm.number),
      );
    });

    it('when catItems is empty, then nothing matches and no call is made (an empty IN would match everything)', async () => {
      await orderBackup();
      pair.sim.http.clearCalls();

      await expect(pair.client.listRequestItems({ catItems: [] })).resolves.toEqual({ items: [], total: 0 });
      expect(pair.sim.http.calls()).toHaveLength(0);
    });

    it('when a catItems entry is not a sys_id, then it is refused instead of reaching the query', async () => {
      const error = await rejectionOf(pair.client.listRequestItems({ catItems: ['x^ORactive=false'] }));

      expect(error).toBeInstanceOf(ValidationError);
    });
  });

  describe('getRequestItemVariables', () => {
    it('when read, then every answer comes back by name as a string, through sc_item_option_mtom (docs/servicenow.md §2)', async () => {
      const { ritm } = await orderBackup();
      pair.sim.http.clearCalls();

      const variables = await pair.client.getRequestItemVariables(ritm.sysId);

      expect(variables).toEqual({
        instance_id: INSTANCE,
        backup_type: 'FULL',
        priority: '70',
        window_start: '',
        window_end: '',
      });
      const [call] = pair.sim.http.calls();
      expect(call?.path).toBe('/api/now/table/sc_item_option_mtom');
      expect(call?.query.sysparm_fields).toBe('sc_item_option.item_option_new.name,sc_item_option.value');
    });

    it('when the RITM has no answers, then the result is empty', async () => {
      await expect(pair.client.getRequestItemVariables('0123456789abcdef0123456789abcdef')).resolves.toEqual(
        {},
      );
    });
  });

  describe('listApprovals', () => {
    it('when approvers decided with comments, then each row has approver, state, comments and time (docs/servicenow.md §2, §5)', async () => {
      const { ritm } = await pair.sim.requester.order('storware_restore_point', {
        requestedFor: 'alice',
        variables: { instance_id: INSTANCE },
        approvers: ['bob', 'dave'],
      });
      pair.clock.advance(5_000);
      await pair.sim.requester.approve(ritm.sysId, 'bob', 'restore to a new instance is fine');

      const approvals = await pair.client.listApprovals(ritm.sysId);

      expect(approvals).toEqual([
        expect.objectContaining({
          approver: FIXTURE.users.bob.sysId,
          state: 'approved',
          comments: ['restore to a new instance is fine'],
          updatedOn: START_MS + 5_000,
        }),
        expect.objectContaining({
          approver: FIXTURE.users.dave.sysId,
          state: 'requested',
          comments: [],
          updatedOn: START_MS,
        }),
      ]);
    });

    it('when the RITM needs no approval, then the list is empty and no journal call is made', async () => {
      const { ritm } = await orderBackup();
      pair.sim.http.clearCalls();

      await expect(pair.client.listApprovals(ritm.sysId)).resolves.toEqual([]);
      expect(pair.sim.http.calls().map((c) => c.path)).toEqual(['/api/now/table/sysapproval_approver']);
    });
  });

  describe('getUser and getCompany', () => {
    it('when the requester is read, then the company sys_id comes with it (docs/servicenow.md §6)', async () => {
      await expect(pair.client.getUser(FIXTURE.users.carol.sysId)).resolves.toEqual({
        sysId: FIXTURE.users.carol.sysId,
        userName: FIXTURE.users.carol.userName,
        name: FIXTURE.users.carol.name,
        email: `${FIXTURE.users.carol.userName}@example.com`,
        active: true,
        company: FIXTURE.companies.globex.sysId,
      });
      await expect(pair.client.getCompany(FIXTURE.companies.globex.sysId)).resolves.toEqual({
        sysId: FIXTURE.companies.globex.sysId,
        name: FIXTURE.companies.globex.name,
      });
    });

    it('when the user or company does not exist, then the result is undefined', async () => {
      await expect(pair.client.getUser('0123456789abcdef0123456789abcdef')).resolves.toBeUndefined();
      await expect(pair.client.getCompany('0123456789abcdef0123456789abcdef')).resolves.toBeUndefined();
    });
  });

  describe('updateRequestItem', () => {
    it('when the ticket is claimed, then state, correlation and a work note land, sent as strings (docs/servicenow.md §1; docs/design.md, ticket updates)', async () => {
      const { ritm } = await orderBackup();
      pair.clock.advance(2_000);
      pair.sim.http.clearCalls();

      const updated = await pair.client.updateRequestItem(ritm.sysId, {
        state: RITM_STATE.workInProgress,
        work_notes: 'Accepted by storware-itsm-connector',
        correlation_id: 'req_01J0000000000000000000000',
        correlation_display: 'storware-itsm-connector',
      });

      expect(updated).toEqual(
        expect.objectContaining({
          state: 2,
          correlationId: 'req_01J0000000000000000000000',
          correlationDisplay: 'storware-itsm-connector',
          updatedOn: START_MS + 2_000,
          modCount: 1,
        }),
      );
      const [call] = pair.sim.http.calls();
      expect(call?.method).toBe('PATCH');
      expect(call?.body).toEqual({
        state: '2',
        work_notes: 'Accepted by storware-itsm-connector',
        correlation_id: 'req_01J0000000000000000000000',
        correlation_display: 'storware-itsm-connector',
      });
      expect(pair.sim.journal(ritm.sysId).map((e) => [e.element, e.value, e.createdBy])).toEqual([
        ['work_notes', 'Accepted by storware-itsm-connector', 'svc.storware'],
      ]);
    });

    it('when the ticket is closed complete, then it becomes inactive with closed_at set (docs/servicenow.md §2)', async () => {
      const { ritm } = await orderBackup();
      pair.clock.advance(60_000);

      const closed = await pair.client.updateRequestItem(ritm.sysId, {
        state: RITM_STATE.closedComplete,
        close_notes: 'Storware task 5f0c… finished; backup point 2026-03-02 10:16',
        comments: 'Your backup finished.',
      });

      expect(closed).toEqual(
        expect.objectContaining({ state: 3, active: false, closedAt: START_MS + 60_000 }),
      );
      expect(closed.closeNotes).toContain('Storware task');
    });

    it('when the patch is empty, has an unknown state or an over-long correlation id, then it is refused locally', async () => {
      const { ritm } = await orderBackup();
      pair.sim.http.clearCalls();

      await expect(pair.client.updateRequestItem(ritm.sysId, {})).rejects.toBeInstanceOf(ValidationError);
      await expect(pair.client.updateRequestItem(ritm.sysId, { state: 5 as never })).rejects.toBeInstanceOf(
        ValidationError,
      );
      await expect(
        pair.client.updateRequestItem(ritm.sysId, { correlation_id: 'x'.repeat(101) }),
      ).rejects.toBeInstanceOf(ValidationError);
      expect(pair.sim.http.calls()).toHaveLength(0);
    });

    it("when the RITM does not exist, then a permanent UpstreamError carries ServiceNow's 404 message (docs/servicenow.md §1)", async () => {
      const error = await rejectionOf(
        pair.client.updateRequestItem('0123456789abcdef0123456789abcdef', { comments: 'hi' }),
      );

      expect(error).toBeInstanceOf(UpstreamError);
      expect(error).toMatchObject({
        system: 'servicenow',
        status: 404,
        retryable: false,
        operation: 'updateRequestItem',
        remoteMessage: "No Record found: Record doesn't exist or ACL restricts the record retrieval",
      });
    });
  });

  describe('listJournalEntries', () => {
    it('when work notes and comments were written, then each element reads back in order, or both together (docs/servicenow.md §5)', async () => {
      const { ritm } = await orderBackup();
      await pair.client.updateRequestItem(ritm.sysId, { work_notes: 'note 1' });
      await pair.client.updateRequestItem(ritm.sysId, { comments: 'comment 1' });
      pair.clock.advance(1_000);
      await pair.client.updateRequestItem(ritm.sysId, { work_notes: 'note 2' });

      const notes = await pair.client.listJournalEntries(ritm.sysId, 'work_notes');
      const all = await pair.client.listJournalEntries(ritm.sysId);

      expect(notes.map((e) => e.value)).toEqual(['note 1', 'note 2']);
      expect(all.map((e) => `${e.element}:${e.value}`)).toEqual([
        'work_notes:note 1',
        'comments:comment 1',
        'work_notes:note 2',
      ]);
      expect(all[2]).toEqual(
        expect.objectContaining({
          elementId: ritm.sysId,
          table: 'sc_req_item',
          createdBy: 'svc.storware',
          createdOn: START_MS + 1_000,
        }),
      );
    });

    it('when the element name is not a field name, then it is refused', async () => {
      await expect(
        pair.client.listJournalEntries('0123456789abcdef0123456789abcdef', 'work_notes^ORelement=x'),
      ).rejects.toBeInstanceOf(ValidationError);
    });
  });

  it('when calls are made, then each is logged at debug with operation, method, table, status and duration only', async () => {
    const { ritm } = await orderBackup();

    await pair.client.getRequestItem(ritm.sysId);

    const line = pair.logs.lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'servicenow call');
    expect(line).toEqual(
      expect.objectContaining({
        level: 'debug',
        operation: 'getRequestItem',
        method: 'GET',
        table: 'sc_req_item',
        status: 200,
      }),
    );
    expect(typeof line?.durationMs).toBe('number');
    expect(JSON.stringify(line)).not.toContain(ritm.sysId);
  });
});
