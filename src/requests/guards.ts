/**
 * The stages of a request run before the item's own steps (see run-request.ts for the whole life):
 * re-read the ticket; stop for a closed, rejected or cancelled one; resolve the tenant; then, until
 * work has started, the approval gate, the time window and the tenant's start throttle. Each may
 * end the request or put it to sleep as a delayed job.
 */
import type { Job } from 'bullmq';
import { CLOSED_RITM_STATES } from '../clients/servicenow';
import { isTerminalTaskState } from '../clients/storware';
import { UpstreamError } from '../errors';
import type { CatalogItemKey } from '../items/definitions';
import type { LedgerEntry } from '../ledger';
import type { Logger } from '../logger';
import { approvalRuleFor, tenantForCompany } from '../tenancy/tenants';
import { TICKET_STATE } from '../ticket-updates/outbox';
import { resolveWindow } from '../windows/resolve-window';
import { approvalGate } from './approval-gate';
import type { RequestDeps } from './deps';
import {
  finish,
  isTerminal,
  notFoundInProject,
  type ItemContext,
  type ItemFlow,
  type StepResult,
  type TicketSink,
  type RunOwner,
} from './flow';
import { tenantStartGate } from './tenant-gate';
import { formatOutcome, outcomeOnTicket } from './ticket-outcome';
import { formatInstant, formatWhen, itemNoun } from './wording';

export async function runSteps<K extends CatalogItemKey>(
  flow: ItemFlow<K>,
  job: Job,
  deps: RequestDeps,
  entry: LedgerEntry,
  log: Logger,
  ticket: TicketSink,
  owner: RunOwner | undefined,
): Promise<StepResult> {
  const now = deps.now();
  // 1. The ticket as it is now.
  const ritm = await deps.servicenow.getRequestItem(entry.ritmSysId);
  if (!ritm) {
    return finish({
      kind: 'failed',
      code: 'ticket_not_found',
      workNote: `The ticket ${entry.number} could not be read from ServiceNow (deleted, or hidden from the integration user by an ACL).`,
    });
  }

  // 2. Rejected (ServiceNow may close a rejected item itself), closed or cancelled: stop, and
  // stop Storware too.
  const closedInServiceNow = CLOSED_RITM_STATES.includes(ritm.state);
  if (closedInServiceNow) {
    // Closed by this request's own closing update, whose ledger write was then lost with Redis?
    const recorded = await outcomeOnTicket(deps, entry.requestId, ritm.sysId);
    if (recorded) {
      log.warn({ outcome: recorded }, 'ledger lost its terminal state; outcome read back from the ticket');
      return finish({
        kind: recorded.kind,
        code: recorded.code,
        ticketUpToDate: true,
        workNote: `Outcome read back from the ticket after Redis lost the connector's last writes: ${formatOutcome(recorded.kind, recorded.code)}.`,
        // What the run that closed the ticket recorded before it died (finish.ts) stays.
        result: { ...(entry.result ?? {}), recoveredFromTicket: true },
      });
    }
  }
  if (ritm.approval === 'rejected' && !flow.started(entry)) {
    return rejected(deps, entry, ritm.sysId, closedInServiceNow);
  }
  if (entry.cancelRequested || closedInServiceNow) {
    return cancelRequest(deps, entry, closedInServiceNow, log);
  }

  // 3. Tenant from the requester's company.
  const requester = ritm.requestedFor ? await deps.servicenow.getUser(ritm.requestedFor) : undefined;
  const tenant = tenantForCompany(deps.config.connector, requester?.company);
  const rawVariables = await deps.servicenow.getRequestItemVariables(ritm.sysId);
  const variables = deps.variables.parse(flow.item, rawVariables);
  if (!tenant) {
    log.warn({ company: requester?.company }, 'requester company has no tenant mapping');
    return notFoundInProject(variables.instance_id);
  }
  if (entry.tenant !== tenant.id) {
    await deps.ledger.update(
      entry.requestId,
      { tenant: tenant.id },
      { type: 'request.tenant', message: `Tenant ${tenant.id} (${tenant.name})` },
    );
  }

  await ticket(
    {
      state: TICKET_STATE.workInProgress,
      correlate: true,
      workNote: `Accepted by the Storware connector as request ${entry.requestId} (tenant ${tenant.id}, item ${flow.item}).`,
      comment: `We have received your ${itemNoun(flow.item)} request for instance ${variables.instance_id} and will keep this request updated.`,
    },
    'accepted',
  );

  const ctx: ItemContext<K> = {
    deps,
    job,
    entry,
    ritm,
    variables,
    tenant,
    log,
    owner,
    reload: async () => (await deps.ledger.get(entry.requestId)) ?? entry,
    ticket,
    event: async (type, message, data) => {
      await deps.ledger.appendEvent(entry.requestId, { type, message, data });
    },
  };

  if (!flow.started(entry)) {
    // 4a. Approval.
    const rule = approvalRuleFor(deps.config.connector, tenant, flow.item);
    if (rule.required) {
      const subject = await flow.approvalSubject(ctx);
      if (isTerminal(subject)) {
        return finish(subject);
      }
      const gate = await approvalGate(ctx, subject, rule, now);
      if (gate) {
        return gate;
      }
    }
  }
  if (!flow.started(entry) && flow.timeWindow) {
    // 4b. Time window.
    const requested = variables as { window_start?: number; window_end?: number };
    const decision = resolveWindow(
      now,
      { start: requested.window_start, end: requested.window_end },
      tenant.maintenanceWindows,
    );
    switch (decision.kind) {
      case 'expired':
        return finish({
          kind: 'expired',
          code: decision.reason,
          comment:
            decision.reason === 'requested_window_over'
              ? `The time window you asked for ended before the ${itemNoun(flow.item)} could start, so nothing was done. Order it again with a new window if you still need it.`
              : `Your project's maintenance windows do not open before the end of the time window you asked for, so the ${itemNoun(flow.item)} could not run. Order it again with a later end time.`,
          workNote: `Window over (${decision.reason}); no Storware task was created.`,
        });
      case 'later':
        await deps.ledger.update(entry.requestId, {
          window: { startAt: decision.startAt, windowEnd: decision.windowEnd ?? null },
        });
        await ticket(
          {
            workNote: `Waiting for the time window: starts ${formatInstant(decision.startAt)}${decision.windowEnd ? `, must start before ${formatInstant(decision.windowEnd)}` : ''}.`,
            comment: `Your ${itemNoun(flow.item)} will start at ${formatWhen(decision.startAt, tenant)}, inside your project's maintenance window.`,
          },
          `window:${decision.startAt}`,
        );
        return {
          kind: 'wait',
          until: decision.startAt,
          state: 'waiting_window',
          event: {
            type: 'window.waiting',
            message: `Waiting until ${formatInstant(decision.startAt)}`,
          },
        };
      case 'now':
        await deps.ledger.update(entry.requestId, {
          window: { windowStart: decision.windowStart, windowEnd: decision.windowEnd ?? null },
        });
        break;
    }
  }

  if (!flow.started(entry)) {
    // 4c. The tenant's start throttle, last: a request waiting for approval or its window must not
    // hold a slot, and one that is throttled has passed every other check.
    const turn = await tenantStartGate(ctx);
    if (turn) {
      return turn;
    }
  }

  // 5. The item's own steps.
  return flow.run(ctx);
}

