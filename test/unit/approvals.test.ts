import {
  approvalPacketText,
  parametersHash,
  type RestoreParameters,
} from '../../src/approvals/approval-packet';
import { evaluateApproval, type ApprovalContext } from '../../src/approvals/evaluate-approval';

const ALICE = 'b0b0e000000000000000000000000001';
const BOB = 'b0b0e000000000000000000000000002';
const CAROL = 'b0b0e000000000000000000000000003';
const T0 = Date.UTC(2026, 10, 28, 10);
const rule = { required: true, minApprovals: 1, timeoutHours: 72 };

function ctx(overrides: Partial<ApprovalContext>): ApprovalContext {
  return {
    ritmApproval: 'requested',
    rows: [],
    requestedFor: ALICE,
    openedBy: ALICE,
    rule,
    packetPostedAt: T0,
    now: T0 + 60_000,
    ...overrides,
  };
}

describe('evaluateApproval', () => {
  it('when another person approves after the packet, then the request is approved', () => {
    const decision = evaluateApproval(
      ctx({
        ritmApproval: 'approved',
        rows: [{ approverSysId: BOB, state: 'approved', updatedAt: T0 + 1000 }],
      }),
    );
    expect(decision).toEqual({ kind: 'approved', approvers: [BOB] });
  });

  it('when the requester approves their own restore, then it does not count and the reason is given', () => {
    const decision = evaluateApproval(
      ctx({
        ritmApproval: 'approved',
        rows: [{ approverSysId: ALICE, approverName: 'Alice', state: 'approved', updatedAt: T0 + 1000 }],
      }),
    );
    expect(decision).toMatchObject({
      kind: 'pending',
      counted: 0,
      needed: 1,
      ignored: [{ approver: 'Alice', reason: 'self_approval' }],
    });
  });

  it('when the opener (not the requester) approves, then it does not count either', () => {
    const decision = evaluateApproval(
      ctx({
        openedBy: CAROL,
        ritmApproval: 'approved',
        rows: [{ approverSysId: CAROL, state: 'approved', updatedAt: T0 + 1000 }],
      }),
    );
    expect(decision.kind).toBe('pending');
  });

  it('when an approval predates the current packet, then it no longer counts', () => {
    const decision = evaluateApproval(
      ctx({ ritmApproval: 'approved', rows: [{ approverSysId: BOB, state: 'approved', updatedAt: T0 - 1 }] }),
    );
    expect(decision).toMatchObject({
      kind: 'pending',
      ignored: [{ approver: BOB, reason: 'before_parameters_changed' }],
    });
  });

  it('when two approvals are needed and one is given, then it waits', () => {
    const decision = evaluateApproval(
      ctx({
        rule: { ...rule, minApprovals: 2 },
        ritmApproval: 'approved',
        rows: [{ approverSysId: BOB, state: 'approved', updatedAt: T0 + 1000 }],
      }),
    );
    expect(decision).toMatchObject({ kind: 'pending', counted: 1, needed: 2 });
  });

  it('when an approver rejects, then the request is rejected with their comment', () => {
    const decision = evaluateApproval(
      ctx({
        rows: [
          {
            approverSysId: BOB,
            approverName: 'Bob Brown',
            state: 'rejected',
            comments: ' Restore the db instead ',
            updatedAt: T0 + 5000,
          },
        ],
      }),
    );
    expect(decision).toEqual({ kind: 'rejected', by: 'Bob Brown', comment: 'Restore the db instead' });
  });

  it('when ServiceNow approved the RITM but no approver row counts, then it still waits', () => {
    expect(evaluateApproval(ctx({ ritmApproval: 'approved' })).kind).toBe('pending');
  });

  it('when nobody decides before the deadline, then the request expires', () => {
    expect(evaluateApproval(ctx({ now: T0 + 72 * 3_600_000 }))).toEqual({
      kind: 'expired',
      deadline: T0 + 72 * 3_600_000,
    });
  });
});

describe('approval packet', () => {
  const params: RestoreParameters = {
    instanceUuid: '11111111-1111-4111-8111-000000000001',
    instanceName: 'acme-web-01',
    backupGuid: 'aaaaaaaa-0000-4000-8000-000000000001',
    backupTime: T0 - 3 * 86_400_000,
    backupType: 'FULL',
    overwrite: false,
    targetName: 'acme-web-01-restored',
    securityGroups: ['web', 'default'],
  };

  it('when the same parameters are hashed in another order, then the hash is the same', () => {
    expect(parametersHash(params)).toBe(parametersHash({ ...params, securityGroups: ['default', 'web'] }));
  });

  it('when any bound parameter changes, then the hash changes', () => {
    const base = parametersHash(params);
    expect(parametersHash({ ...params, overwrite: true })).not.toBe(base);
    expect(parametersHash({ ...params, backupGuid: 'aaaaaaaa-0000-4000-8000-000000000002' })).not.toBe(base);
    expect(parametersHash({ ...params, targetName: 'other' })).not.toBe(base);
  });

  it('when the packet is written, then it names the instance, the backup and its age, the target and the overwrite choice', () => {
    const text = approvalPacketText(params, parametersHash(params), T0);
    expect(text).toContain('acme-web-01 (11111111-1111-4111-8111-000000000001)');
    expect(text).toContain('FULL backup of 2026-11-25 10:00 UTC (3 days old)');
    expect(text).toContain('a new instance named "acme-web-01-restored"');
    expect(text).toContain('Security groups: web, default');
    expect(approvalPacketText({ ...params, overwrite: true }, 'h', T0)).toContain(
      'OVERWRITE the original instance',
    );
  });
});
