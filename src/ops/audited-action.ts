/**
 * Every ops action runs through here: one at a time per job (a Redis lock, so a replay and an
 * abandon of the same job, or two people pressing at once, cannot interleave), and always leaves
 * an audit record — `done`, `refused` (the action did not apply: not failed, already finished,
 * unknown job) or `failed` (something broke) — plus a metric.
 */
import { AppError, isAppError } from '../errors';
import type { AuditAction, AuditRecord, AuditTarget } from './audit';
import type { OpsDeps } from './deps';
import { reportOpsAction } from '../observability/events';
import type { Actor } from './actor';
import { withLock } from '../redis/lock';

export function conflict(code: string, message: string): AppError {
  return new AppError(code, message, { httpStatus: 409 });
}

const LOCK_TTL_MS = 30_000;

/** Runs `act` while holding the ops lock of `subject` (a job id); 409 when someone else holds it. */
export async function withActionLock<T>(
  deps: Pick<OpsDeps, 'redis' | 'prefix'>,
  subject: string,
  act: () => Promise<T>,
): Promise<T> {
  const outcome = await withLock(deps.redis, `${deps.prefix}:ops:lock:${subject}`, LOCK_TTL_MS, act);
  if (!outcome.acquired) {
    throw conflict(
      'action_in_progress',
      `Another ops action on ${subject} is running; try again in a moment`,
    );
  }
  return outcome.value;
}

export interface AuditedInput {
  readonly actor: Actor;
  readonly action: AuditAction;
  readonly reason: string;
  readonly target: AuditTarget;
}

export interface ActionDone<T> {
  readonly result: T;
  readonly message: string;
  /** Facts learnt while acting (the request, the ticket), added to the record's target. */
  readonly target?: AuditTarget;
}

export async function audited<T>(
  deps: Pick<OpsDeps, 'audit' | 'logger'>,
  input: AuditedInput,
  act: () => Promise<ActionDone<T>>,
): Promise<{ result: T; audit: AuditRecord }> {
  let done: ActionDone<T>;
  try {
    done = await act();
  } catch (error) {
    const outcome = isAppError(error) && error.httpStatus < 500 ? 'refused' : 'failed';
    reportOpsAction(input.action, outcome);
    await deps.audit
      .record({
        ...input,
        outcome,
        message:
          isAppError(error) && error.httpStatus < 500
            ? error.message
            : 'The action failed with an internal error',
      })
      .catch((auditError: unknown) =>
        deps.logger.error({ err: auditError, action: input.action }, 'audit record not written'),
      );
    throw error;
  }
  reportOpsAction(input.action, 'done');
  const audit = await deps.audit.record({
    ...input,
    target: { ...input.target, ...done.target },
    outcome: 'done',
    message: done.message,
  });
  return { result: done.result, audit };
}
