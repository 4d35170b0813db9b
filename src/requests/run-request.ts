/**
 * The life of a request job, shared by the three catalog items.
 *
 * A run is idempotent and resumable: everything it decides is in the ledger (tasks per step,
 * approval packet, window), so running it again — after a crash, a lost lock, a wake-up or an
 * ops replay — continues from where the last run got to and never creates a second Storware task.
 * Each run:
 *   1. re-reads the ticket, its variables and the requester from ServiceNow (never the webhook);
 *   2. stops if the ticket was closed or cancelled, cancelling a running Storware task;
 *   3. resolves the tenant from the requester's company (config), refusing unmapped ones;
 *   4. until work has started: approval (when the tenant's rules or the item require it), the
 *      time window and the tenant's start throttle; each may put the job to sleep as a delayed job;
 *   5. hands over to the item's flow (workers/*.ts), which runs or adopts Storware tasks and waits
 *      for them through the poller, again as a delayed job;
 *   6. finishes: the closing ticket update is queued first (once), then the ledger turns terminal.
 * Permanent problems close the ticket incomplete with the reason; retryable ones are retried with
 * backoff and, when attempts run out, leave the ticket open with a note and the job in the failed
 * set for ops.
 */
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { evaluateApproval, type ApproverRow } from '../approvals/evaluate-approval';
import type { ItemVariables } from '../catalog/variables';
import { CLOSED_RITM_STATES, type RequestItem } from '../clients/servicenow';
import { isTerminalTaskState } from '../clients/storware';
import type { CatalogItemKey, TenantConfig } from '../config';
import { isAppError, isRetryable, UpstreamError, ValidationError } from '../errors';
import { requestJobSchema } from '../jobs/catalog';
import { isTerminalState, type LedgerEntry, type LedgerEventInput, type RequestState } from '../ledger';
import type { Logger } from '../logger';
import type { TicketUpdateContent } from '../ticket-updates/outbox';
import { approvalRuleFor, tenantForCompany } from '../tenancy/tenants';
import { resolveWindow } from '../windows/resolve-window';
import type { RequestDeps } from './deps';
import { leaveTenantLineIfWaiting, tenantStartGate } from './tenant-gate';
import { formatOutcome, outcomeOnTicket } from './ticket-outcome';
import { formatInstant, formatWhen, instanceNotFound, itemNoun, TECHNICAL_DELAY } from './wording';

export type TerminalKind = 'succeeded' | 'failed' | 'rejected' | 'cancelled' | 'expired';

export interface Terminal {
  readonly kind: TerminalKind;
  /** For the requester (customer-visible comment). Omit to leave the requester's view alone. */
  readonly comment?: string;
  /** For agents. */
  readonly workNote: string;
  /** Evidence on the closed ticket. */
  readonly closeNotes?: string;
  /** Stable code for failures (ledger lastError, metrics). */
  readonly code?: string;
  readonly result?: Readonly<Record<string, unknown>>;
  /** Leave the ticket's state alone (it was closed in ServiceNow already). */
  readonly keepTicketState?: boolean;
  /** The ticket says all of this already (an outcome read back from it): write nothing to it. */
  readonly ticketUpToDate?: boolean;
}

export type StepResult =
  | {
      readonly kind: 'wait';
      readonly until: number;
      readonly state: RequestState;
      readonly event?: LedgerEventInput;
    }
  | { readonly kind: 'finish'; readonly terminal: Terminal };

export interface ApprovalSubject {
  /** Hash of exactly what will run; the approval is bound to it. */
  readonly hash: string;
  /** The packet posted for approvers. */
  readonly packet: string;
}

export interface ItemContext<K extends CatalogItemKey> {
  readonly deps: RequestDeps;
  readonly job: Job;
  readonly entry: LedgerEntry;
  readonly ritm: RequestItem;
  readonly variables: ItemVariables[K];
  readonly tenant: TenantConfig;
  readonly log: Logger;
  /** Re-reads the ledger entry (after this run recorded something). */
  reload(): Promise<LedgerEntry>;
  /** Queues a ticket update; with `once`, at most once per request. */
  ticket(content: TicketUpdateContent, once?: string): Promise<void>;
  event(type: string, message: string, data?: Record<string, unknown>): Promise<void>;
}

export interface ItemFlow<K extends CatalogItemKey> {
  readonly item: K;
  /** What an approver approves (only asked when approval is required). A Terminal ends the request. */
  approvalSubject(ctx: ItemContext<K>): Promise<ApprovalSubject | Terminal>;
  /** True once the flow started Storware work: approval and window are then settled for good. */
  started(entry: LedgerEntry): boolean;
  /** Whether the item honours time windows (requested and maintenance); policy assignment does not. */
  readonly timeWindow: boolean;
  run(ctx: ItemContext<K>): Promise<StepResult>;
}

