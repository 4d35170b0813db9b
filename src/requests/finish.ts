/**
 * How a request run ends: a terminal outcome closes the ticket (closing update first, then the
 * ledger), a permanent error becomes such an outcome in words the requester understands, and a
 * retryable one is recorded (and, on the last attempt, told on the ticket).
 */
import type { Job } from 'bullmq';
import { isAppError, UpstreamError, ValidationError } from '../errors';
import type { CatalogItemKey } from '../items/definitions';
import { isTerminalState, REQUEST_STATES, type LedgerEntry, type RequestState } from '../ledger';
import type { Logger } from '../logger';
import { TICKET_STATE } from '../ticket-updates/outbox';
import type { RequestDeps } from './deps';
import type { Terminal, TicketSink } from './flow';
import { leaveTenantLineIfWaiting } from './tenant-gate';
import { formatOutcome } from './ticket-outcome';
import { itemNoun, TECHNICAL_DELAY } from './wording';

const OPEN_STATES: readonly RequestState[] = REQUEST_STATES.filter((s) => !isTerminalState(s));

export function permanentFailure(error: unknown, item: CatalogItemKey): Terminal {
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
  ticket: TicketSink,
): Promise<void> {
  // The closing update is queued before the ledger turns terminal: a crash in between re-runs the
  // request, which reaches the same end and finds the update already queued (once). It records the
  // outcome on the ticket, where a re-run finds it if Redis loses the ledger's terminal write.
  // The result goes into the ledger first, while the request is still open (never over a finished
  // request's result): a run killed between the closing update and the terminal write leaves it
  // there for the re-run, which then reads the outcome back from the closed ticket and keeps it
  // (found by the combined chaos run, seed 4: SIGKILL at that moment lost the backup point).
  if (!terminal.ticketUpToDate) {
    if (terminal.result) {
      await deps.ledger.update(entry.requestId, { result: terminal.result }, undefined, {
        onlyIfState: OPEN_STATES,
      });
    }
    await ticket(
      {
        state: terminal.keepTicketState
          ? undefined
          : terminal.kind === 'succeeded'
            ? TICKET_STATE.closedComplete
            : TICKET_STATE.closedIncomplete,
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

export async function recordRetryableFailure(
  deps: RequestDeps,
  job: Job,
  entry: LedgerEntry,
  error: unknown,
  ticket: TicketSink,
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
