// Restore choices resolved against what Storware offers (flavor, network, security groups, zone),
// and the optional safety backup before an overwriting restore.
import { FIXTURE } from '../../src/simulators/fixture-ids';
import { localConnectorYaml } from '../../src/cli/local-stack';
import { nextSecond, startTestStack, waitFor, type TestStack } from '../helpers/stack';

jest.setTimeout(60_000);

const ACME_WEB = FIXTURE.instances.acmeWeb.uuid;

describe('restore options and the safety backup', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({
      connectorYaml: localConnectorYaml({ safetyBackupBeforeOverwrite: true }),
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function approved(variables: Record<string, string>) {
    const { ritm } = await stack.servicenow.requester.order('storware_restore_point', {
      requestedFor: 'alice',
      variables,
    });
    await stack.waitForEntry(ritm.sysId, (e) => e.state === 'waiting_approval' || e.state === 'failed');
    const entry = await stack.entryFor(ritm.sysId);
    if (entry?.state === 'waiting_approval') {
      await nextSecond();
      await stack.servicenow.requester.approve(ritm.sysId, 'bob');
    }
    return ritm;
  }

  it('when flavor, network, security groups and zone are chosen by name, then Storware gets their ids', async () => {
    const ritm = await approved({
      instance_id: ACME_WEB,
      backup_point: 'latest',
      target_name: 'web-options',
      flavor: 'm1.large',
      network: 'acme-prod-net',
      security_groups: 'default, web',
      availability_zone: 'az-2',
    });
    const entry = await stack.waitForFinish(ritm.sysId, 30_000);
    expect(entry.state).toBe('succeeded');
    const call = stack.storware.server
      .calls({ method: 'POST', path: '/api/tasks/restore-and-import' })
      .at(-1)!;
    const body = call.body as {
      restoreVmFlavor?: { guid: string };
      restoreClusterId?: string;
      restoredNetworks?: unknown[];
      restoredPeName?: string;
    };
    expect(body.restoredPeName).toBe('web-options');
    expect(body.restoreVmFlavor?.guid).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.restoreClusterId).toBe('az-2');
    expect(body.restoredNetworks?.length).toBeGreaterThan(0);
    expect(JSON.stringify(body.restoredNetworks)).not.toContain('acme-prod-net'); // ids, not names
  });

  it('when a flavor does not exist, then the restore is refused naming it and nothing runs', async () => {
    const restoresBefore = stack.storware.state.tasks().filter((t) => t.type === 'RESTORE').length;
    const ritm = await approved({
      instance_id: ACME_WEB,
      backup_point: 'latest',
      target_name: 'web-bad',
      flavor: 'x9.huge',
    });
    const entry = await stack.waitForFinish(ritm.sysId, 30_000);
    expect(entry).toMatchObject({ state: 'failed', lastError: { code: 'flavor_not_found' } });
    await waitFor(
      () => stack.notes(ritm.sysId, 'comments').find((c) => c.includes('"x9.huge" does not exist')),
      10_000,
      'flavor comment',
    );
    expect(stack.storware.state.tasks().filter((t) => t.type === 'RESTORE').length).toBe(restoresBefore);
  });

  it('when the restore overwrites the original, then a full safety backup runs first and is named on the ticket', async () => {
    const vm = stack.storware.state.vmByInstanceUuid(ACME_WEB)!;
    const ritm = await approved({ instance_id: ACME_WEB, backup_point: 'latest', overwrite: 'true' });
    const entry = await stack.waitForFinish(ritm.sysId, 40_000);
    expect(entry.state).toBe('succeeded');
    const safety = entry.tasks['safety-backup']!;
    const restore = entry.tasks.restore!;
    expect(stack.storware.state.task(safety.guid)).toMatchObject({ type: 'EXPORT', vmGuid: vm.guid });
    expect(restore.createdAt).toBeGreaterThanOrEqual(safety.createdAt);
    await stack.waitForTicketState(ritm.sysId, '3');
    expect(String(stack.ritm(ritm.sysId).close_notes)).toContain(
      `Safety backup before overwrite: task ${safety.guid}`,
    );
  });
});
