// Protect a new instance end to end: waiting for the inventory, policy assignment, first backup.
import { FIXTURE } from '../../src/simulators/fixture-ids';
import { localConnectorYaml } from '../../src/cli/local-stack';
import { startTestStack, type TestStack } from '../helpers/stack';

jest.setTimeout(60_000);

describe('protect a new instance, end to end', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ connectorYaml: localConnectorYaml({ protectWaitMinutes: 0.1 }) });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('when the new instance is not yet in the inventory, then it waits, syncs, assigns the tier policy and runs the first backup', async () => {
    const uuid = FIXTURE.instances.acmeNew.uuid;
    expect(stack.storware.state.vmByInstanceUuid(uuid)).toBeUndefined();
    const { ritm } = await stack.servicenow.requester.order('storware_protect_vm', {
      requestedFor: 'alice',
      variables: { instance_id: uuid, policy_tier: 'gold', first_backup: 'true' },
    });
    await stack.waitForEntry(ritm.sysId, (e) => e.state === 'waiting_inventory');
    const entry = await stack.waitForFinish(ritm.sysId, 30_000);
    expect(entry.state).toBe('succeeded');
    expect(entry.tasks['inventory-sync']).toBeDefined();
    const vm = stack.storware.state.vmByInstanceUuid(uuid)!;
    expect(stack.storware.state.policyVmGuids(FIXTURE.policies.gold.guid)).toContain(vm.guid);
    expect(entry.tasks['first-backup']?.state).toBe('FINISHED');
    await stack.waitForTicketState(ritm.sysId, '3');
    expect(String(stack.ritm(ritm.sysId).close_notes)).toContain(FIXTURE.policies.gold.guid);
    expect(stack.notes(ritm.sysId, 'comments').join('\n')).toMatch(/protected by the gold backup policy/);
  });

  it('when the instance never appears, then the request closes incomplete after the wait', async () => {
    const { ritm } = await stack.servicenow.requester.order('storware_protect_vm', {
      requestedFor: 'alice',
      variables: {
        instance_id: '11111111-1111-4111-8111-0000000000ff',
        policy_tier: 'silver',
        first_backup: 'false',
      },
    });
    const entry = await stack.waitForFinish(ritm.sysId, 30_000);
    expect(entry).toMatchObject({ state: 'expired', lastError: { code: 'instance_not_in_inventory' } });
    await stack.waitForTicketState(ritm.sysId, '4');
  });

  it('when an existing instance is protected without a first backup, then only the policy changes', async () => {
    const uuid = FIXTURE.instances.acmeDb.uuid;
    const vm = stack.storware.state.vmByInstanceUuid(uuid)!;
    const exportsBefore = stack.storware.state
      .tasks()
      .filter((t) => t.type === 'EXPORT' && t.vmGuid === vm.guid).length;
    const { ritm } = await stack.servicenow.requester.order('storware_protect_vm', {
      requestedFor: 'alice',
      variables: { instance_id: uuid, policy_tier: 'bronze', first_backup: 'false' },
    });
    const entry = await stack.waitForFinish(ritm.sysId);
    expect(entry.state).toBe('succeeded');
    expect(stack.storware.state.policyVmGuids(FIXTURE.policies.bronze.guid)).toContain(vm.guid);
    expect(
      stack.storware.state.tasks().filter((t) => t.type === 'EXPORT' && t.vmGuid === vm.guid).length,
    ).toBe(exportsBefore);
  });
});
