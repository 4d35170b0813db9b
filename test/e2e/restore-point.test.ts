// Restore a backup point end to end: approval bound to the parameters, approver ≠ requester,
// rejection, parameters changed after approval, a backup point of another instance.
import { formatDateTime } from '../../src/clients/servicenow';
import { FIXTURE } from '../../src/simulators/fixture-ids';
import { nextSecond, startTestStack, waitFor, type TestStack } from '../helpers/stack';

jest.setTimeout(60_000);

const ACME_WEB = FIXTURE.instances.acmeWeb.uuid;
const ACME_DB = FIXTURE.instances.acmeDb.uuid;

describe('restore a backup point, end to end', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const restoresOf = () => stack.storware.state.tasks().filter((t) => t.type === 'RESTORE');
  const workNotes = (sysId: string) => stack.notes(sysId, 'work_notes').join('\n');

  it('when nobody has approved yet, then it waits and the approver sees exactly what will run', async () => {
    const before = restoresOf().length;
    const { ritm } = await stack.servicenow.requester.order('storware_restore_point', {
      requestedFor: 'alice',
      variables: { instance_id: ACME_WEB, backup_point: 'latest', target_name: 'web-copy' },
    });
    const entry = await stack.waitForEntry(ritm.sysId, (e) => e.state === 'waiting_approval');
    expect(entry.approval).toMatchObject({ status: 'pending' });
    await waitFor(
      () => workNotes(ritm.sysId).includes('Restore waiting for approval') || undefined,
      10_000,
      'packet',
    );
    const packet = workNotes(ritm.sysId);
    expect(packet).toContain('Instance: acme-web-01');
    expect(packet).toMatch(/Backup point: (FULL|INCREMENTAL) backup of .* old\), id /);
    expect(packet).toContain('a new instance named "web-copy"');
    expect(restoresOf().length).toBe(before);

    await nextSecond();
    await stack.servicenow.requester.approve(ritm.sysId, 'bob', 'ok, go');
    const done = await stack.waitForFinish(ritm.sysId, 30_000);
    expect(done.state).toBe('succeeded');
    expect(done.approval).toMatchObject({ status: 'approved', approvers: 'Bob Brown' });
    expect(restoresOf().length).toBe(before + 1);
    await stack.waitForTicketState(ritm.sysId, '3');
    const comments = stack.notes(ritm.sysId, 'comments').join('\n');
    expect(comments).toMatch(/restored as a new instance "web-copy"/);
    expect(stack.storware.state.vms().some((vm) => vm.name === 'web-copy')).toBe(true);
  });

  it('when the requester approves their own restore, then it does not count and the ticket says why', async () => {
    const { ritm } = await stack.servicenow.requester.order('storware_restore_point', {
      requestedFor: 'alice',
      approvers: ['alice'],
      variables: { instance_id: ACME_DB, backup_point: 'latest' },
    });
    await stack.waitForEntry(ritm.sysId, (e) => e.state === 'waiting_approval');
    await nextSecond();
    await stack.servicenow.requester.approve(ritm.sysId, 'alice');
    await waitFor(
      () => workNotes(ritm.sysId).includes('does not count') || undefined,
      15_000,
      'self-approval note',
    );
    expect(workNotes(ritm.sysId)).toMatch(
      /approval by Alice Adams does not count: approvers must be neither the requester nor/,
    );
    const entry = await stack.entryFor(ritm.sysId);
    expect(entry?.state).toBe('waiting_approval');
    expect(entry?.tasks).toEqual({});
  });

  it('when the approver rejects, then the ticket closes incomplete with their comment', async () => {
    const { ritm } = await stack.servicenow.requester.order('storware_restore_point', {
      requestedFor: 'alice',
      variables: { instance_id: ACME_DB, backup_point: 'latest' },
    });
    await stack.waitForEntry(ritm.sysId, (e) => e.state === 'waiting_approval');
    await nextSecond();
    await stack.servicenow.requester.reject(ritm.sysId, 'bob', 'Not during the audit');
    const entry = await stack.waitForFinish(ritm.sysId);
    expect(entry).toMatchObject({ state: 'rejected', lastError: { code: 'approval_rejected' } });
    await waitFor(
      () => stack.notes(ritm.sysId, 'comments').find((c) => c.includes('rejected by Bob Brown')),
      10_000,
      'rejection comment',
    );
    expect(stack.notes(ritm.sysId, 'comments').join('\n')).toContain('Not during the audit');
  });

  it('when the parameters change after approval, then the approval no longer counts and it waits again', async () => {
    const { ritm } = await stack.servicenow.requester.order('storware_restore_point', {
      requestedFor: 'alice',
      variables: {
        instance_id: ACME_DB,
        backup_point: 'latest',
        target_name: 'db-copy',
        window_start: formatDateTime(Date.now() + 3_600_000),
      },
    });
    await stack.waitForEntry(ritm.sysId, (e) => e.state === 'waiting_approval');
    await nextSecond();
    await stack.servicenow.requester.approve(ritm.sysId, 'bob');
    const approved = await stack.waitForEntry(ritm.sysId, (e) => e.state === 'waiting_window');
    const firstHash = (approved.approval as { hash: string }).hash;

    await stack.servicenow.requester.updateVariables(ritm.sysId, { target_name: 'db-other' });
    const again = await stack.waitForEntry(ritm.sysId, (e) => e.state === 'waiting_approval');
    expect((again.approval as { hash: string }).hash).not.toBe(firstHash);
    await waitFor(
      () => stack.notes(ritm.sysId, 'comments').find((c) => c.includes('earlier approval no longer counts')),
      10_000,
      'approval reset comment',
    );
    expect(again.tasks).toEqual({});
  });

  it('when the backup point belongs to another instance, then it is refused and nothing runs', async () => {
    const before = restoresOf().length;
    const globexVm = stack.storware.state.vmByInstanceUuid(FIXTURE.instances.globexApp.uuid)!;
    const foreignBackup = stack.storware.state.backups(globexVm.guid).find((b) => b.status === 'SUCCESS')!;
    const { ritm } = await stack.servicenow.requester.order('storware_restore_point', {
      requestedFor: 'alice',
      variables: { instance_id: ACME_DB, backup_point: foreignBackup.guid },
    });
    const entry = await stack.waitForFinish(ritm.sysId);
    expect(entry).toMatchObject({ state: 'failed', lastError: { code: 'backup_point_not_found' } });
    expect(restoresOf().length).toBe(before);
    await stack.waitForTicketState(ritm.sysId, '4');
    expect(stack.notes(ritm.sysId, 'comments').join('\n')).not.toContain('globex');
  });
});