function isTerminal(value: ApprovalSubject | Terminal): value is Terminal {
  return 'kind' in value;
}

export function finish(terminal: Terminal): StepResult {
  return { kind: 'finish', terminal };
}

/** The tenant guard's refusal: the same for a foreign instance and an unmapped tenant. */
export function notFoundTerminal(instanceId: string): Terminal {
  return {
    kind: 'failed',
    code: 'instance_not_found',
    comment: instanceNotFound(instanceId),
    workNote: `Refused: instance ${instanceId} is not in the requester's OpenStack project (or the requester's company has no project mapping).`,
  };
}

export function notFoundInProject(instanceId: string): StepResult {
  return finish(notFoundTerminal(instanceId));
}

export async function runRequest<K extends CatalogItemKey>(
  flow: ItemFlow<K>,
  job: Job,
  token: string | undefined,
  deps: RequestDeps,
): Promise<{ outcome: string }> {
  const parsed = requestJobSchema.safeParse(job.data);
  if (!parsed.success || parsed.data.item !== flow.item) {
    // A payload this build cannot read will never get better: fail it visibly for ops.
    throw new UnrecoverableError(
      `job data is not a ${flow.item} request: ${parsed.success ? 'wrong item' : parsed.error.message}`,
    );
  }
  const data = parsed.data;
  const log = deps.logger.child({
    requestId: data.requestId,
    ticket: data.number,
    jobId: job.id,
    item: data.item,
  });
  let entry = await deps.ledger.get(data.requestId);
  if (!entry) {
    // Retryable on purpose: the entry is missing when Redis lost recent writes (a failover, AOF
    // everysec). The reconciler rebuilds it from ServiceNow under the same request id
    // (requestIdForRitm), and a later attempt of this job resumes from it.
    throw new LedgerEntryLostError(data.requestId);
  }
  if (isTerminalState(entry.state)) {
    log.info({ state: entry.state }, 'request already finished; nothing to do');
    return { outcome: entry.state };
  }
  await deps.ledger.addJobId(entry.requestId, String(job.id));

  const ticket = async (content: TicketUpdateContent, once?: string) => {
    await deps.outbox.enqueue(data.requestId, data.ritmSysId, content, once ? { once } : undefined);
  };

  try {
    const result = await step(flow, job, deps, entry, log, ticket);
    if (result.kind === 'wait') {
      await deps.ledger.update(entry.requestId, { state: result.state, lastError: null }, result.event);
      log.debug({ until: new Date(result.until).toISOString(), state: result.state }, 'request waits');
      await job.moveToDelayed(Math.max(result.until, deps.now() + 250), token);
      throw new DelayedError();
    }
    entry = await requireEntry(deps, entry.requestId);
    await finishRequest(deps, entry, result.terminal, ticket);
    log.info({ outcome: result.terminal.kind, code: result.terminal.code }, 'request finished');
    return { outcome: result.terminal.kind };
  } catch (error) {
    if (error instanceof DelayedError || error instanceof UnrecoverableError) {
      throw error;
    }
    if (lostLock(error)) {
      // This run lost its lock (frozen, or its Redis link too slow to renew it) and another worker
      // has the job now: record nothing, the other runner owns the request's story.
      log.warn({ err: error }, 'job lock lost to another worker; this run stops');
      throw error;
    }
    if (!isRetryable(error)) {
      // A step that failed because the ledger entry vanished under it (lost Redis writes) says
      // nothing about the request: never close the ticket for it.
      await requireEntry(deps, entry.requestId);
      const terminal = permanentFailure(error, flow.item);
      await finishRequest(deps, entry, terminal, ticket);
      log.warn({ err: error, code: terminal.code }, 'request failed permanently');
      return { outcome: 'failed' };
    }
    await recordRetryableFailure(deps, job, entry, error, ticket, log);
    throw error;
  }
}

/** BullMQ's answer to a job command from a worker whose lock was taken over or has expired. */
function lostLock(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /^(Missing lock|Lock mismatch) for job /.test(message);
}

/** The ledger entry vanished (Redis lost writes); retryable, see `runRequest`. */
export class LedgerEntryLostError extends Error {
  constructor(requestId: string) {
    super(
      `ledger entry ${requestId} not found (lost with Redis writes?); retrying until the reconciler rebuilds it from ServiceNow`,
    );
    this.name = 'LedgerEntryLostError';
  }
}

/** The current entry, or LedgerEntryLostError: nothing may close a ticket for a vanished entry. */
async function requireEntry(deps: RequestDeps, requestId: string): Promise<LedgerEntry> {
  const entry = await deps.ledger.get(requestId);
  if (!entry) {
    throw new LedgerEntryLostError(requestId);
  }
  return entry;
}