async function rejected(
  deps: RequestDeps,
  entry: LedgerEntry,
  ritmSysId: string,
  closedInServiceNow: boolean,
): Promise<StepResult> {
  const rows = await deps.servicenow.listApprovals(ritmSysId);
  const row = rows.filter((r) => r.state === 'rejected').sort((a, b) => b.updatedOn - a.updatedOn)[0];
  const by = row?.approver
    ? ((await deps.servicenow.getUser(row.approver))?.name ?? 'an approver')
    : 'an approver';
  const comment = row?.comments.join('\n').trim() || undefined;
  return finish({
    kind: 'rejected',
    code: 'approval_rejected',
    keepTicketState: closedInServiceNow,
    comment: `Your ${itemNoun(entry.item)} was rejected by ${by}${comment ? `: "${comment}"` : '.'} Nothing was run.`,
    workNote: `Rejected by ${by}${comment ? `: ${comment}` : ''}.`,
  });
}

async function cancelRequest(
  deps: RequestDeps,
  entry: LedgerEntry,
  closedInServiceNow: boolean,
  log: Logger,
): Promise<StepResult> {
  const cancelled: string[] = [];
  for (const [stepName, task] of Object.entries(entry.tasks)) {
    if (isTerminalTaskState(task.state as never)) {
      continue;
    }
    try {
      await deps.storware.cancelTask(task.guid, 'Cancelled from ServiceNow');
      await deps.ledger.updateTask(entry.requestId, stepName, { state: 'CANCELLED', endedAt: deps.now() });
      cancelled.push(`${task.type} task ${task.guid}`);
    } catch (error) {
      // A task that finished meanwhile cannot be cancelled; anything else is worth a retry.
      if (error instanceof UpstreamError && !error.retryable) {
        log.info({ task: task.guid, err: error }, 'task could not be cancelled (finished meanwhile?)');
      } else {
        throw error;
      }
    }
  }
  const started = Object.keys(entry.tasks).length > 0;
  return finish({
    kind: 'cancelled',
    code: 'cancelled',
    keepTicketState: closedInServiceNow,
    // A ticket closed before anything started is left alone; otherwise say what was stopped.
    comment: started
      ? 'Your request was cancelled; the running Storware task was stopped.'
      : closedInServiceNow
        ? undefined
        : 'Your request was cancelled; nothing was run.',
    workNote:
      cancelled.length > 0
        ? `Cancelled: asked Storware to cancel ${cancelled.join(', ')}.`
        : closedInServiceNow
          ? 'The ticket was closed in ServiceNow; the connector stopped without running anything further.'
          : 'Cancelled before any Storware task was created.',
  });
}
