/**
 * Every ops action runs through here: one at a time per job (a Redis lock, so a replay and an
 * abandon of the same job, or two people pressing at once, cannot interleave), and always leaves
 * an audit record — `done`, `refused` (the action did not apply: not failed, already finished,
 * unknown job) or `failed` (something broke) — plus a metric.
 */
import { randomUUID } from 'node:crypto';
import { AppError, isAppError } from '../errors';
import type { AuditAction, AuditRecord, AuditTarget } from './audit';
import type { OpsDeps } from './deps';
import { reportOpsAction } from '../observability/metrics';
import type { Actor } from '../http/auth/tokens';

export function conflict(code: string, message: string): AppError {
  return new AppError(code, message, { httpStatus: 409 });
}

const LOCK_TTL_MS = 30_000;
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Runs `act` while holding the ops lock of `subject` (a job id); 409 when someone else holds it. */
export async function withActionLock<T>(
  deps: Pick<OpsDeps, 'redis' | 'prefix'>,
  subject: string,
  act: () => Promise<T>,
): Promise<T> {
  const key = `${deps.prefix}:ops:lock:${subject}`;
  const token = randomUUID();
  const taken = await deps.redis.set(key, token, 'PX', LOCK_TTL_MS, 'NX');
  if (taken !== 'OK') {
    throw conflict(
      'action_in_progress',
      `Another ops action on ${subject} is running; try again in a moment`,
    );
  }
  try {
    return await act();
  } finally {
    await deps.redis.eval(RELEASE_SCRIPT, 1, key, token).catch(() => undefined);
  }
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
