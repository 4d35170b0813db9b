/**
 * The approval gate of a request run: post what the approver approves (once per change of the
 * parameters, even with two runners of one request), then read the approvals and decide.
 */
import { evaluateApproval, type ApproverRow } from '../approvals/evaluate-approval';
import type { CatalogItemKey } from '../items/definitions';
import { finish, type ApprovalSubject, type ItemContext, type StepResult } from './flow';
import { formatInstant, itemNoun } from './wording';

export async function approvalGate<K extends CatalogItemKey>(
  ctx: ItemContext<K>,
  subject: ApprovalSubject,
  rule: { minApprovals: number; timeoutHours: number },
  now: number,
): Promise<StepResult | undefined> {
  const { deps, entry, ritm } = ctx;
  const previous = entry.approval as { hash?: string; postedAt?: number; status?: string } | undefined;
  let postedAt = previous?.postedAt ?? now;
  if (previous?.hash !== subject.hash) {
    // Two runners of this request can get here together (a job taken over after a lost lock while
    // the first still runs). Only one may post the packet; the other must use the first one's time,
    // or the later time would void an approval given in between and the request would wait for a
    // new one. The claim is per change (from the previous hash to this one), so a request changed
    // back to earlier parameters still asks again.
    const claimKey = `${deps.config.redis.prefix}:approval:${entry.requestId}:${previous?.hash ?? 'none'}:${subject.hash}`;
    const retentionMs = deps.config.connector.tuning.ledgerRetentionDays * 86_400_000;
    const won = (await deps.redis.set(claimKey, String(now), 'PX', retentionMs, 'NX')) === 'OK';
    postedAt = won ? now : Number((await deps.redis.get(claimKey)) ?? now);
    const changed = previous?.hash !== undefined;
    // The other runner writes the ledger; this one only repairs a ledger that does not show the
    // claim yet (the winner died, or its write was lost), and never moves a later state back.
    const current = won ? undefined : ((await ctx.reload()).approval as { hash?: string } | undefined);
    if (won || current?.hash !== subject.hash) {
      await deps.ledger.update(
        entry.requestId,
        {
          state: 'waiting_approval',
          approval: { hash: subject.hash, postedAt, status: 'pending', needed: rule.minApprovals },
        },
        won
          ? {
              type: 'approval.requested',
              message: changed ? 'Parameters changed; approval requested again' : 'Approval requested',
              data: { hash: subject.hash },
            }
          : undefined,
      );
    }
    // Both runners ask: `once` keeps it to one note, and a winner that died before asking is covered.
    await ctx.ticket(
      {
        workNote: subject.packet,
        comment: changed
          ? `The request changed after it was approved, so the earlier approval no longer counts. It is waiting for approval again.`
          : `Your ${itemNoun(ctx.entry.item)} is waiting for approval.`,
      },
      `packet:${subject.hash}`,
    );
  }

  const approvals = await deps.servicenow.listApprovals(ritm.sysId);
  const rows: ApproverRow[] = approvals.map((a) => ({
    approverSysId: a.approver ?? '',
    state: a.state,
    comments: a.comments.join('\n'),
    updatedAt: a.updatedOn,
  }));
  const decision = evaluateApproval({
    ritmApproval: ritm.approval,
    rows,
    requestedFor: ritm.requestedFor,
    openedBy: ritm.openedBy,
    rule: { required: true, ...rule },
    packetPostedAt: postedAt,
    now,
  });
  const nameOf = async (sysId: string) => (await deps.servicenow.getUser(sysId))?.name ?? sysId;
  switch (decision.kind) {
    case 'approved': {
      const names = await Promise.all(decision.approvers.map(nameOf));
      await deps.ledger.update(
        entry.requestId,
        { approval: { hash: subject.hash, postedAt, status: 'approved', approvers: names.join(', ') } },
        { type: 'approval.granted', message: `Approved by ${names.join(', ')}` },
      );
      await ctx.ticket(
        { workNote: `Approved by ${names.join(', ')} (approval reference ${subject.hash}).` },
        `approved:${subject.hash}`,
      );
      return undefined;
    }
    case 'rejected': {
      const by = decision.by === 'an approver' ? decision.by : await nameOf(decision.by);
      return finish({
        kind: 'rejected',
        code: 'approval_rejected',
        comment: `Your ${itemNoun(entry.item)} was rejected by ${by}${decision.comment ? `: "${decision.comment}"` : '.'} Nothing was run.`,
        workNote: `Rejected by ${by}${decision.comment ? `: ${decision.comment}` : ''}.`,
      });
    }
    case 'expired':
      return finish({
        kind: 'expired',
        code: 'approval_timed_out',
        comment: `Nobody approved your ${itemNoun(entry.item)} within ${rule.timeoutHours} hours, so nothing was run. Order it again if you still need it.`,
        workNote: `Approval timed out at ${formatInstant(decision.deadline)}.`,
      });
    case 'pending': {
      for (const ignored of decision.ignored) {
        const who = await nameOf(ignored.approver);
        const why =
          ignored.reason === 'self_approval'
            ? 'approvers must be neither the requester nor the person who opened the request'
            : 'it was given before the request changed';
        await ctx.ticket(
          {
            workNote: `The approval by ${who} does not count: ${why}. ${decision.counted} of ${decision.needed} valid approval(s) so far.`,
          },
          `ignored:${subject.hash}:${ignored.approver}:${ignored.reason}`,
        );
      }
      const recheck = now + deps.config.connector.tuning.approvalRecheckSeconds * 1000;
      return {
        kind: 'wait',
        until: Math.min(recheck, decision.deadline),
        state: 'waiting_approval',
      };
    }
  }
}
