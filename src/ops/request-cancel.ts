/**
 * Ops cancels a request that has not finished. The run job does the actual stopping (it cancels a
 * running Storware task and closes the ticket incomplete, see src/requests/guards.ts): this marks the
 * request, writes who and why on the ticket, and makes sure the job runs soon — promoting a
 * sleeping one, retrying a failed one, re-adding a lost one.
 */
import type { components } from '../../spec/generated/connector';
import { isTerminalState, REQUEST_STATES, type LedgerEntry, type RequestState } from '../ledger';
import { requestJobId } from '../jobs/catalog';
import { enqueueRequestJob, wakeRequestJob } from '../jobs/request-job';
import { audited, conflict, withActionLock } from './audited-action';
import type { OpsDeps } from './deps';
import { requireRequest } from './request-status';
import type { Actor } from './actor';

export type CancelResult = components['schemas']['CancelResult'];
type Wake = CancelResult['job'];

const OPEN_STATES: readonly RequestState[] = REQUEST_STATES.filter((s) => !isTerminalState(s));

async function wake(deps: OpsDeps, entry: LedgerEntry): Promise<Wake> {
  let outcome;
  try {
    outcome = await wakeRequestJob(deps.queues, entry.requestId, { retryFinished: true });
  } catch {
    // It moved on between our read and the action; whatever it does next, it reads the flag.
    return 'already_scheduled';
  }
  if (outcome === 'missing') {
    const jobId = await enqueueRequestJob(deps.queues, entry);
    await deps.ledger.addJobId(entry.requestId, jobId);
    return 'enqueued';
  }
  // Waiting or running: the run reads cancelRequested when it gets there.
  return outcome;
}

export async function cancelRequest(
  deps: OpsDeps,
  actor: Actor,
  ref: string,
  reason: string,
): Promise<CancelResult> {
  const { result, audit } = await audited(
    deps,
    { actor, action: 'cancel', reason, target: { requestId: ref } },
    async () => {
      const entry = await requireRequest(deps, ref);
      return withActionLock(deps, requestJobId(entry.requestId), async () => {
        if (isTerminalState(entry.state)) {
          throw conflict('request_finished', `Request ${entry.number} has already finished (${entry.state})`);
        }
        const marked = await deps.ledger.update(
          entry.requestId,
          { cancelRequested: true },
          {
            type: 'ops.cancel_requested',
            message: `Cancel requested by ${actor.name}: ${reason}`,
            data: { actor: actor.name },
          },
          { onlyIfState: OPEN_STATES },
        );
        if (!marked) {
          throw conflict('request_finished', `Request ${entry.number} finished before it could be cancelled`);
        }
        await deps.outbox.enqueue(
          entry.requestId,
          entry.ritmSysId,
          { workNote: `Cancellation requested by ${actor.name} (ops): ${reason}.` },
          { once: 'ops-cancel' },
        );
        const job = await wake(deps, entry);
        const message = `Cancel requested for ${entry.number}; job ${job.replace('_', ' ')}`;
        return {
          result: { entry, job, message },
          message,
          target: { requestId: entry.requestId, ticket: entry.number, jobId: requestJobId(entry.requestId) },
        };
      });
    },
  );
  return {
    action: 'cancel',
    requestId: result.entry.requestId,
    ticket: result.entry.number,
    auditId: audit.id,
    job: result.job,
    message: result.message,
  };
}