async function step<K extends CatalogItemKey>(
  flow: ItemFlow<K>,
  job: Job,
  deps: RequestDeps,
  entry: LedgerEntry,
  log: Logger,
  ticket: (content: TicketUpdateContent, once?: string) => Promise<void>,
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
        result: { recoveredFromTicket: true },
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
      state: 2,
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

async function approvalGate<K extends CatalogItemKey>(
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
    const won = (await deps.watch.redis.set(claimKey, String(now), 'PX', retentionMs, 'NX')) === 'OK';
    postedAt = won ? now : Number((await deps.watch.redis.get(claimKey)) ?? now);
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

function permanentFailure(error: unknown, item: CatalogItemKey): Terminal {
  if (error instanceof ValidationError) {
    const problems = error.details
      .map((d) => `${(d.path ?? '').replace(/^variables\./, '')} ${d.message}`)
      .join('; ');
    return {
      kind: 'failed',
      code: error.code,
      comment: `Your ${itemNoun(item)} could not run because some answers on the request are not valid: ${problems}. Please order it again with corrected answers.`,
      workNote: `Refused: invalid variables (${problems}).`,
    };
  }
  if (error instanceof UpstreamError && error.system === 'storware') {
    const reason = error.remoteMessage ?? error.message;
    return {
      kind: 'failed',
      code: error.code,
      comment: `Storware could not run your ${itemNoun(item)}: ${reason}. Nothing was changed. Contact the service desk if you need help.`,
      workNote: `Storware refused the ${error.operation ?? 'call'} (HTTP ${error.status ?? '?'}): ${reason}.`,
    };
  }
  const message = isAppError(error) ? error.message : 'unexpected error';
  return {
    kind: 'failed',
    code: isAppError(error) ? error.code : 'internal_error',
    comment: `Your ${itemNoun(item)} could not be completed. The service desk has the details.`,
    workNote: `Failed permanently: ${message}.`,
  };
}

export async function finishRequest(
  deps: RequestDeps,
  entry: LedgerEntry,
  terminal: Terminal,
  ticket: (content: TicketUpdateContent, once?: string) => Promise<void>,
): Promise<void> {
  // The closing update is queued before the ledger turns terminal: a crash in between re-runs the
  // request, which reaches the same end and finds the update already queued (once). It records the
  // outcome on the ticket, where a re-run finds it if Redis loses the ledger's terminal write.
  if (!terminal.ticketUpToDate) {
    await ticket(
      {
        state: terminal.keepTicketState ? undefined : terminal.kind === 'succeeded' ? 3 : 4,
        correlate: true,
        comment: terminal.comment,
        workNote: terminal.workNote,
        closeNotes: terminal.closeNotes,
        outcome: formatOutcome(terminal.kind, terminal.code),
      },
      'close',
    );
  }
  await deps.ledger.update(
    entry.requestId,
    {
      state: terminal.kind,
      step: 'done',
      result: terminal.result ?? null,
      lastError:
        terminal.kind === 'succeeded'
          ? null
          : {
              code: terminal.code ?? terminal.kind,
              message: terminal.comment ?? terminal.workNote,
              retryable: false,
              at: deps.now(),
            },
    },
    { type: `request.${terminal.kind}`, message: terminal.workNote },
  );
  const guids = Object.values(entry.tasks).map((t) => t.guid);
  await deps.watch.release(guids);
  await leaveTenantLineIfWaiting(deps, entry);
}

async function recordRetryableFailure(
  deps: RequestDeps,
  job: Job,
  entry: LedgerEntry,
  error: unknown,
  ticket: (content: TicketUpdateContent, once?: string) => Promise<void>,
  log: Logger,
): Promise<void> {
  const attempts = job.opts.attempts ?? 1;
  const last = job.attemptsMade + 1 >= attempts;
  const code = isAppError(error) ? error.code : 'internal_error';
  const message = isAppError(error) ? error.message : (error as Error).message;
  await deps.ledger.update(
    entry.requestId,
    { lastError: { code, message, retryable: true, at: deps.now() } },
    {
      type: last ? 'request.attempts_exhausted' : 'request.retry',
      message: `Attempt ${job.attemptsMade + 1} of ${attempts} failed: ${message}`,
    },
  );
  if (last) {
    log.error({ err: error, attempts }, 'attempts exhausted; the job goes to the failed set for ops');
    await ticket(
      {
        workNote: `The connector gave up after ${attempts} attempts (${code}: ${message}). The job is in the failed set: replay it or abandon it with a reason.`,
        comment: TECHNICAL_DELAY,
      },
      `exhausted:${job.attemptsMade}`,
    );
  }
}
