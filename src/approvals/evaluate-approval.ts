/**
 * Is a request approved? ServiceNow's own roll-up (`sc_req_item.approval`) plus our rules on top
 * of it (docs/servicenow.md §2, "approval" and "sysapproval_approver"):
 * - a rejection by anyone rejects (ServiceNow rolls up the same way);
 * - an approval counts only when the approver is neither the requester nor the opener, and it was
 *   given after the current approval packet was posted (parameters unchanged since);
 * - the request is approved when the RITM says approved AND enough distinct approvers count;
 * - with no decision by the deadline, the request expires.
 */
import type { ApprovalRule } from '../config';

export interface ApproverRow {
  readonly approverSysId: string;
  readonly approverName?: string;
  /** `requested`, `approved`, `rejected`, `not requested`, `cancelled`, `not_required`, `skipped`. */
  readonly state: string;
  readonly comments?: string;
  readonly updatedAt: number;
}

export interface ApprovalContext {
  /** `sc_req_item.approval`. */
  readonly ritmApproval: string;
  readonly rows: readonly ApproverRow[];
  readonly requestedFor: string | undefined;
  readonly openedBy: string | undefined;
  readonly rule: ApprovalRule;
  /** When the current packet was posted; approvals before it were given on other parameters. */
  readonly packetPostedAt: number;
  readonly now: number;
}

export type ApprovalDecision =
  | { readonly kind: 'approved'; readonly approvers: readonly string[] }
  | { readonly kind: 'rejected'; readonly by: string; readonly comment: string | undefined }
  | {
      readonly kind: 'pending';
      readonly counted: number;
      readonly needed: number;
      /** Approvals that were given but do not count, and why (shown on the ticket). */
      readonly ignored: ReadonlyArray<{
        readonly approver: string;
        readonly reason: 'self_approval' | 'before_parameters_changed';
      }>;
      readonly deadline: number;
    }
  | { readonly kind: 'expired'; readonly deadline: number };

export function evaluateApproval(ctx: ApprovalContext): ApprovalDecision {
  // ServiceNow keeps whole seconds (docs/servicenow.md §1), so a decision stamped in the packet's own
  // second may predate it. Binding wins: only decisions from the next second on count. (A person
  // reading the packet takes longer than that; a stale approval must never count.)
  const firstCountingSecond = Math.floor(ctx.packetPostedAt / 1000) * 1000 + 1000;
  const rejection = ctx.rows.find((r) => r.state === 'rejected' && r.updatedAt >= firstCountingSecond);
  if (rejection || ctx.ritmApproval === 'rejected') {
    return {
      kind: 'rejected',
      by: rejection?.approverName ?? rejection?.approverSysId ?? 'an approver',
      comment: rejection?.comments?.trim() || undefined,
    };
  }
  const ignored: Array<{ approver: string; reason: 'self_approval' | 'before_parameters_changed' }> = [];
  const counted = new Set<string>();
  for (const row of ctx.rows) {
    if (row.state !== 'approved') {
      continue;
    }
    const who = row.approverName ?? row.approverSysId;
    if (row.approverSysId === ctx.requestedFor || row.approverSysId === ctx.openedBy) {
      ignored.push({ approver: who, reason: 'self_approval' });
    } else if (row.updatedAt < firstCountingSecond) {
      ignored.push({ approver: who, reason: 'before_parameters_changed' });
    } else {
      counted.add(row.approverSysId);
    }
  }
  const needed = ctx.rule.minApprovals;
  if (ctx.ritmApproval === 'approved' && counted.size >= needed) {
    return { kind: 'approved', approvers: [...counted] };
  }
  const deadline = ctx.packetPostedAt + ctx.rule.timeoutHours * 3_600_000;
  if (ctx.now >= deadline) {
    return { kind: 'expired', deadline };
  }
  return { kind: 'pending', counted: counted.size, needed, ignored, deadline };
}
