/**
 * The intake service: turns one signed ServiceNow delivery into at most one ledger entry and one
 * run job per RITM, and says what happened as an outcome (never by throwing), which the HTTP route
 * maps to a status. Framework-free, so it is tested and fuzzed without HTTP.
 *
 * Crash safety. A 2xx means the run job is durably queued, and nothing is ever doubled:
 * - The ledger entry is written before the enqueue, and the enqueue uses a deterministic job id
 *   (`run-<requestId>`), so adding it again while it exists is a no-op.
 * - One requestId per RITM forever (the ledger maps sys_id → requestId atomically), so the same
 *   RITM always leads to the same job id, whichever delivery or process gets there first.
 * - The dedupe claim is a short-lived `pending` marker, finalised only after the enqueue. If the
 *   process dies between any two steps, the marker expires, no 2xx was sent, and ServiceNow's
 *   retry redoes the steps: createOrGet returns the same requestId, the add creates the missing
 *   job or finds the existing one. If no retry comes, the reconciler finds a ledger entry that is
 *   not terminal and has no job, and enqueues it.
 * - Redis unreachable: the producer connection fails fast (offline queue off), the outcome is
 *   `unavailable` (503 + Retry-After) and the claim is released when Redis still answers, so the
 *   retry is processed rather than answered as a duplicate.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config, Tuning } from '../config';
import { UnavailableError, type ErrorDetail } from '../errors';
import type { Logger } from '../logger';
import { reportIntakeOutcome } from '../observability/events';
import type { VariableParser } from '../catalog/variables';
import { enqueueRequestJob, wakeRequestJob } from '../jobs/request-job';
import { isTerminalState, type Ledger, type LedgerEntry, type RequestState } from '../ledger/types';
import { withTimeout } from '../util/with-timeout';
import { authenticateDelivery, type HeaderBag } from './authenticate';
import { createDedupe, dedupeKeys, type DeliveryRecord } from './dedupe';
import {
  checkWebhookBody,
  decodeJson,
  isJsonContentType,
  type WebhookBody,
  type WebhookEvent,
} from './webhook-body';

export interface IntakeInput {
  readonly headers: HeaderBag;
  readonly rawBody: Buffer;
  readonly contentType: string | undefined;
}

/** `closed` answers a duplicate whose ledger entry has already passed its retention. */
export type AnswerStatus = RequestState | 'closed';

/** What the request's run job was made to do by this delivery (logged, not sent). */
export type IntakeAction = 'enqueued' | 'woken' | 'already_scheduled' | 'cancel_requested';

export type DuplicateReason = 'webhook_id' | 'same_event' | 'closed';

export type IntakeOutcome =
  | {
      readonly kind: 'accepted';
      readonly requestId: string;
      readonly ticket: string;
      readonly status: AnswerStatus;
      readonly event: WebhookEvent;
      readonly item: string;
      readonly action: IntakeAction;
    }
  | {
      readonly kind: 'duplicate';
      readonly requestId: string;
      readonly ticket: string;
      readonly status: AnswerStatus;
      readonly reason: DuplicateReason;
    }
  | {
      readonly kind: 'invalid';
      readonly status: 400 | 413 | 415 | 422;
      readonly code: string;
      readonly message: string;
      readonly details: ErrorDetail[];
    }
  | { readonly kind: 'unauthenticated'; readonly code: string; readonly message: string }
  | {
      readonly kind: 'unavailable';
      readonly message: string;
      readonly retryAfterSeconds: number;
      /** Where it failed and why, for the route's log line; never sent to the client. */
      readonly stage: string;
      readonly cause: unknown;
    };

export interface IntakeConfig {
  readonly webhook: Pick<Config['webhook'], 'secrets' | 'toleranceSeconds' | 'basicAuth' | 'maxBodyBytes'>;
  readonly tuning: Pick<Tuning, 'dedupeRetentionDays'>;
  /** Key prefix (hash tag) for the dedupe keys, the same one queues and ledger use. */
  readonly prefix: string;
  /** Lifetime of an unfinished claim; longer than a slow intake, short next to sender retries. */
  readonly pendingTtlMs?: number;
  /** How long a concurrent copy waits for the first one to finish before answering 503. */
  readonly waitForClaimantMs?: number;
  /** Deadline for one queue operation; BullMQ waits for a connection that never came up. */
  readonly queueTimeoutMs?: number;
  /** Retry-After sent with `unavailable`. */
  readonly retryAfterSeconds?: number;
}

