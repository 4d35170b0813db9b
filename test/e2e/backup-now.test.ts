import { FIXTURE } from '../../src/simulators/fixture-ids';
import { startTestStack, type TestStack } from '../helpers/stack';

jest.setTimeout(60_000);

describe('back up now, end to end', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('when a tenant orders a backup of their instance, then one export runs and the ticket closes complete with the backup point', async () => {
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: FIXTURE.instances.acmeWeb.uuid, backup_type: 'FULL', priority: '70' },
    });
    const entry = await stack.waitForFinish(ritm.sysId);
    expect(entry.state).toBe('succeeded');
    expect(entry.tenant).toBe('acme');
    await stack.waitForTicketState(ritm.sysId, '3');

    const vm = stack.storware.state.vmByInstanceUuid(FIXTURE.instances.acmeWeb.uuid)!;
    const exports = stack.storware.state.tasks().filter((t) => t.type === 'EXPORT' && t.vmGuid === vm.guid);
    expect(exports).toHaveLength(1);
    expect(entry.tasks.export?.guid).toBe(exports[0]!.guid);
    expect(entry.tasks.store?.state).toBe('FINISHED');

    const ticket = stack.ritm(ritm.sysId);
    expect(ticket.correlation_id).toBe(entry.requestId);
    expect(ticket.correlation_display).toBe('storware-itsm-connector');
    expect(String(ticket.close_notes)).toContain(exports[0]!.guid);
    const comments = stack.notes(ritm.sysId, 'comments').join('\n');
    expect(comments).toMatch(/received your backup request/);
    expect(comments).toMatch(/backup of acme-web-01 is complete: a full backup point/);
    const result = entry.result as { backupGuid?: string };
    expect(comments).toContain(result.backupGuid);
  });
});