export interface IntakeDeps {
  readonly ledger: Ledger;
  readonly queues: { readonly requests: Queue };
  readonly variables: VariableParser;
  readonly config: IntakeConfig;
  /** The fail-fast producer connection (dedupe keys). */
  readonly redis: Redis;
  readonly logger: Logger;
  /** Epoch ms; injectable so timestamp tolerance is tested at its edges. */
  readonly now?: () => number;
}

export interface Intake {
  accept(input: IntakeInput): Promise<IntakeOutcome>;
}

function invalid(
  status: 400 | 413 | 415 | 422,
  code: string,
  message: string,
  details: ErrorDetail[] = [],
): IntakeOutcome {
  return { kind: 'invalid', status, code, message, details };
}

export function createIntake(deps: IntakeDeps): Intake {
  const { ledger, variables, config, logger } = deps;
  const now = deps.now ?? Date.now;
  const queueTimeoutMs = config.queueTimeoutMs ?? 1_500;
  const retryAfterSeconds = config.retryAfterSeconds ?? 5;
  const dedupe = createDedupe(deps.redis, {
    retentionDays: config.tuning.dedupeRetentionDays,
    pendingTtlMs: config.pendingTtlMs ?? 30_000,
    waitMs: config.waitForClaimantMs ?? 2_000,
  });

  function withDeadline<T>(operation: string, promise: Promise<T>): Promise<T> {
    return withTimeout(
      promise,
      queueTimeoutMs,
      () => new UnavailableError(`${operation} did not finish within ${queueTimeoutMs} ms`),
    );
  }

  /** Adds the run job (a no-op when it exists) and records it; `queued` only from `received`. */
  async function enqueue(entry: LedgerEntry, event: WebhookEvent): Promise<void> {
    const jobId = await enqueueRequestJob(deps.queues, entry, withDeadline);
    await ledger.addJobId(entry.requestId, jobId);
    // A worker may already have picked the job up and moved the state on; never move it back.
    await ledger.update(
      entry.requestId,
      { state: 'queued' },
      { type: 'request.queued', message: `Queued for processing (${event})` },
      { onlyIfState: ['received'] },
    );
  }

  /**
   * Makes the run job look at the request again: a delayed job (waiting for an approval, a window
   * or the inventory) is promoted to run now; a missing one (lost, or never added because an
   * earlier attempt died) is added; a waiting or active one will see the change by itself.
   */
  async function wake(
    entry: LedgerEntry,
    event: WebhookEvent,
  ): Promise<'enqueued' | 'woken' | 'already_scheduled'> {
    const outcome = await wakeRequestJob(deps.queues, entry.requestId, { guard: withDeadline });
    if (outcome === 'missing') {
      await enqueue(entry, event);
      return 'enqueued';
    }
    return outcome === 'woken' ? 'woken' : 'already_scheduled';
  }

  /** Steps 4 and 5, once the delivery is authentic, valid and ours to process. */
  async function record(body: WebhookBody, webhookId: string | undefined): Promise<IntakeOutcome> {
    const ticket = body.number;
    // 4. One ledger entry per RITM; the receipt is the first line of its timeline.
    const { entry, created } = await ledger.createOrGet({
      ritmSysId: body.sys_id,
      number: body.number,
      item: body.cat_item,
      receivedEvent: {
        type: 'request.received',
        message: `ServiceNow sent ${body.event} for ${ticket}`,
        // The delivery id lets ops match this line with the sender's delivery log.
        ...(webhookId === undefined ? {} : { data: { webhookId } }),
      },
    });
    if (isTerminalState(entry.state)) {
      // The request is finished; a late or repeated event changes nothing (a closed ticket is
      // never reopened). The connector's own closing update echoes back here, too.
      return { kind: 'duplicate', requestId: entry.requestId, ticket, status: entry.state, reason: 'closed' };
    }
    const base = {
      kind: 'accepted',
      requestId: entry.requestId,
      ticket,
      event: body.event,
      item: entry.item,
    } as const;

    // 5. Act on the event.
    switch (body.event) {
      case 'ritm.submitted': {
        await enqueue(entry, body.event);
        return { ...base, status: entry.state === 'received' ? 'queued' : entry.state, action: 'enqueued' };
      }
      case 'ritm.updated': {
        const action = await wake(entry, body.event);
        await ledger.appendEvent(entry.requestId, {
          type: 'ritm.updated',
          message:
            action === 'woken'
              ? 'ServiceNow reported a change; the waiting request was woken to look at it'
              : 'ServiceNow reported a change',
          data: { action, ...(created ? { createdByUpdate: true } : {}) },
        });
        return { ...base, status: entry.state === 'received' ? 'queued' : entry.state, action };
      }
      case 'ritm.cancelled': {
        await ledger.update(
          entry.requestId,
          { cancelRequested: true },
          { type: 'cancel.requested', message: 'The request was cancelled in ServiceNow; stopping it' },
        );
        await wake(entry, body.event);
        return {
          ...base,
          status: entry.state === 'received' ? 'queued' : entry.state,
          action: 'cancel_requested',
        };
      }
    }
  }

  async function answerDuplicate(found: DeliveryRecord, reason: DuplicateReason): Promise<IntakeOutcome> {
    const state = await ledger.getState(found.requestId);
    return {
      kind: 'duplicate',
      requestId: found.requestId,
      ticket: found.ticket,
      status: state ?? 'closed',
      reason,
    };
  }

  function unavailable(cause: unknown, stage: string): IntakeOutcome {
    return {
      kind: 'unavailable',
      message: 'The connector cannot take requests right now; retry later',
      retryAfterSeconds,
      stage,
      cause,
    };
  }

  /** The metric label that says why, per outcome: the action, the duplicate reason or the code. */
  function outcomeReason(outcome: IntakeOutcome): string {
    switch (outcome.kind) {
      case 'accepted':
        return outcome.action;
      case 'duplicate':
        return outcome.reason;
      case 'invalid':
      case 'unauthenticated':
        return outcome.code;
      case 'unavailable':
        return 'unavailable';
    }
  }

  const intake: Intake = {
    async accept(input) {
      // 0. Cheap checks on the envelope: JSON only, and no larger than the route allows.
      if (!isJsonContentType(input.contentType)) {
        return invalid(415, 'unsupported_media_type', 'Send the body as application/json (UTF-8)');
      }
      if (input.rawBody.length > config.webhook.maxBodyBytes) {
        return invalid(
          413,
          'payload_too_large',
          `Body is larger than the ${config.webhook.maxBodyBytes} byte limit`,
        );
      }

      // 1. Authenticate before reading the body: an unauthenticated sender learns nothing more
      //    than "no", and costs us no parsing.
      const auth = authenticateDelivery(input.headers, input.rawBody, config.webhook, now());
      if (!auth.ok) {
        return { kind: 'unauthenticated', code: auth.code, message: auth.message };
      }

      // 2. Parse and validate: strict envelope, variables against the item's own form.
      const decoded = decodeJson(input.rawBody);
      if (!decoded.ok) {
        return invalid(400, 'malformed_json', decoded.message);
      }
      const checked = checkWebhookBody(decoded.value, variables);
      if (!checked.ok) {
        return invalid(checked.status, checked.code, checked.message, checked.details);
      }
      const body = checked.body;

      // 3. Dedupe: the sender's delivery id, and the event itself (same RITM, event, update time)
      //    sent again under a new id. Copies running right now wait for the first one.
      const keys = dedupeKeys(config.prefix, auth.webhookId, body);
      let claim;
      try {
        claim = await dedupe.claim(keys);
      } catch (error) {
        return unavailable(error, 'dedupe claim');
      }
      switch (claim.kind) {
        case 'done':
          try {
            return await answerDuplicate(
              claim.record,
              claim.matched === 'event' ? 'same_event' : 'webhook_id',
            );
          } catch (error) {
            return unavailable(error, 'duplicate lookup');
          }
        case 'pending':
          try {
            const found = await dedupe.waitForClaimant(keys);
            return found
              ? await answerDuplicate(found, 'same_event')
              : unavailable(new Error('a concurrent copy of this delivery did not finish'), 'dedupe wait');
          } catch (error) {
            return unavailable(error, 'dedupe wait');
          }
        case 'claimed':
          break;
      }

      let outcome: IntakeOutcome;
      try {
        // 4 + 5. Record in the ledger, then enqueue or wake the run job.
        outcome = await record(body, auth.webhookId);
      } catch (error) {
        // Nothing half-done may look done: drop our claim so the sender's retry is processed.
        await dedupe.release(keys, claim.token).catch(() => undefined);
        return unavailable(error, 'record');
      }
      // 6. Finalise: from now on copies of this delivery are answered as duplicates. The job is
      //    queued already, so a failure here still answers 2xx; the claim expires and a copy that
      //    arrives later runs steps 4-5 again, which are idempotent.
      if (outcome.kind === 'accepted' || outcome.kind === 'duplicate') {
        await dedupe
          .finalize(keys, { requestId: outcome.requestId, ticket: outcome.ticket })
          .catch((error: unknown) => logger.warn({ err: error }, 'webhook dedupe keys not finalised'));
      }
      return outcome;
    },
  };

  return {
    async accept(input) {
      const outcome = await intake.accept(input);
      reportIntakeOutcome(outcome.kind, outcomeReason(outcome));
      return outcome;
    },
  };
}
